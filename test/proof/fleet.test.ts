// The proof of a fleet: every rule's requests, grouped by source bucket, and each role shut out of
// every bucket of Bob's (and its key) that none of its rules names.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { generatedFleet } from "../../dev/generate-fleet";
import { verify } from "../../proof/index";
import { ISOLATION_ALL_PAIRS_UP_TO } from "../../proof/requests/build";
import { DESTINATION_GROUP, STACKS_GROUP } from "../../proof/checks/static-checks";
import { formatText, type VerifyReport } from "../../proof/report";
import { runApp } from "../support/app";
import { PROJECT_ROOT } from "../support/fixtures";
import { editPolicy, mutated as mutatedCopy, statementOf, type Stacks } from "../support/mutate";

const fleetSynth = runApp(path.join(PROJECT_ROOT, "examples", "fleet.json")).outdir;

const mutated = (change: (stacks: Stacks) => void) => mutatedCopy(fleetSynth, change);

const WEB_LOGS = "alice-web-logs-111111111111";
const WEB_LOGS_ROLE = "${data.terraform_remote_state.source_state.outputs.replication_role_arn_alice_web_logs_111111111111}";
const webLogsRolePolicy = (s: Stacks) => s.source.resource.aws_iam_role_policy.alice_web_logs_111111111111_replication_role_policy;
const appLogsRules = (s: Stacks) => s.source.resource.aws_s3_bucket_replication_configuration.alice_app_logs_111111111111_replication.rule;
const addPrincipal = (statement: any, arn: string) => (statement.Principal.AWS = [...[statement.Principal.AWS].flat(), arn]);

const failed = (r: VerifyReport) => [
  ...r.findings.filter((f) => !f.holds).map((f) => `[${f.group}] ${f.check}`),
  ...r.requests.filter((q) => !q.holds).map((q) => `[${q.group}] ${q.action}: ${q.title}`),
];

