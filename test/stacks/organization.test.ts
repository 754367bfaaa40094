// An organization's stacks: one per account, each with its own provider and state; a destination
// stack admits exactly the roles of the accounts writing into it; adding an account changes only
// its own stack and its destination's.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { buildApp } from "../../main";
import { parseAnyConfig, type OrganizationConfig } from "../../lib/config";
import { withFourthAccount } from "../../dev/generate-fleet";
import { PROJECT_ROOT } from "../support/fixtures";

const raw = (): any => JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples/organization.json"), "utf8"));

/** Every stack's synthesized JSON, by stack name. */
function synthAll(r: any): Record<string, any> {
  const config = parseAnyConfig(r) as OrganizationConfig;
  const app = buildApp(config, Testing.app());
  const names = [...config.sourceAccounts.map((a) => a.stack), ...config.destinationAccounts.map((d) => d.stack)];
  return Object.fromEntries(names.map((n) => [n, JSON.parse(Testing.synth(app.node.findChild(n) as any))]));
}

const policyOf = (stack: any, type: string, name: string) => JSON.parse(stack.resource[type][name].policy);

test("each stack keeps its own state, named after it, and a destination stack reads exactly its writers'", () => {
  const r = raw();
  r.backend = { type: "s3", bucket: "tf-state-999999999999", region: "us-east-1", keyPrefix: "replication" };
  const stacks = synthAll(r);
  expect(Object.fromEntries(Object.entries(stacks).map(([n, s]) => [n, s.terraform.backend.s3.key]))).toEqual({
    "source-payments": "replication/source-payments.tfstate",
    "source-analytics": "replication/source-analytics.tfstate",
    "source-web": "replication/source-web.tfstate",
    "dest-archive": "replication/dest-archive.tfstate",
    "dest-log-archive": "replication/dest-log-archive.tfstate",
  });
  const reads = (s: any) => Object.values(s.data.terraform_remote_state as Record<string, any>).map((d) => d.config.key).sort();
  expect(reads(stacks["dest-archive"])).toEqual(["replication/source-analytics.tfstate", "replication/source-payments.tfstate"]);
  expect(reads(stacks["dest-log-archive"])).toEqual(["replication/source-web.tfstate"]);
});

test("with Terraform Cloud, a workspace per stack: <prefix>-<stack>", () => {
  const r = raw();
  r.backend = { type: "cloud", organization: "acme", workspacePrefix: "s3-replication" };
  const stacks = synthAll(r);
  expect(stacks["source-web"].terraform.cloud.workspaces.name).toBe("s3-replication-source-web");
  expect(stacks["dest-log-archive"].terraform.cloud.workspaces.name).toBe("s3-replication-dest-log-archive");
  expect(stacks["dest-log-archive"].data.terraform_remote_state.source_state_web.config.workspaces.name).toBe("s3-replication-source-web");
});

test("a bucket of Bob's admits the role of the one account writing into it, read from that account's state", () => {
  const archive = synthAll(raw())["dest-archive"];
  const writers = (name: string) =>
    policyOf(archive, "aws_s3_bucket_policy", name)
      .Statement.filter((s: any) => s.Sid === "AliceReplicationRoleWritesReplicas")
      .map((s: any) => s.Principal.AWS);
  expect(writers("archive_analytics_222222222222")).toEqual(["${data.terraform_remote_state.source_state_analytics.outputs.replication_role_arn_analytics_results_333333333333}"]);
  expect(writers("archive_payments_222222222222")).toEqual(["${data.terraform_remote_state.source_state_payments.outputs.replication_role_arn_payments_ledger_111111111111}"]);
  // Versioning is checked by the writing account's root, not every source account's.
  const versioning = policyOf(archive, "aws_s3_bucket_policy", "archive_analytics_222222222222").Statement.find((s: any) => s.Sid === "AliceChecksDestinationVersioning");
  expect(versioning.Principal.AWS).toBe("arn:aws:iam::333333333333:root");
});

test("adding a fourth account changes only its own stack and the destination stack it writes into", () => {
  const before = synthAll(raw());
  const r = withFourthAccount(raw());
  const after = synthAll(r);
  expect(Object.keys(after).filter((n) => !(n in before))).toEqual(["source-hr"]);
  const changed = Object.keys(before).filter((n) => JSON.stringify(before[n]) !== JSON.stringify(after[n]));
  expect(changed).toEqual(["dest-archive"]);
  // And in dest-archive, only additions: every resource it had is as it was.
  for (const [type, byName] of Object.entries(before["dest-archive"].resource as Record<string, Record<string, unknown>>)) {
    for (const [name, body] of Object.entries(byName)) expect(after["dest-archive"].resource[type][name]).toEqual(body);
  }
});
