// The steps of an emulated deploy, in order: bring-up, the SDK's view of every bucket, key, role and
// rule, a second plan, destroy. Run by `npm run deploy:local` and, one test each, by the e2e test.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { GetRoleCommand, GetRolePolicyCommand, NoSuchEntityException } from "@aws-sdk/client-iam";
import { DescribeKeyCommand, GetKeyPolicyCommand, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { GetBucketNotificationConfigurationCommand, GetBucketReplicationCommand, GetObjectLockConfigurationCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListTopicsCommand } from "@aws-sdk/client-sns";
import { bucketArn, kmsAliasArn, kmsAliasName, roleArn, snsTopicArn } from "../../lib/arns";
import type { ObjectLockConfig, ReplicationConfig, SourceBucketConfig } from "../../lib/config";
import { FAILED_REPLICATION_ALARM, FAILED_REPLICATION_EVENT, KEY_DELETION_WINDOW_DAYS, MISSED_THRESHOLD_EVENT, REPLICATION_TIME_MINUTES } from "../../lib/aws-facts";
import { destinationBucketNames, sourceBucketNames } from "../../lib/naming";
import {
  alertsKeyPolicy,
  backfillRolePolicy,
  backfillTrustPolicy,
  alertsTopicPolicy,
  destinationBucketPolicy,
  replicaKeyPolicy,
  replicationRolePolicy,
  replicationTrustPolicy,
  sourceBucketPolicy,
  sourceKeyPolicy,
} from "../../lib/policies";
import { destinationBucket, destinationsOf, twoWayOfSource, twoWayPairs, wayBackGrants, writersInto } from "../../lib/topology";
import { bringUp } from "../../tools/bring-up";
import type { AccountClients } from "../../tools/accounts";
import { AttachPolicyCommand, CreateOrganizationCommand, CreatePolicyCommand, EnablePolicyTypeCommand, ListRootsCommand } from "@aws-sdk/client-organizations";
import { GUARDRAILS_FROM_ORGANIZATIONS } from "../../proof/live/guardrails";
import { MOTO_RULE_READ_BACK_GAP } from "../emulator";
import { CDKTF, PROJECT_ROOT } from "../../tools/project-root";
import type { VerifyReport } from "../../proof/report";
import { DRIFT_CHECK } from "../../proof/checks/drift";
import { runCommand } from "../../tools/run-command";
import { TerraformProgress } from "../../tools/terraform-progress";
import { bucketNames, checkBucket, checkKey, errorName, httpStatusOf, outputsOf, parsePolicy } from "./inspect";
import { checkAdoptedAfterDestroy, checkAdoptedObjects, checkFirstPlanAdopts, refuseThenDetach } from "./adoption";
import { knownMotoGap, plannedChanges } from "./plan-diff";
import { CDKTF_FLAGS, COMMAND_TIMEOUT_MS, type LocalDeployment } from "./workspace";

export interface DeployStep {
  name: string;
  run(d: LocalDeployment): Promise<void>;
}

const expectedRoleArn = (c: ReplicationConfig, b: SourceBucketConfig) => roleArn(c.sourceAccount.accountId, b.replicationRoleName);

/** After bring-up step 1/3: Alice's side exists, there is no replication configuration, Bob has nothing. */
async function checkSourceWithoutReplication(d: LocalDeployment): Promise<void> {
  const sourceBucketNames = await bucketNames(d.sourceClients);
  for (const b of d.config.sourceBuckets) {
    assert.ok(sourceBucketNames.includes(b.bucketName), `Alice's bucket ${b.bucketName} exists after step 1`);
    const role = await d.sourceClients.iam.send(new GetRoleCommand({ RoleName: b.replicationRoleName }));
    assert.equal(role.Role?.Arn, expectedRoleArn(d.config, b));
    assert.equal(
      await errorName(d.sourceClients.s3.send(new GetBucketReplicationCommand({ Bucket: b.bucketName }))),
      "ReplicationConfigurationNotFoundError",
      `no replication configuration on ${b.bucketName} while destination_ready=false`,
    );
  }
  assert.deepEqual(await bucketNames(d.destinationClients), [], "Bob has no bucket yet");
  assert.equal(outputsOf(d, "source").replication_enabled, false);
}

const sorted = (names: string[]) => [...names].sort();

/** `npm run verify -- --live --json` as a user runs it, in the scratch project: its exit code and report. */
function verifyLive(d: LocalDeployment): { status: number | null; report: VerifyReport } {
  const cli = path.join(PROJECT_ROOT, "dist", "tools", "verify.js");
  const r = spawnSync(process.execPath, [cli, "--live", "--json", "--config", "replication.config.json", "--rule-fields-from-synth", MOTO_RULE_READ_BACK_GAP.join(",")], {
    cwd: d.work,
    env: d.env,
    encoding: "utf8",
    timeout: COMMAND_TIMEOUT_MS,
    maxBuffer: 256 * 1024 * 1024,
  });
  writeFileSync(d.logFile, `\n$ verify --live (exit ${r.status})\n${r.stderr}`, { flag: "a" });
  assert.ok(r.status === 0 || r.status === 1, `verify --live could not run (exit ${r.status}): ${r.stderr}`);
  return { status: r.status, report: JSON.parse(r.stdout) };
}

const failures = (report: VerifyReport) => [
  ...report.findings.filter((f) => !f.holds).map((f) => `${f.check}: ${f.detail}`),
  ...report.requests.filter((q) => !q.holds).map((q) => `${q.title}: ${q.action} on ${q.resource} ${q.actual}`),
  ...report.access.findings.map((a) => `unintended access: ${a.principal} may ${a.actions.join(", ")} on ${a.resource} (${a.allowedBy.join(", ")})`),
  ...(report.guardrails?.blocks ?? []).map((b) => `blocked by a guardrail: ${JSON.stringify(b).slice(0, 200)}`),
];

/** The statement of a replica key's policy that lets the replication roles encrypt replicas. */
const REPLICA_GRANT_SID = "AliceReplicationRoleEncryptsReplicas";

/**
 * The steps for a config; `adopts`: some of Alice's buckets exist before bring-up (seed.ts) and are
 * adopted, which adds the adoption checks (./adoption.ts) and detaches them before destroy.
 */
export function deploySteps(options: { adopts: boolean; grows?: boolean }): DeployStep[] {
  const { adopts, grows } = options;
  return [
    ...(adopts ? [{ name: "the first plan of source imports each adopted bucket and its policy, and destroys or replaces nothing", run: checkFirstPlanAdopts }] : []),
    steps[0],
    ...(grows ? [growStep] : []),
    ...steps.slice(1, AFTER_TLS_STEP),
    ...(adopts ? [{ name: "adopted buckets keep every object they held before bring-up", run: checkAdoptedObjects }] : []),
    ...steps.slice(AFTER_TLS_STEP),
    destroyStep(adopts),
  ];
}

const steps: DeployStep[] = [
  {
    name: "first bring-up (the project's bring-up command), interrupted during step 2/3 once dest has created a resource, then run again: it resumes at step 2/3 and completes; after step 1/3 Alice's side exists without replication",
    run: async (d) => {
      const options = { extra: CDKTF_FLAGS, cwd: d.work, env: d.env, timeoutMs: COMMAND_TIMEOUT_MS, logFile: d.logFile, progress: true };
      const shown = (line: string) => {
        writeFileSync(d.logFile, `\n${line}\n`, { flag: "a" });
        // Shown as it happens: each step with its time, each resource as terraform finishes it.
        d.print(`  ${line.replace(/^bring-up: /, "")}`);
      };
      // As a cancelled pipeline does: SIGTERM to cdktf and terraform, which stop cleanly and keep their state.
      const interrupt = new AbortController();
      let inStep2 = false;
      await assert.rejects(
        bringUp({
          ...options,
          signal: interrupt.signal,
          log: (line) => {
            shown(line);
            if (/^bring-up: 2\/3 dest.*: cdktf deploy/.test(line)) inStep2 = true;
            else if (inStep2 && /^\s+\+ created dest: /.test(line) && !interrupt.signal.aborted) {
              shown("bring-up interrupted (SIGTERM), as a cancelled pipeline would be");
              interrupt.abort();
            }
          },
          afterStep: async (_step, index) => {
            if (index === 0) await checkSourceWithoutReplication(d);
          },
        }),
        /step "2\/3 dest[^"]*" failed/,
        "the interrupted bring-up stops at step 2/3",
      );
      assert.ok(interrupt.signal.aborted, "the bring-up was interrupted while dest was being applied");
      const lines: string[] = [];
      const done = await bringUp({ ...options, log: (line) => (lines.push(line), shown(line)) });
      assert.ok(lines.some((l) => /resuming at step 2\/3/.test(l)), `the second run resumes at step 2/3: ${lines.slice(0, 3).join(" | ")}`);
      // The progress read from terraform's real output: the resumed steps finished what was left.
      assert.equal(done.length, 2, `two bring-up steps reported: ${done.join("; ")}`);
      assert.match(done[0], /^2\/3 dest.*: \d+ created/, "the resumed dest apply creates what the interrupted one left");
      d.done.push(...done.map((line) => `bring-up ${line}`));
    },
  },
  {
    name: "each account holds only its own buckets, and the outputs name them",
    run: async (d) => {
      const { sourceAccount, destinationAccount } = d.config;
      assert.deepEqual(await bucketNames(d.sourceClients), sorted(d.config.sourceBuckets.map((b) => b.bucketName)));
      assert.deepEqual(await bucketNames(d.destinationClients), sorted(d.config.destinationBuckets.map((b) => b.bucketName)));
      const s = outputsOf(d, "source");
      assert.equal(s.replication_enabled, true);
      for (const b of d.config.sourceBuckets) {
        const out = sourceBucketNames(d.config, b.bucketName).output;
        assert.equal(s[out("replication_role_arn")], expectedRoleArn(d.config, b));
        assert.equal(s[out("source_bucket_arn")], bucketArn(b.bucketName));
        assert.equal(s[out("source_bucket_name")], b.bucketName);
        assert.match(String(s[out("source_kms_key_arn")]), new RegExp(`^arn:aws:kms:${sourceAccount.region}:${sourceAccount.accountId}:key/`));
      }
      const t = outputsOf(d, "dest");
      for (const b of d.config.destinationBuckets) {
        const out = destinationBucketNames(d.config, b.bucketName).output;
        assert.equal(t[out("destination_bucket_arn")], bucketArn(b.bucketName));
        assert.equal(t[out("destination_bucket_name")], b.bucketName);
        assert.match(String(t[out("replica_kms_key_arn")]), new RegExp(`^arn:aws:kms:${destinationAccount.region}:${destinationAccount.accountId}:key/`));
        assert.equal(t[out("replica_kms_key_alias_arn")], kmsAliasArn(destinationAccount.region, destinationAccount.accountId, b.kmsKeyAlias));
      }
    },
  },
  {
    name: "Alice's keys and buckets (adopted ones too): settings and policies as the stack meant them, an adopted bucket's own statements kept",
    run: async (d) => {
      for (const b of d.config.sourceBuckets) {
        // An adopted bucket keeping its own key: the stack writes no policy for that key.
        // Two-way: Bob's role of the way back is admitted by Alice's key and bucket policies.
        const pair = twoWayOfSource(d.config, b.bucketName);
        const writer = pair && { accountId: d.config.destinationAccount.accountId, roleArn: pair.reverseRoleArn, ownerOverride: pair.rule.ownerOverride };
        const keyArn =
          b.existing?.kmsKeyArn ??
          (await checkKey(d.sourceClients, b.kmsKeyAlias!, () => sourceKeyPolicy(d.config.sourceAccount.accountId, writer && { writer, region: d.config.sourceAccount.region, bucketName: b.bucketName })));
        // An adopted bucket's policy: the stack's statement, then every statement it had before.
        await checkBucket(d.sourceClients, b.bucketName, keyArn, sourceBucketPolicy(b.bucketName, b.existing?.bucketPolicyStatements, writer));
      }
    },
  },
  {
    name: "Bob's replica keys and buckets: settings and policies naming exactly the roles that write there",
    run: async (d) => {
      const { accountId, region } = d.config.destinationAccount;
      for (const b of d.config.destinationBuckets) {
        const writers = writersInto(d.config, b.bucketName).map((w) => ({ roleArn: expectedRoleArn(d.config, w.source), ownerOverride: w.ownerOverride }));
        const keyArn = await checkKey(d.destinationClients, b.kmsKeyAlias, () => replicaKeyPolicy({ accountId, region, bucketName: b.bucketName, writers }));
        await checkBucket(d.destinationClients, b.bucketName, keyArn, destinationBucketPolicy({ bucketName: b.bucketName, sourceAccountId: d.config.sourceAccount.accountId, writers }));
      }
    },
  },
  {
    name: "the replication roles (and backfill roles): trust and permissions policies, one role per source bucket",
    run: async (d) => {
      const { accountId, region } = d.config.sourceAccount;
      for (const b of d.config.sourceBuckets) {
        const role = await d.sourceClients.iam.send(new GetRoleCommand({ RoleName: b.replicationRoleName }));
        assert.deepEqual(parsePolicy(role.Role!.AssumeRolePolicyDocument!), replicationTrustPolicy(accountId, b.bucketName));
        const sourceKeyArn = b.existing?.kmsKeyArn ?? (await d.sourceClients.kms.send(new DescribeKeyCommand({ KeyId: kmsAliasName(b.kmsKeyAlias!) }))).KeyMetadata!.Arn!;
        const inline = await d.sourceClients.iam.send(new GetRolePolicyCommand({ RoleName: b.replicationRoleName, PolicyName: "s3-cross-account-replication" }));
        assert.deepEqual(
          parsePolicy(inline.PolicyDocument!),
          replicationRolePolicy({ source: { bucketName: b.bucketName, region, objectLock: b.objectLock !== undefined }, sourceKeyArn, destinations: destinationsOf(d.config, b) }),
        );
        if (b.backfill) {
          const backfill = await d.sourceClients.iam.send(new GetRoleCommand({ RoleName: b.backfill.roleName }));
          assert.deepEqual(parsePolicy(backfill.Role!.AssumeRolePolicyDocument!), backfillTrustPolicy(accountId), `trust of ${b.backfill.roleName}`);
          const policy = await d.sourceClients.iam.send(new GetRolePolicyCommand({ RoleName: b.backfill.roleName, PolicyName: "s3-batch-replication" }));
          assert.deepEqual(
            parsePolicy(policy.PolicyDocument!),
            backfillRolePolicy({ bucketName: b.bucketName, region, sourceKeyArn, reportPrefix: b.backfill.reportPrefix }),
            `policy of ${b.backfill.roleName}`,
          );
        }
      }
    },
  },
  {
    name: "the way back of each two-way pair: Bob's role (trust and permissions) and the replication configuration of Bob's bucket into Alice's",
    run: async (d) => {
      const pairs = twoWayPairs(d.config);
      const alice = d.config.sourceAccount;
      for (const pair of pairs) {
        const roleName = pair.rule.reverseRoleName!;
        const role = await d.destinationClients.iam.send(new GetRoleCommand({ RoleName: roleName }));
        assert.equal(role.Role?.Arn, pair.reverseRoleArn);
        assert.deepEqual(parsePolicy(role.Role!.AssumeRolePolicyDocument!), replicationTrustPolicy(d.config.destinationAccount.accountId, pair.destination.bucketName, "S3ReplicatesBobBucketBack"));
        const replicaKeyArn = (await d.destinationClients.kms.send(new DescribeKeyCommand({ KeyId: kmsAliasName(pair.destination.kmsKeyAlias) }))).KeyMetadata!.Arn!;
        const inline = await d.destinationClients.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: "s3-cross-account-replication" }));
        assert.deepEqual(parsePolicy(inline.PolicyDocument!), replicationRolePolicy(wayBackGrants(d.config, pair, replicaKeyArn)), `policy of ${roleName}`);
        const { ReplicationConfiguration: rc } = await d.destinationClients.s3.send(new GetBucketReplicationCommand({ Bucket: pair.destination.bucketName }));
        const where = `the way back of ${pair.destination.bucketName}`;
        assert.equal(rc?.Role, pair.reverseRoleArn, where);
        assert.deepEqual(rc?.Rules?.map((r) => r.ID), [pair.rule.id], `${where}: one rule, the two-way rule's ID`);
        const rule = rc!.Rules![0];
        assert.equal(rule.Status, "Enabled", where);
        assert.equal(rule.Destination?.Bucket, bucketArn(pair.source.bucketName), `${where}: into Alice's bucket`);
        assert.equal(rule.Destination?.Account, alice.accountId, `${where}: account`);
        assert.equal(rule.Destination?.EncryptionConfiguration?.ReplicaKmsKeyID, kmsAliasArn(alice.region, alice.accountId, pair.source.kmsKeyAlias!), `${where}: Alice's key`);
        assert.deepEqual(rule.Destination?.AccessControlTranslation, pair.rule.ownerOverride ? { Owner: "Destination" } : undefined, `${where}: owner override`);
        assert.equal(outputsOf(d, "dest")[destinationBucketNames(d.config, pair.destination.bucketName).output("reverse_replication_role_arn")], pair.reverseRoleArn);
      }
      assert.ok(pairs.length > 0 || !d.config.sourceBuckets.some((b) => b.rules.some((r) => r.twoWay)));
    },
  },
  {
    name: "Object Lock on exactly the buckets that ask for it, with their default retention",
    run: async (d) => {
      const buckets: [AccountClients, string, ObjectLockConfig | undefined][] = [
        ...d.config.sourceBuckets.map((b): [AccountClients, string, ObjectLockConfig | undefined] => [d.sourceClients, b.bucketName, b.objectLock]),
        ...d.config.destinationBuckets.map((b): [AccountClients, string, ObjectLockConfig | undefined] => [d.destinationClients, b.bucketName, b.objectLock]),
      ];
      for (const [clients, Bucket, lock] of buckets) {
        if (!lock) {
          assert.equal(await errorName(clients.s3.send(new GetObjectLockConfigurationCommand({ Bucket }))), "ObjectLockConfigurationNotFoundError", `no Object Lock on ${Bucket}`);
          continue;
        }
        const { ObjectLockConfiguration: found } = await clients.s3.send(new GetObjectLockConfigurationCommand({ Bucket }));
        assert.equal(found?.ObjectLockEnabled, "Enabled", `Object Lock on ${Bucket}`);
        // An absent period reads as 0 (moto writes it so; S3 leaves it out): both are "not set".
        const retention = found?.Rule?.DefaultRetention;
        assert.deepEqual(
          { mode: retention?.Mode, days: retention?.Days || 0, years: retention?.Years || 0 },
          { mode: lock.mode, days: lock.days ?? 0, years: lock.years ?? 0 },
          `default retention of ${Bucket}`,
        );
      }
    },
  },
  {
    name: "the replication configurations: every rule with its destination, key, storage class, priority, RTC and metrics (every field moto keeps)",
    run: async (d) => {
      const { accountId, region } = d.config.destinationAccount;
      for (const b of d.config.sourceBuckets) {
        const { ReplicationConfiguration: rc } = await d.sourceClients.s3.send(new GetBucketReplicationCommand({ Bucket: b.bucketName }));
        assert.equal(rc?.Role, expectedRoleArn(d.config, b));
        assert.deepEqual(rc?.Rules?.map((r) => r.ID), b.rules.map((r) => r.id), `rules of ${b.bucketName}, in order`);
        b.rules.forEach((expected, i) => {
          const rule = rc!.Rules![i];
          const destination = destinationBucket(d.config, expected.destinationBucket);
          const where = `${b.bucketName} rule ${expected.id}`;
          assert.equal(rule.Status, "Enabled", where);
          if (expected.priority !== undefined) assert.equal(rule.Priority, expected.priority, `${where}: priority`);
          assert.equal(rule.Destination?.Bucket, bucketArn(destination.bucketName), `${where}: destination`);
          assert.equal(rule.Destination?.Account, accountId, `${where}: account`);
          assert.equal(rule.Destination?.EncryptionConfiguration?.ReplicaKmsKeyID, kmsAliasArn(region, accountId, destination.kmsKeyAlias), `${where}: replica key`);
          assert.equal(rule.Destination?.StorageClass, expected.storageClass, `${where}: storage class`);
          assert.deepEqual(rule.Destination?.AccessControlTranslation, expected.ownerOverride ? { Owner: "Destination" } : undefined, `${where}: owner override`);
          const minutes = { Minutes: REPLICATION_TIME_MINUTES };
          assert.deepEqual(rule.Destination?.ReplicationTime, expected.replicationTimeControl ? { Status: "Enabled", Time: minutes } : undefined, `${where}: replication time`);
          assert.deepEqual(
            rule.Destination?.Metrics,
            expected.replicationTimeControl ? { Status: "Enabled", EventThreshold: minutes } : expected.metrics ? { Status: "Enabled" } : undefined,
            `${where}: metrics`,
          );
        });
      }
      const rtc = d.config.sourceBuckets.some((b) => b.rules.some((r) => r.replicationTimeControl));
      assert.ok(rtc, "the emulated config has at least one rule with Replication Time Control");
    },
  },
  {
    name: "monitoring (when on): the encrypted alerts topic and its policy, every bucket's failure notification, an alarm per rule",
    run: async (d) => {
      const { monitoring, sourceAccount } = d.config;
      const outputs = outputsOf(d, "source");
      if (!monitoring.enabled) {
        assert.equal(outputs.alerts_topic_arn, undefined, "no alerts topic while monitoring is off");
        return;
      }
      const topicArn = snsTopicArn(sourceAccount.region, sourceAccount.accountId, monitoring.topicName);
      assert.equal(outputs.alerts_topic_arn, topicArn);
      const keyArn = await checkKey(d.sourceClients, monitoring.kmsKeyAlias, () => alertsKeyPolicy(sourceAccount.accountId));
      assert.equal(outputs.alerts_kms_key_arn, keyArn);
      const { Attributes: topic } = await d.sourceClients.sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
      assert.equal(topic?.KmsMasterKeyId, keyArn, "the topic is encrypted with its own key");
      assert.deepEqual(
        parsePolicy(topic!.Policy!),
        alertsTopicPolicy({ accountId: sourceAccount.accountId, region: sourceAccount.region, topicArn, sourceBucketNames: d.config.sourceBuckets.map((b) => b.bucketName) }),
        "the topic policy",
      );
      const { Subscriptions: subscriptions } = await d.sourceClients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
      assert.deepEqual(
        subscriptions?.map((x) => ({ protocol: x.Protocol, endpoint: x.Endpoint })).sort((a, b) => String(a.endpoint).localeCompare(String(b.endpoint))),
        monitoring.subscriptions.map((x) => ({ protocol: x.protocol, endpoint: x.endpoint })).sort((a, b) => a.endpoint.localeCompare(b.endpoint)),
      );
      const { MetricAlarms: alarms } = await d.sourceClients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: "s3-replication-failed-" }));
      for (const b of d.config.sourceBuckets) {
        const rtc = b.rules.some((r) => r.replicationTimeControl);
        const notification = await d.sourceClients.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b.bucketName }));
        assert.deepEqual(
          notification.TopicConfigurations?.map((t) => ({ topic: t.TopicArn, events: t.Events })),
          [{ topic: topicArn, events: [FAILED_REPLICATION_EVENT, ...(rtc ? [MISSED_THRESHOLD_EVENT] : [])] }],
          `${b.bucketName} sends its replication failures to the topic`,
        );
        for (const rule of b.rules) {
          const alarm = alarms?.find((a) =>
            a.Dimensions?.some((x) => x.Name === "RuleId" && x.Value === rule.id) && a.Dimensions?.some((x) => x.Name === "SourceBucket" && x.Value === b.bucketName),
          );
          assert.ok(alarm, `an alarm for ${b.bucketName} rule ${rule.id}`);
          assert.deepEqual(
            {
              namespace: alarm.Namespace,
              metric: alarm.MetricName,
              statistic: alarm.Statistic,
              period: alarm.Period,
              threshold: alarm.Threshold,
              comparison: alarm.ComparisonOperator,
              missingData: alarm.TreatMissingData,
              actions: alarm.AlarmActions,
              destination: alarm.Dimensions?.find((x) => x.Name === "DestinationBucket")?.Value,
            },
            {
              namespace: FAILED_REPLICATION_ALARM.namespace,
              metric: FAILED_REPLICATION_ALARM.metricName,
              statistic: FAILED_REPLICATION_ALARM.statistic,
              period: FAILED_REPLICATION_ALARM.period,
              threshold: FAILED_REPLICATION_ALARM.threshold,
              comparison: FAILED_REPLICATION_ALARM.comparisonOperator,
              missingData: FAILED_REPLICATION_ALARM.treatMissingData,
              actions: [topicArn],
              destination: rule.destinationBucket,
            },
            `the alarm of ${b.bucketName} rule ${rule.id}`,
          );
        }
      }
    },
  },
  {
    // moto serves plain HTTP and does evaluate a bucket policy's explicit Deny on aws:SecureTransport.
    name: "a request without TLS is refused by every bucket's policy",
    run: async (d) => {
      const buckets: [AccountClients, string][] = [
        ...d.config.sourceBuckets.map((b): [AccountClients, string] => [d.sourceClients, b.bucketName]),
        ...d.config.destinationBuckets.map((b): [AccountClients, string] => [d.destinationClients, b.bucketName]),
      ];
      for (const [c, Bucket] of buckets) {
        const status = await httpStatusOf(c.s3.send(new PutObjectCommand({ Bucket, Key: "e2e/over-http.txt", Body: "x" })));
        assert.equal(status, 403, `a plain-HTTP PutObject to ${Bucket} must be denied`);
      }
    },
  },
  {
    name: "verify --live proves the deployed accounts and finds them as synthesized",
    run: async (d) => {
      const { status, report } = verifyLive(d);
      assert.deepEqual(failures(report), [], "verify --live on a fresh deployment");
      assert.equal(status, 0);
      const drift = report.findings.filter((f) => f.check === DRIFT_CHECK);
      assert.ok(drift.length > 0 && report.requests.length > 0, "the live proof compared resources and ran requests");
      // Two-way: the way back read from Bob's account, compared and proved too.
      for (const pair of twoWayPairs(d.config)) {
        assert.ok(drift.some((f) => f.detail.startsWith(`role ${pair.rule.reverseRoleName}: trust policy: as synthesized`)), `verify --live compared the role of the way back of ${pair.destination.bucketName}`);
        assert.ok(drift.some((f) => f.detail.startsWith(`replication configuration of ${pair.destination.bucketName}: as synthesized`)), `verify --live compared the way back of ${pair.destination.bucketName}`);
        assert.ok(report.requests.some((q) => q.group === pair.destination.bucketName && q.id === "role-writes-replicas" && q.holds), `verify --live proved the way back of ${pair.destination.bucketName}`);
      }
    },
  },
  {
    // moto gives the accounts an organization creates random IDs, so a deployed account can only be
    // a management account here; the member account's path is read in test/proof/live/guardrails.test.ts.
    name: "verify --live reads Bob's organization and its SCPs from AWS Organizations",
    run: async (d) => {
      const org = d.destinationClients.organizations;
      await org.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
      const root = (await org.send(new ListRootsCommand({}))).Roots![0].Id!;
      await org.send(new EnablePolicyTypeCommand({ RootId: root, PolicyType: "SERVICE_CONTROL_POLICY" }));
      const deny = { Version: "2012-10-17", Statement: [{ Sid: "DenyLeavingTheOrganization", Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*" }] };
      const { Policy } = await org.send(new CreatePolicyCommand({ Name: "deny-leaving", Type: "SERVICE_CONTROL_POLICY", Description: "e2e", Content: JSON.stringify(deny) }));
      await org.send(new AttachPolicyCommand({ PolicyId: Policy!.PolicySummary!.Id!, TargetId: root }));
      const { status, report } = verifyLive(d);
      assert.equal(status, 0, "Bob's organization blocks nothing of replication");
      assert.equal(report.guardrails?.source, GUARDRAILS_FROM_ORGANIZATIONS);
      const bob = d.config.destinationAccount.accountId;
      assert.ok(
        report.guardrails.notes.some((n) => n.includes(`account ${bob} is the management account of o-`)),
        `verify --live names Bob's organization: ${report.guardrails.notes.join("; ")}`,
      );
      assert.ok(report.notes?.some((n) => n.includes(`account ${d.config.sourceAccount.accountId} is in no organization`)), "and says Alice's account is in none");
    },
  },
  {
    name: "verify --live fails naming the grant removed from Bob's key policy, and passes once it is restored",
    run: async (d) => {
      const destination = d.config.destinationBuckets[0];
      const { KeyMetadata: key } = await d.destinationClients.kms.send(new DescribeKeyCommand({ KeyId: kmsAliasName(destination.kmsKeyAlias) }));
      const { Policy: original } = await d.destinationClients.kms.send(new GetKeyPolicyCommand({ KeyId: key!.KeyId, PolicyName: "default" }));
      const policy = parsePolicy(original!);
      const tampered = { ...policy, Statement: policy.Statement.filter((s) => s.Sid !== REPLICA_GRANT_SID) };
      assert.equal(tampered.Statement.length, policy.Statement.length - 1, `Bob's key policy of ${destination.bucketName} holds ${REPLICA_GRANT_SID}`);
      await d.destinationClients.kms.send(new PutKeyPolicyCommand({ KeyId: key!.KeyId, PolicyName: "default", Policy: JSON.stringify(tampered) }));
      try {
        const { status, report } = verifyLive(d);
        assert.equal(status, 1, "verify --live exits 1 on a broken key policy");
        const drift = report.findings.filter((f) => !f.holds && f.check === DRIFT_CHECK);
        assert.deepEqual(
          drift.map((f) => f.detail),
          [`Bob's key of ${destination.bucketName} (alias/${destination.kmsKeyAlias}): key policy: statement ${REPLICA_GRANT_SID} removed`],
          "the one difference, named",
        );
        assert.match(drift[0].fix ?? "", /cdktf deploy dest/);
        const denied = report.requests.filter((q) => !q.holds);
        assert.ok(denied.length > 0, "the proof's requests on the key fail too");
        for (const q of denied) {
          assert.equal(q.resource, key!.Arn, `only requests on the tampered key fail: ${q.title}`);
          assert.equal(q.actual, "DENIED");
        }
        const writers = writersInto(d.config, destination.bucketName).map((w) => expectedRoleArn(d.config, w.source));
        for (const action of ["kms:GenerateDataKey", "kms:Encrypt"]) {
          assert.ok(denied.some((q) => q.action === action), `the replication role's ${action} on Bob's key is denied`);
        }
        assert.ok(denied.every((q) => writers.some((w) => q.principal.includes(w.split("/").pop()!))), "by the roles that write there");
      } finally {
        await d.destinationClients.kms.send(new PutKeyPolicyCommand({ KeyId: key!.KeyId, PolicyName: "default", Policy: original! }));
      }
      const restored = verifyLive(d);
      assert.deepEqual(failures(restored.report), [], "verify --live after the grant is restored");
      assert.equal(restored.status, 0);
    },
  },
  {
    name: "a second plan changes nothing, except the known moto read-back gap, rule by rule",
    run: async (d) => {
      for (const stack of ["dest", "source"] as const) {
        assert.deepEqual(
          plannedChanges(d, stack).sort((a, b) => a.address.localeCompare(b.address)),
          knownMotoGap(d.config, stack).sort((a, b) => a.address.localeCompare(b.address)),
          `${stack} must converge but for the known moto read-back gap`,
        );
      }
    },
  },
];

/** The running fleet gains a two-way pair (a new bucket of Alice's into a new one of Bob's): the bring-up holds it back until dest has created Bob's. */
const growStep: DeployStep = {
  name: "the running fleet gains a two-way pair: bring-up holds back its new bucket of Alice's until dest has created Bob's, then replicates both ways",
  run: async (d) => {
    const grown = d.grown!;
    writeFileSync(path.join(d.work, "replication.config.json"), JSON.stringify(grown.raw, null, 2));
    d.config = grown.config;
    const added = twoWayPairs(d.config).map((p) => p.source.bucketName);
    const lines: string[] = [];
    const done = await bringUp({
      extra: CDKTF_FLAGS,
      cwd: d.work,
      env: d.env,
      timeoutMs: COMMAND_TIMEOUT_MS,
      logFile: d.logFile,
      progress: true,
      log: (line) => {
        lines.push(line);
        writeFileSync(d.logFile, `\n${line}\n`, { flag: "a" });
        d.print(`  ${line.replace(/^bring-up: /, "")}`);
      },
    });
    assert.equal(done.length, 3, `three steps: ${done.join("; ")}`);
    assert.ok(lines.some((l) => l.includes(`1/3 source, holding back ${added.join(", ")}`)), `the new bucket is held back: ${lines.slice(0, 4).join(" | ")}`);
    assert.match(done[1], /^2\/3 dest.*: \d+ created/, "dest creates Bob's new bucket and the way back");
    d.done.push(...done.map((line) => `growing ${line}`));
  },
};

/** The index in `steps` after the plain-HTTP step: adoption's object check goes there. */
const AFTER_TLS_STEP = steps.findIndex((step) => step.name.startsWith("a request without TLS")) + 1;

function destroyStep(adopts: boolean): DeployStep {
  return {
    name: adopts
      ? "a destroy of source is refused (prevent_destroy) while an adopted bucket is in state; detached, cdktf destroy removes the rest and leaves the adopted buckets with their objects and statements"
      : "cdktf destroy dest source removes both sides (keys scheduled for deletion)",
    run: async (d) => {
      const keys: [AccountClients, string][] = [
        ...d.config.sourceBuckets.flatMap((b): [AccountClients, string][] => (b.kmsKeyAlias ? [[d.sourceClients, b.kmsKeyAlias]] : [])),
        ...d.config.destinationBuckets.map((b): [AccountClients, string] => [d.destinationClients, b.kmsKeyAlias]),
        ...(d.config.monitoring.enabled ? [[d.sourceClients, d.config.monitoring.kmsKeyAlias] as [AccountClients, string]] : []),
      ];
      const keyArns = await Promise.all(keys.map(async ([c, alias]) => (await c.kms.send(new DescribeKeyCommand({ KeyId: kmsAliasName(alias) }))).KeyMetadata!.Arn!));
      if (adopts) await refuseThenDetach(d);
      const progress = new TerraformProgress((line) => d.print(`  ${line}`));
      const status = await runCommand(CDKTF, ["destroy", "dest", "source", ...CDKTF_FLAGS], {
        cwd: d.work,
        env: d.env,
        timeoutMs: COMMAND_TIMEOUT_MS,
        logFile: d.logFile,
        onOutput: (chunk) => progress.write(chunk),
      });
      d.done.push(`destroy: ${progress.summary()}`);
      assert.equal(status, 0, `cdktf destroy failed (exit ${status}); see ${d.logFile}`);
      assert.deepEqual(await bucketNames(d.sourceClients), sorted(d.adopted), "only the adopted buckets are left in Alice's account");
      assert.deepEqual(await bucketNames(d.destinationClients), []);
      if (adopts) await checkAdoptedAfterDestroy(d);
      for (const b of d.config.sourceBuckets) {
        for (const role of [b.replicationRoleName, ...(b.backfill ? [b.backfill.roleName] : [])]) {
          assert.equal(await errorName(d.sourceClients.iam.send(new GetRoleCommand({ RoleName: role }))), NoSuchEntityException.name);
        }
      }
      for (const pair of twoWayPairs(d.config)) {
        assert.equal(await errorName(d.destinationClients.iam.send(new GetRoleCommand({ RoleName: pair.rule.reverseRoleName! }))), NoSuchEntityException.name);
      }
      assert.deepEqual((await d.sourceClients.sns.send(new ListTopicsCommand({}))).Topics ?? [], [], "no topic left");
      assert.deepEqual((await d.sourceClients.cloudwatch.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [], [], "no alarm left");
      const earliestDeletion = Date.now() + (KEY_DELETION_WINDOW_DAYS - 1) * 24 * 3600 * 1000;
      for (const [i, [c, alias]] of keys.entries()) {
        assert.equal(await errorName(c.kms.send(new DescribeKeyCommand({ KeyId: kmsAliasName(alias) }))), "NotFoundException");
        const { KeyMetadata: key } = await c.kms.send(new DescribeKeyCommand({ KeyId: keyArns[i] }));
        assert.equal(key?.KeyState, "PendingDeletion", `${keyArns[i]} is scheduled for deletion, not deleted`);
        assert.ok((key?.DeletionDate?.getTime() ?? 0) > earliestDeletion, `${keyArns[i]} keeps its ${KEY_DELETION_WINDOW_DAYS}-day window`);
      }
    },
  };
}