describe("examples/fleet.json", () => {
  test("passes, grouped by source bucket, then Bob's buckets", async () => {
    const report = await verify(fleetSynth);
    expect(failed(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect([...new Set(report.requests.map((q) => q.group))]).toEqual([
      "alice-app-logs-111111111111",
      "alice-documents-111111111111",
      "alice-web-logs-111111111111",
    ]);
    expect([...new Set(report.findings.map((f) => f.group))].slice(-2)).toEqual([DESTINATION_GROUP, STACKS_GROUP]);
    expect(formatText(report)).toMatch(/== alice-app-logs-111111111111\n[\s\S]*== alice-documents-111111111111\n[\s\S]*== alice-web-logs-111111111111\n[\s\S]*== Bob's buckets\n[\s\S]*== both stacks\n/);
  });

  test("each role writes into exactly the buckets its rules name, and is shut out of the others", async () => {
    const report = await verify(fleetSynth);
    const writes = (group: string, expected: string) =>
      report.requests
        .filter((q) => q.group === group && q.action === "s3:ReplicateObject" && q.expected === expected && q.principal.includes("s3-replication-"))
        .map((q) => q.resource.replace(/^arn:aws:s3:::([^/]+)\/.*$/, "$1"));
    expect(writes("alice-app-logs-111111111111", "ALLOWED")).toEqual(["bob-log-archive-222222222222", "bob-backup-222222222222"]);
    expect(writes(WEB_LOGS, "ALLOWED")).toEqual(["bob-log-archive-222222222222"]);
    expect(report.requests.filter((q) => q.group === WEB_LOGS && /none of its rules names/.test(q.title)).map((q) => `${q.action} ${q.resource}`)).toEqual([
      "s3:ReplicateObject arn:aws:s3:::bob-backup-222222222222/replicated/object.txt",
      "kms:Encrypt arn:aws:kms:us-west-2:222222222222:key/keyid-bob_backup_222222222222_key",
    ]);
    // app-logs writes into both of Bob's buckets: nothing left to shut it out of.
    expect(report.requests.filter((q) => q.group === "alice-app-logs-111111111111" && /none of its rules names/.test(q.title))).toEqual([]);
  });
});

describe("fleet mistakes are caught", () => {
  test.each<[string, (s: Stacks) => void, string[]]>([
    [
      // Bob's side alone cannot open his bucket: the role's own policy still names only its destinations.
      "Bob's backup bucket and key admit the web-logs role, whose own policy does not reach them",
      (s) => {
        editPolicy(s.dest.resource.aws_s3_bucket_policy.bob_backup_222222222222, (d) => addPrincipal(statementOf(d, "AliceReplicationRoleWritesReplicas"), WEB_LOGS_ROLE));
        editPolicy(s.dest.resource.aws_kms_key.bob_backup_222222222222_key, (d) => addPrincipal(statementOf(d, "AliceReplicationRoleEncryptsReplicas"), WEB_LOGS_ROLE));
      },
      [],
    ],
    [
      "the web-logs role may write anywhere, and Bob's backup bucket admits it",
      (s) => {
        editPolicy(webLogsRolePolicy(s), (d) => (statementOf(d, "WriteReplicasToDestinationBucket").Resource = "arn:aws:s3:::*/*"));
        editPolicy(s.dest.resource.aws_s3_bucket_policy.bob_backup_222222222222, (d) => addPrincipal(statementOf(d, "AliceReplicationRoleWritesReplicas"), WEB_LOGS_ROLE));
      },
      [`[${WEB_LOGS}] s3:ReplicateObject: the role writes into a bucket of Bob's that none of its rules names`],
    ],
    [
      "the web-logs role may use any key of Bob's for any bucket, and Bob's backup key admits it",
      (s) => {
        editPolicy(webLogsRolePolicy(s), (d) => {
          const st = statementOf(d, "EncryptReplicasWithDestinationKey");
          delete st.Condition["ForAnyValue:StringEquals"];
          st.Condition.StringLike["kms:EncryptionContext:aws:s3:arn"] = "arn:aws:s3:::bob-*";
        });
        editPolicy(s.dest.resource.aws_kms_key.bob_backup_222222222222_key, (d) => addPrincipal(statementOf(d, "AliceReplicationRoleEncryptsReplicas"), WEB_LOGS_ROLE));
      },
      [`[${WEB_LOGS}] kms:Encrypt: the role encrypts with the key of a bucket of Bob's that none of its rules names`],
    ],
    [
      "Bob's log archive no longer admits the web-logs role",
      (s) =>
        editPolicy(s.dest.resource.aws_s3_bucket_policy.bob_log_archive_222222222222, (d) => {
          const st = statementOf(d, "AliceReplicationRoleWritesReplicas");
          st.Principal.AWS = st.Principal.AWS.filter((a: string) => a !== WEB_LOGS_ROLE);
        }),
      [
        `[${WEB_LOGS}] s3:ReplicateObject: the role writes replicas into Bob's bucket`,
        `[${WEB_LOGS}] s3:ReplicateDelete: the role writes replicas into Bob's bucket`,
        `[${WEB_LOGS}] s3:ReplicateTags: the role writes replicas into Bob's bucket`,
        `[${WEB_LOGS}] s3:ObjectOwnerOverrideToBucketOwner: the role writes replicas into Bob's bucket`,
      ],
    ],
    ["two rules of a bucket with one priority", (s) => (appLogsRules(s)[1].priority = 10), ["[alice-app-logs-111111111111] several rules: each with a filter and its own priority"]],
    ["a rule without a filter beside another", (s) => delete appLogsRules(s)[1].filter, ["[alice-app-logs-111111111111] filter {} rather than a V1 rule or prefix = \"\"", "[alice-app-logs-111111111111] several rules: each with a filter and its own priority"]],
    ["two rules with one ID", (s) => (appLogsRules(s)[1].id = appLogsRules(s)[0].id), ["[alice-app-logs-111111111111] rule IDs unique in the configuration"]],
    [
      "a tag-filtered rule replicating delete markers",
      (s) => (s.source.resource.aws_s3_bucket_replication_configuration.alice_documents_111111111111_replication.rule[0].delete_marker_replication = { status: "Enabled" }),
      ["[alice-documents-111111111111] no tag filter with delete marker replication"],
    ],
  ])("%s", async (_name, change, expected) => {
    expect(failed(await verify(mutated(change)))).toEqual(expected);
  });
});

describe("isolation in a large fleet", () => {
  const synthOf = (n: number) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "fleet-")), "fleet.json");
    writeFileSync(file, JSON.stringify(generatedFleet(n)));
    const run = runApp(file);
    expect(run.status).toBe(0);
    return run.outdir;
  };
  const isolationPerRole = (r: VerifyReport) => {
    const counts = new Map<string, number>();
    for (const q of r.requests.filter((x) => /none of its rules names/.test(x.title) && x.action === "s3:ReplicateObject")) counts.set(q.group, (counts.get(q.group) ?? 0) + 1);
    return [...new Set(counts.values())];
  };

  test(`up to ${ISOLATION_ALL_PAIRS_UP_TO} buckets of Bob's: every role against every bucket it has no rule for`, async () => {
    const report = await verify(synthOf(ISOLATION_ALL_PAIRS_UP_TO));
    expect(report.ok).toBe(true);
    expect(isolationPerRole(report)).toEqual([ISOLATION_ALL_PAIRS_UP_TO - 1]);
  });

  test("npm run verify -- --json writes the whole report of a large fleet to a pipe", () => {
    const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "dist", "tools", "verify.js"), "--dir", synthOf(ISOLATION_ALL_PAIRS_UP_TO), "--json"], {
      encoding: "utf8",
      maxBuffer: 1 << 30,
    });
    expect(r.status).toBe(0);
    // more than a pipe's buffer: process.exit() would cut it short
    expect(r.stdout.length).toBeGreaterThan(1 << 20);
    expect(JSON.parse(r.stdout).ok).toBe(true);
  });

  test("beyond: every role against one", async () => {
    const report = await verify(synthOf(ISOLATION_ALL_PAIRS_UP_TO + 2));
    expect(report.ok).toBe(true);
    expect(isolationPerRole(report)).toEqual([1]);
  });
});

