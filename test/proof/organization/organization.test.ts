// verify of an organization (examples/organization.json): every slice passes as synthesized, and
// a grant across accounts, on either side, fails the slice it lands in. Each case could pass if
// the slices were cut wrongly (a group dropped, another account's role taken as intended).
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { verifySynthOutput } from "../../../proof/index";
import { VerifyInputError } from "../../../proof/errors";
import { organizationSlices } from "../../../proof/organization/slices";
import { isOrganizationOutput, verifyOrganization, formatOrganizationText } from "../../../proof/organization/index";
import { manifestStackNames, readStacks } from "../../../proof/synth/synth-output";
import { runApp } from "../../support/app";
import { PROJECT_ROOT } from "../../support/fixtures";
import { editPolicy } from "../../support/mutate";

const run = runApp(path.join(PROJECT_ROOT, "examples/organization.json"));
const fresh = (): Record<string, any> => JSON.parse(JSON.stringify(readStacks(run.outdir, manifestStackNames(run.outdir)).stacks));

/** Each slice's verdict, and why the failing ones fail, after `change` to the stacks. */
async function verdicts(change: (stacks: Record<string, any>) => void): Promise<Record<string, string>> {
  const stacks = fresh();
  change(stacks);
  const out: Record<string, string> = {};
  for (const slice of organizationSlices(run.outdir, JSON.parse(JSON.stringify(stacks)))) {
    const r = await verifySynthOutput(slice.out);
    const why = [
      ...r.findings.filter((f) => !f.holds).map((f) => `check: ${f.check}`),
      ...r.requests.filter((q) => !q.holds).map((q) => `request: ${q.title}`),
      ...r.access.findings.map((a) => `unintended: ${a.principal} ${a.actions.join(",")} on ${a.resource}`),
    ];
    out[`${slice.source} > ${slice.dest}`] = r.ok ? "PASS" : `FAIL ${why.join("; ")}`;
  }
  return out;
}

const PAYMENTS_ROLE_OUTPUT = "${data.terraform_remote_state.source_state_payments.outputs.replication_role_arn_payments_ledger_111111111111}";

test("the example synthesizes a stack per account, and each destination stack reads exactly its writers' state", () => {
  expect(run.status).toBe(0);
  expect(manifestStackNames(run.outdir).sort()).toEqual(["dest-archive", "dest-log-archive", "source-analytics", "source-payments", "source-web"]);
  const stacks = fresh();
  expect(Object.keys(stacks["dest-archive"].data.terraform_remote_state).sort()).toEqual(["source_state_analytics", "source_state_payments"]);
  expect(Object.keys(stacks["dest-log-archive"].data.terraform_remote_state)).toEqual(["source_state_web"]);
  // Each stack's provider is pinned to its own account.
  expect(stacks["source-analytics"].provider.aws[0].allowed_account_ids).toEqual(["333333333333"]);
  expect(stacks["dest-log-archive"].provider.aws[0].allowed_account_ids).toEqual(["555555555555"]);
  expect(isOrganizationOutput(run.outdir)).toBe(true);
});

