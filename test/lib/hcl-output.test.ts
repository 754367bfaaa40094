// `cdktf synth --hcl`, the way out of cdktf that HashiCorp recommends: terraform must accept the
// HCL, and it must describe exactly the stacks the JSON describes (the JSON is what `npm run
// verify` proves), policies included.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { findProviderMirror, findTerraform } from "../../dev/toolchain";
import { runApp, runCliSynthHcl } from "../support/app";
import { CONFIG_VARIANTS, stacksIn, writeConfigFile } from "../support/fixtures";
import { describeWithTools, expectValidTerraform, expectValidTerraformTogether, holdsImportBlocks, missingReasons, offlineTerraform } from "../support/tools";

/**
 * One form for both: hcl2json (HashiCorp's HCL parser) writes every block as a list and references
 * in meta-arguments, type constraints and an import block's `to` as "${aws.alice}", the JSON as an object and
 * "aws.alice"; a policy is JSON
 * text in both, compact in the JSON and pretty-printed in the HCL, so it is compared parsed.
 */
function normalize(value: any, key = ""): any {
  if (typeof value === "string") {
    if (["provider", "depends_on", "type", "to"].includes(key)) return value.replace(/^\$\{(.*)\}$/, "$1");
    if (/^\s*\{/.test(value)) {
      try {
        return { parsedJson: JSON.parse(value) };
      } catch {
        return value;
      }
    }
    return value;
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => normalize(v, key));
    return items.length === 1 && items[0] && typeof items[0] === "object" && !Array.isArray(items[0]) && key !== "depends_on" ? items[0] : items;
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "//").map(([k, v]) => [k, normalize(v, k)]));
  }
  return value;
}

const work = mkdtempSync(path.join(tmpdir(), "hcl-output-"));
const synthesized = Object.entries(CONFIG_VARIANTS).map(([name, change]) => {
  const configFile = writeConfigFile(work, name, change);
  const json = runApp(configFile);
  return { name, json, hcl: runCliSynthHcl(configFile), stacks: stacksIn(json.outdir) };
});
const stackFile = (outdir: string, stack: string, file: string) => path.join(outdir, "stacks", stack, file);

describe.each(synthesized)("$name", ({ json, hcl, stacks }) => {
  test("cdktf synth --hcl succeeds", () => {
    // stderr is the CLI's own (it asks terraform for its version): not checked.
    expect(hcl.status).toBe(0);
    expect(hcl.stdout.replace(/\s+/g, " ")).toContain(`Generated Terraform code for the stacks: ${stacks.join(", ")}`); // the CLI wraps long lines
  });

  test.each(stacks)("%s: the HCL describes the same stack as the JSON", async (stack) => {
    const fromJson = JSON.parse(readFileSync(stackFile(json.outdir, stack, "cdk.tf.json"), "utf8"));
    const fromHcl = await parseHcl("cdk.tf", readFileSync(stackFile(hcl.outdir, stack, "cdk.tf"), "utf8"));
    expect(normalize(fromHcl)).toEqual(normalize(fromJson));
  });

  test.each(stacks)("%s: every policy is a readable heredoc, not an escaped string", (stack) => {
    const text = readFileSync(stackFile(hcl.outdir, stack, "cdk.tf"), "utf8");
    const policies = text.match(/^\s*(policy|assume_role_policy)\s*=.*$/gm) ?? [];
    expect(policies.length).toBeGreaterThan(0);
    for (const line of policies) expect(line).toMatch(/= <<EOF$/);
  });
});

describeWithTools("terraform init + validate of the HCL", missingReasons(findTerraform(), findProviderMirror()), () => {
  const tf = offlineTerraform(findTerraform(), findProviderMirror());
  const stacks = synthesized.flatMap(({ name, hcl, stacks: names }) => names.map((stack): [string, string, string] => [name, stack, path.join(hcl.outdir, "stacks", stack)]));
  const alone = stacks.filter(([, , dir]) => holdsImportBlocks(dir));
  test(`every stack of every config without import blocks, as modules of one configuration (${stacks.length - alone.length} stacks)`, () => {
    expectValidTerraformTogether(
      tf,
      stacks.filter((x) => !alone.includes(x)).map(([name, stack, dir]) => [`${name.replace(/\W+/g, "_")}_${stack}`, dir]),
    );
  });
  test.each(alone)("%s: %s, alone (its import blocks need a root module)", (_name, _stack, dir) => expectValidTerraform(tf, dir));
});