describe("monitoring (examples/monitoring.json)", () => {
  const monitoringSynth = runApp(path.join(PROJECT_ROOT, "examples", "monitoring.json")).outdir;
  const changed = (change: (s: Stacks) => void) => mutatedCopy(monitoringSynth, change);
  const topicPolicy = (s: Stacks) => s.source.resource.aws_sns_topic_policy.alerts;

  test("passes: S3 and CloudWatch publish, encrypted; nobody else gets in", async () => {
    const report = await verify(monitoringSynth);
    expect(failed(report)).toEqual([]);
    expect(report.requests.filter((q) => q.group === "alerts" && q.expected === "ALLOWED").map((q) => q.action)).toEqual([
      "sns:Publish",
      "kms:GenerateDataKey",
      "kms:Decrypt",
      "sns:Publish",
      "kms:GenerateDataKey",
      "kms:Decrypt",
      "sns:Publish",
      "kms:GenerateDataKey",
      "kms:Decrypt",
    ]);
  });

  test.each<[string, (s: Stacks) => void, string[]]>([
    [
      "S3 may publish for any bucket",
      (s) => editPolicy(topicPolicy(s), (d) => (statementOf(d, "S3PublishesReplicationEvents").Condition.ArnLike["aws:SourceArn"] = "arn:aws:s3:::*")),
      ["[alerts] sns:Publish: S3 publishes events of another bucket"],
    ],
    [
      "anyone may publish",
      (s) => editPolicy(topicPolicy(s), (d) => (statementOf(d, "AliceManagesAndSubscribes").Principal = { AWS: "*" })),
      [
        // "*" admits every principal, service principals acting for anyone included
        "[alerts] sns:Publish: S3 publishes events of another bucket",
        "[alerts] sns:Publish: S3 publishes on behalf of another account",
        "[alerts] sns:Publish: CloudWatch publishes an alarm of another account",
        "[alerts] sns:Publish: an administrator of another account publishes or subscribes",
        "[alerts] sns:Subscribe: an administrator of another account publishes or subscribes",
      ],
    ],
    [
      "the alerts key no longer lets the services encrypt",
      (s) => editPolicy(s.source.resource.aws_kms_key.alerts_key, (d) => (d.Statement = d.Statement.filter((x: any) => x.Sid !== "S3AndCloudWatchPublishEncryptedAlerts"))),
      [
        "[alerts] kms:GenerateDataKey: S3 publishes replication failures of alice-customers-111111111111, encrypted with the alerts key",
        "[alerts] kms:Decrypt: S3 publishes replication failures of alice-customers-111111111111, encrypted with the alerts key",
        "[alerts] kms:GenerateDataKey: S3 publishes replication failures of alice-orders-111111111111, encrypted with the alerts key",
        "[alerts] kms:Decrypt: S3 publishes replication failures of alice-orders-111111111111, encrypted with the alerts key",
        "[alerts] kms:GenerateDataKey: CloudWatch publishes an alarm of Alice's account, encrypted with the alerts key",
        "[alerts] kms:Decrypt: CloudWatch publishes an alarm of Alice's account, encrypted with the alerts key",
      ],
    ],
    [
      "a bucket's failure notification gone",
      (s) => delete s.source.resource.aws_s3_bucket_notification.alice_customers_111111111111,
      ["[alerts] replication failures of the bucket notify the alerts topic"],
    ],
    [
      "the missed-threshold event dropped where RTC is on",
      (s) => (s.source.resource.aws_s3_bucket_notification.alice_orders_111111111111.topic[0].events = ["s3:Replication:OperationFailedReplication"]),
      ["[alerts] replication failures of the bucket notify the alerts topic"],
    ],
    [
      "an alarm watching another rule ID",
      (s) => (s.source.resource.aws_cloudwatch_metric_alarm.alice_orders_111111111111_orders_to_archive_failed.dimensions.RuleId = "orders"),
      ["[alerts] a failure alarm per rule, on the rule's replication metrics"],
    ],
    [
      "a rule's metrics off, so its alarm sees nothing",
      (s) => delete s.source.resource.aws_s3_bucket_replication_configuration.alice_customers_111111111111_replication.rule[0].destination.metrics,
      ["[alerts] a failure alarm per rule, on the rule's replication metrics"],
    ],
  ])("%s", async (_name, change, expected) => {
    expect(failed(await verify(changed(change)))).toEqual(expected);
  });
});
