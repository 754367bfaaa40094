// What `cdktf synth --hcl` needs from the app, so that its HCL is what terraform accepts and means
// the same as the JSON output. cdktf 0.21's HCL writer (cdktf/lib/hcl/render.js) gets several things
// wrong for this project; the JSON output (`cdktf synth`, read by `npm run verify`) is unchanged.
import { App, CloudBackend, TerraformDataSource, TerraformResource, TerraformVariable, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import type { PolicyDocument } from "./policies";

/**
 * The string attribute a policy document is written as. JSON output: compact JSON text. HCL
 * output: the same document over several lines, which cdktf writes as a heredoc. On one line,
 * cdktf stops escaping quotes as soon as the string holds a `${...}` reference (every policy that
 * names a key, a role or a remote-state output), which terraform rejects; a heredoc needs no
 * escaping, and terraform reads its `${...}` references as it reads them in the JSON string.
 */
export function policyAttribute(scope: IConstruct, doc: PolicyDocument): string {
  return App.of(scope).hclOutput ? JSON.stringify(doc, null, 2) : JSON.stringify(doc);
}

/** An attribute cdktf's HCL writer prints as it is: a bare reference, not a quoted string. */
const bareReference = (text: string) => ({ value: text, type: "simple", storageClassType: "reference" });

/** cdktf's HCL writer drops `project` from a cloud block's `workspaces`: written back. */
export function keepCloudProjectInHcl(cloud: CloudBackend, project: string | undefined): void {
  if (project && App.of(cloud).hclOutput) {
    cloud.addOverride("workspaces.value.project", { value: project, type: "simple", storageClassType: "string" });
  }
}

/**
 * Repairs what cdktf's HCL writer gets wrong in every stack, as an aspect applied only to HCL output:
 * - it writes `provider = "aws.alice"` and `depends_on = ["aws_x.y"]`, quoted references that
 *   terraform deprecates ("will be removed in a future version"): rewritten as bare references;
 * - it drops a variable's attributes whose value is falsy, so `nullable = false` vanished and the
 *   first bring-up's `-var destination_ready=null` would have been accepted: written back.
 */
export class HclWriterRepairs implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof TerraformVariable) {
      if (node.nullable === false) node.addOverride("nullable", false);
      if (node.default === false) node.addOverride("default", false);
      return;
    }
    if (!(node instanceof TerraformResource || node instanceof TerraformDataSource)) return;
    if (node.provider) node.addOverride("provider", bareReference(node.provider.fqn));
    if (node.dependsOn?.length) {
      const references = node.dependsOn;
      // An override cannot replace a list (cdktf merges into it), so the list itself goes.
      node.dependsOn = undefined;
      node.addOverride("depends_on", bareReference(`[${references.join(", ")}]`));
    }
  }
}
