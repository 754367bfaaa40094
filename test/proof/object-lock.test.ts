// verify on Object Lock (examples/object-lock.json): the locked source's role must read retention
// and legal holds, nobody else's may, a locked source needs a locked destination, the retention must
// be one S3 accepts, and verify --live compares the deployed lock with the synthesized one.
import * as path from "node:path";
import { driftFindings } from "../../proof/checks/drift";
import { verify } from "../../proof/index";
import type { LiveFleet } from "../../proof/live/model";
import type { VerifyReport } from "../../proof/report";
import { buildFleetModel, type FleetModel } from "../../proof/synth/model";
import { loadSynthOutput } from "../../proof/synth/synth-output";
import { runApp } from "../support/app";
import { PROJECT_ROOT } from "../support/fixtures";
import { editPolicy, mutated as mutatedCopy, statementOf, type Stacks } from "../support/mutate";

const synth = runApp(path.join(PROJECT_ROOT, "examples", "object-lock.json"));
const mutated = (change: (stacks: Stacks) => void) => mutatedCopy(synth.outdir, change);

const failed = (r: VerifyReport) => [
  ...r.findings.filter((f) => !f.holds).map((f) => `[${f.group}] ${f.check}: ${f.detail}`),
  ...r.requests.filter((q) => !q.holds).map((q) => `[${q.group}] ${q.id} ${q.action} ${q.actual}`),
  ...r.access.findings.map((a) => `[${a.group}] unintended: ${a.principal} ${a.actions.join(",")} on ${a.resource}`),
];
const RECORDS = "alice-records-111111111111";
const APP_LOGS = "alice-app-logs-111111111111";
const rolePolicy = (s: Stacks, bucket: string) => s.source.resource.aws_iam_role_policy[`${bucket.replace(/-/g, "_")}_replication_role_policy`];

describe("verify, examples/object-lock.json", () => {
  test("passes: the locked source's role reads its locks, and every lock is checked", async () => {
    expect(synth.status).toBe(0);
    const report = await verify(synth.outdir);
    expect(failed(report)).toEqual([]);
    const lockReads = report.requests.filter((q) => q.id === "role-reads-source-locks");
    expect(lockReads.map((q) => `${q.group} ${q.action} ${q.actual}`)).toEqual([`${RECORDS} s3:GetObjectRetention ALLOWED`, `${RECORDS} s3:GetObjectLegalHold ALLOWED`]);
    expect(report.findings.filter((f) => f.check === "a locked source replicates into a locked destination").map((f) => f.group)).toEqual([RECORDS]);
    expect(report.findings.filter((f) => f.check === "Object Lock default retention valid")).toHaveLength(3);
    expect(report.access.intended.some((row) => row.group === RECORDS && row.id === "replication-role-reads-source-locks")).toBe(true);
    expect(report.access.intended.some((row) => row.group === APP_LOGS && row.id === "replication-role-reads-source-locks")).toBe(false);
  });

  test.each<[string, (s: Stacks) => void, RegExp]>([
    [
      "the locked source's role without GetObjectRetention",
      (s) => editPolicy(rolePolicy(s, RECORDS), (doc) => (statementOf(doc, "ReadSourceObjectVersions").Action = statementOf(doc, "ReadSourceObjectVersions").Action.filter((a: string) => a !== "s3:GetObjectRetention"))),
      new RegExp(`^\\[${RECORDS}\\] role-reads-source-locks s3:GetObjectRetention DENIED$`),
    ],
    [
      "an unlocked source's role granted GetObjectLegalHold",
      (s) => editPolicy(rolePolicy(s, APP_LOGS), (doc) => statementOf(doc, "ReadSourceObjectVersions").Action.push("s3:GetObjectLegalHold")),
      new RegExp(`^\\[${APP_LOGS}\\] unintended: the replication role of ${APP_LOGS} s3:GetObjectLegalHold on an object of ${APP_LOGS}`),
    ],
    [
      "the locked destination's lock removed",
      (s) => delete s.dest.resource.aws_s3_bucket_object_lock_configuration.bob_records_vault_222222222222,
      new RegExp(`^\\[${RECORDS}\\] a locked source replicates into a locked destination: rule records-to-vault: ${RECORDS} has Object Lock; bob-records-vault-222222222222 has none$`),
    ],
    [
      "a source locked through the bucket's own object_lock_enabled, its role not reading locks",
      (s) => (s.source.resource.aws_s3_bucket.alice_app_logs_111111111111.object_lock_enabled = true),
      new RegExp(`^\\[${APP_LOGS}\\] role-reads-source-locks s3:GetObjectRetention DENIED$`),
    ],
    [
      "a retention of days and years",
      (s) => (s.dest.resource.aws_s3_bucket_object_lock_configuration.bob_log_archive_222222222222.rule.default_retention.years = 1),
      /^\[Bob's buckets\] Object Lock default retention valid: bob-log-archive-222222222222: mode "GOVERNANCE", days 90, years 1$/,
    ],
    [
      "a second lock configuration for one bucket",
      (s) => (s.dest.resource.aws_s3_bucket_object_lock_configuration.another = { ...s.dest.resource.aws_s3_bucket_object_lock_configuration.bob_log_archive_222222222222 }),
      /verify can prove everything in the stack: .*2 resources own one setting of bob-log-archive-222222222222/,
    ],
  ])("%s fails, naming it", async (_name, change, expected) => {
    const report = await verify(mutated(change));
    expect(report.ok).toBe(false);
    expect(failed(report)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });
});

describe("verify --live's comparison of the lock", () => {
  const expected = buildFleetModel(loadSynthOutput(synth.outdir));
  const allBuckets = new Set([...expected.replications.map((r) => r.sourceBucket.name), ...expected.destinationBuckets.map((d) => d.bucket.name)]);
  const deployed = (change: (m: FleetModel) => void): LiveFleet => {
    const model = structuredClone(expected);
    change(model);
    return { model, keyArns: new Map(), notes: [] };
  };
  const bucket = (m: FleetModel, name: string) => m.destinationBuckets.find((d) => d.bucket.name === name)!.bucket;
  const drift = (live: LiveFleet) => driftFindings(expected, live, { buckets: allBuckets }).filter((f) => !f.holds && f.detail.includes("settings"));

  test("a lock as synthesized holds", () => {
    expect(drift(deployed(() => undefined))).toEqual([]);
  });

  test.each<[string, (m: FleetModel) => void, RegExp]>([
    ["a shorter retention", (m) => (bucket(m, "bob-log-archive-222222222222").objectLock = { mode: "GOVERNANCE", days: 1 }), /^bucket bob-log-archive-222222222222: settings: objectLock\.days: 90 → 1$/],
    ["no lock on the destination", (m) => delete bucket(m, "bob-records-vault-222222222222").objectLock, /^bucket bob-records-vault-222222222222: settings: objectLock: \{"mode":"COMPLIANCE","years":7\} → not set$/],
  ])("%s is drift", (_name, change, message) => {
    expect(drift(deployed(change)).map((f) => f.detail)).toEqual([expect.stringMatching(message)]);
  });
});
