// The proof of the backfill role (examples/adopt-existing.json): what a Batch Replication job needs
// is allowed, and each widening of the role is caught by the request that names it.
import * as path from "node:path";
import { verify } from "../../../proof/index";
import type { VerifyReport } from "../../../proof/report";
import { runApp } from "../../support/app";
import { PROJECT_ROOT } from "../../support/fixtures";
import { editPolicy, mutated, statementOf, type Stacks } from "../../support/mutate";

const synth = runApp(path.join(PROJECT_ROOT, "examples", "adopt-existing.json")).outdir;
const ID = "alice_customers_archive_111111111111";
const backfillPolicy = (s: Stacks) => s.source.resource.aws_iam_role_policy[`${ID}_backfill_role_policy`];
const backfillRole = (s: Stacks) => s.source.resource.aws_iam_role[`${ID}_backfill_role`];
const failed = (r: VerifyReport) => [...r.findings.filter((f) => !f.holds).map((f) => f.check), ...r.requests.filter((q) => !q.holds).map((q) => q.title)];

describe("backfill requests", () => {
  test("the adopt example passes; every backfill request is there, once, in the adopted bucket's section; the kept key is an assumption, said so", async () => {
    const report = await verify(synth);
    expect(failed(report)).toEqual([]);
    const backfill = report.requests.filter((q) => /^(batch|backfill)-/.test(q.id));
    expect(backfill.map((q) => `${q.expected} ${q.id} ${q.action}`)).toEqual([
      "ALLOWED batch-assumes-backfill-role sts:AssumeRole",
      "ALLOWED backfill-initiates-replication s3:InitiateReplication",
      "ALLOWED backfill-reads-replication-configuration s3:GetReplicationConfiguration",
      "ALLOWED backfill-generates-manifest s3:PutInventoryConfiguration",
      "ALLOWED backfill-writes-report s3:PutObject",
      "ALLOWED backfill-encrypts-report kms:GenerateDataKey",
      "DENIED batch-of-another-account-assumes-backfill-role sts:AssumeRole",
      "DENIED backfill-reads-objects s3:GetObject",
      "DENIED backfill-deletes-objects s3:DeleteObjectVersion",
      "DENIED backfill-writes-outside-reports s3:PutObject",
      "DENIED backfill-changes-bucket-policy s3:PutBucketPolicy",
      "DENIED backfill-changes-replication s3:PutReplicationConfiguration",
      "DENIED backfill-replicates-another-bucket s3:InitiateReplication",
      "DENIED backfill-decrypts-objects kms:Decrypt",
      "DENIED backfill-encrypts-beyond-report kms:GenerateDataKey",
    ]);
    expect(new Set(backfill.map((q) => q.group))).toEqual(new Set(["alice-customers-archive-111111111111"]));
    expect(backfill.map((q) => q.resource)).toContain("arn:aws:s3:::alice-customers-archive-111111111111/batch-replication-reports/job-1/report.csv");
    expect(report.notes).toEqual([expect.stringMatching(/^alice-customers-archive-111111111111 keeps its own key arn:aws:kms:us-east-1:111111111111:key\/1234abcd.* the proof assumes its key policy/)]);
  });

  test.each<[string, (s: Stacks) => void, string[]]>([
    [
      "reports written anywhere in the bucket",
      (s) => editPolicy(backfillPolicy(s), (d) => (statementOf(d, "WriteCompletionReport").Resource = "arn:aws:s3:::alice-customers-archive-111111111111/*")),
      ["the backfill role writes outside the report prefix"],
    ],
    ["the trust without its account condition", (s) => editPolicy(backfillRole(s), (d) => delete d.Statement[0].Condition, "assume_role_policy"), ["S3 Batch Operations assumes the backfill role for a job of another account"]],
    [
      "object reads granted",
      (s) => editPolicy(backfillPolicy(s), (d) => (statementOf(d, "InitiateReplicationOfSourceObjects").Action = ["s3:InitiateReplication", "s3:GetObject"])),
      ["the backfill role reads objects"],
    ],
    ["InitiateReplication removed", (s) => editPolicy(backfillPolicy(s), (d) => (d.Statement = d.Statement.filter((x: any) => x.Sid !== "InitiateReplicationOfSourceObjects"))), ["the backfill role starts replication of the bucket's objects"]],
    [
      "the report key grant without its encryption context",
      (s) => editPolicy(backfillPolicy(s), (d) => delete statementOf(d, "EncryptCompletionReport").Condition.StringLike),
      ["the backfill role encrypts anything but its report"],
    ],
  ])("%s is caught", async (_name, change, expected) => {
    expect(failed(await verify(mutated(synth, change)))).toEqual(expected);
  });
});