test("verify passes, one slice per source account, each with only the buckets of Bob's it writes into", async () => {
  const report = await verifyOrganization(run.outdir);
  expect(report.slices.map((s) => [s.source, s.dest, s.report.ok])).toEqual([
    ["source-analytics", "dest-archive", true],
    ["source-payments", "dest-archive", true],
    ["source-web", "dest-log-archive", true],
  ]);
  const payments = report.slices[1].report.topology!;
  expect(payments.destinationBuckets.map((b) => b.name).sort()).toEqual(["archive-payments-222222222222", "archive-payments-audit-222222222222"]);
  expect(formatOrganizationText(report)).toMatch(/Organization proof of .*: PASS \(3 source accounts/);
});

test("a role of one account granted into a bucket another account writes into fails that account's slice", async () => {
  const v = await verdicts((s) => {
    const policy = s["source-payments"].resource.aws_iam_role_policy.payments_ledger_111111111111_replication_role_policy;
    editPolicy(policy, (doc) => doc.Statement.push({ Sid: "AlsoAnalytics", Effect: "Allow", Action: "s3:ReplicateObject", Resource: "arn:aws:s3:::archive-analytics-222222222222/*" }));
  });
  expect(v["source-payments > dest-archive"]).toMatch(/^FAIL .*archive-analytics-222222222222/);
  expect(v["source-analytics > dest-archive"]).toBe("PASS");
});

test("a bucket of Bob's that admits another account's role fails, in the slice of the account it belongs to", async () => {
  const v = await verdicts((s) => {
    const policy = s["dest-archive"].resource.aws_s3_bucket_policy.archive_analytics_222222222222;
    editPolicy(policy, (doc) => doc.Statement.push({ Sid: "AlsoPayments", Effect: "Allow", Principal: { AWS: PAYMENTS_ROLE_OUTPUT }, Action: "s3:ReplicateObject", Resource: "arn:aws:s3:::archive-analytics-222222222222/*" }));
  });
  expect(v["source-analytics > dest-archive"]).toMatch(/^FAIL .*unintended: .*payments-ledger/);
  // The bucket now reads payments' state too, so payments' slice judges it as well: a bucket no rule of payments names.
  expect(v["source-payments > dest-archive"]).toMatch(/^FAIL/);
  expect(v["source-web > dest-log-archive"]).toBe("PASS");
});

test("a role of an account that does not replicate there, named by ARN in a key policy of Bob's, fails", async () => {
  const v = await verdicts((s) => {
    const key = s["dest-archive"].resource.aws_kms_key.archive_payments_222222222222_key;
    editPolicy(key, (doc) => doc.Statement.push({ Sid: "AlsoWeb", Effect: "Allow", Principal: { AWS: "arn:aws:iam::444444444444:role/s3-replication-web-access-logs-444444444444" }, Action: "kms:Encrypt", Resource: "*" }));
  });
  expect(v["source-payments > dest-archive"]).toMatch(/^FAIL .*unintended: .*444444444444/);
});

test("a resource of Bob's that reads no account's state is in every slice of its stack, and judged there", async () => {
  const v = await verdicts((s) => {
    s["dest-archive"].resource.aws_s3_bucket.stray = { bucket: "stray-222222222222", provider: "aws.bob" };
  });
  expect(v["source-payments > dest-archive"]).toMatch(/^FAIL/);
  expect(v["source-analytics > dest-archive"]).toMatch(/^FAIL/);
  expect(v["source-web > dest-log-archive"]).toBe("PASS");
});

test("a remote state no source stack writes, and a source stack no destination stack reads, are unusable input", () => {
  const stacks = fresh();
  stacks["dest-archive"].data.terraform_remote_state.source_state_payments.config.path = "../../../terraform.source-elsewhere.tfstate";
  expect(() => organizationSlices(run.outdir, stacks)).toThrow(VerifyInputError);
  expect(() => organizationSlices(run.outdir, stacks)).toThrow(/no source stack of this organization writes/);
  const unread = fresh();
  delete unread["dest-log-archive"];
  expect(() => organizationSlices(run.outdir, unread)).toThrow(/no destination stack reads the state of source-web/);
});

test("npm run verify finds the organization in the synth output and proves it", () => {
  const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
  const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "dist/tools/verify.js"), "--dir", run.outdir], { encoding: "utf8" });
  expect([r.status, r.stdout.split("\n").filter((l) => /^ {2}(PASS|FAIL) /.test(l))]).toEqual([
    0,
    ["  PASS  source-analytics into dest-archive", "  PASS  source-payments into dest-archive", "  PASS  source-web into dest-log-archive"],
  ]);
  expect(readFileSync(path.join(run.outdir, "synthesized-from.json"), "utf8")).toMatch(/organization\.json/);
});
