// The settings `npm run verify` checks statically, for every bucket and rule of the fleet: what
// S3 accepts silently but breaks replication, and what real S3 rejects though the emulator accepts
// it (docs/what-s3-enforces.md). Each failed check says the fix.
import { FAILED_REPLICATION_ALARM, FAILED_REPLICATION_EVENT, KEY_DELETION_WINDOW_DAYS, KMS_KEY_ID_LENGTH, MANAGED_POLICIES_PER_ROLE, MISSED_THRESHOLD_EVENT, POLICY_SIZE_LIMITS, policyTextSize, REPLICATION_TIME_MINUTES } from "../../lib/aws-facts";
import type { PolicyDocument, PolicyStatement } from "../../lib/policies";
import { PUBLIC_ACCESS_BLOCK_SETTINGS, type BucketModel, type FleetModel, type KeyModel, type ManagedKeyModel, type RuleModel } from "../synth/model";
import { KEY_ID_PLACEHOLDERS, pinnedAccount, UNPINNED_ACCOUNT } from "../synth/references";
import { tfBool, tfNumber } from "../synth/read";
import { wildcardMatch } from "../access/catalogue";

export interface Finding {
  /** The report's section: the source bucket, or Bob's buckets. */
  group: string;
  check: string;
  holds: boolean;
  detail: string;
  /** How to fix it, when it does not hold. */
  fix?: string;
}

/** The section for checks of Bob's buckets and keys, which several source buckets may share. */
export const DESTINATION_GROUP = "Bob's buckets";

/** The section for checks of both stacks as a whole (providers, resource bindings). */
export const STACKS_GROUP = "both stacks";

/** The section for the alerts topic, its key, the notifications and the alarms. */
export const ALERTS_GROUP = "alerts";

const ENCRYPTION_CONTEXT_KEY = "kms:EncryptionContext:aws:s3:arn";

function statementsWithEncryptionContext(doc: PolicyDocument | undefined): PolicyStatement[] {
  return (doc?.Statement ?? []).filter((s) => s.Effect === "Allow" && Object.values(s.Condition ?? {}).some((c) => ENCRYPTION_CONTEXT_KEY in c));
}

type Check = (name: string, holds: boolean, detail: string, fix: string) => void;

/** The hardening every bucket gets: nothing public, no ACLs, nothing destroyed with the bucket. */
function hardeningChecks(check: Check, bucket: BucketModel): void {
  const pab = bucket.publicAccessBlock;
  const off = PUBLIC_ACCESS_BLOCK_SETTINGS.filter((k) => tfBool(pab?.[k]) !== true);
  check(
    "public access blocked",
    pab !== undefined && off.length === 0,
    `${bucket.name}: ${pab === undefined ? "no aws_s3_bucket_public_access_block for this bucket" : off.length ? `${off.join(", ")} not true` : "all four settings true"}`,
    `add aws_s3_bucket_public_access_block for ${bucket.name} with ${PUBLIC_ACCESS_BLOCK_SETTINGS.map((k) => `${k} = true`).join(", ")}`,
  );
  const tls = (bucket.policy?.Statement ?? []).some(
    (s) =>
      s.Effect === "Deny" &&
      (s.Principal === "*" || (typeof s.Principal === "object" && "AWS" in s.Principal && [s.Principal.AWS].flat().includes("*"))) &&
      [s.Action].flat().some((a) => a === "s3:*" || a === "*") &&
      [bucket.arn, `${bucket.arn}/any/object`].every((arn) => [s.Resource ?? []].flat().some((r) => wildcardMatch(String(r), arn, false))) &&
      JSON.stringify(s.Condition) === JSON.stringify({ Bool: { "aws:SecureTransport": "false" } }),
  );
  check(
    "every request without TLS is denied",
    tls,
    `${bucket.name}: ${tls ? "a Deny of s3:* for everyone on the bucket and its objects when aws:SecureTransport is false" : "no statement denies every request made without TLS"}`,
    `add to the bucket policy { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["${bucket.arn}", "${bucket.arn}/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }`,
  );
  check(
    "object ownership BucketOwnerEnforced",
    bucket.objectOwnership === "BucketOwnerEnforced",
    `${bucket.name}: object_ownership ${bucket.objectOwnership === undefined ? "not set" : JSON.stringify(bucket.objectOwnership)}`,
    `add aws_s3_bucket_ownership_controls for ${bucket.name} with rule { object_ownership = "BucketOwnerEnforced" }: ACLs off, every object the bucket owner's`,
  );
  check(
    "no force_destroy",
    bucket.forceDestroy === undefined || tfBool(bucket.forceDestroy) === false,
    `${bucket.name}: force_destroy ${bucket.forceDestroy === undefined ? "not set" : JSON.stringify(bucket.forceDestroy)}`,
    `remove force_destroy from aws_s3_bucket.${bucket.resourceName}: with it, terraform destroy deletes every object version`,
  );
  if (bucket.adopted) {
    check(
      "an adopted bucket is never destroyed",
      tfBool(bucket.adopted.preventDestroy) === true,
      `${bucket.name}: imported; lifecycle.prevent_destroy ${JSON.stringify(bucket.adopted.preventDestroy) ?? "not set"}`,
      `set lifecycle { prevent_destroy = true } on aws_s3_bucket.${bucket.resourceName}: it held data before this stack, and a destroy would delete it (docs/existing-buckets.md, "Detaching an adopted bucket")`,
    );
  }
}

/** Rotation on and the longest deletion window, for every customer managed key. */
function keyChecks(check: Check, key: ManagedKeyModel): void {
  const address = `aws_kms_key.${key.resourceName}`;
  check("key rotation on", tfBool(key.rotation) === true, `${address}: enable_key_rotation ${JSON.stringify(key.rotation) ?? "not set"}`, `set enable_key_rotation = true on ${address}`);
  check(
    `key deletion window ${KEY_DELETION_WINDOW_DAYS} days`,
    tfNumber(key.deletionWindowDays) === KEY_DELETION_WINDOW_DAYS,
    `${address}: deletion_window_in_days ${JSON.stringify(key.deletionWindowDays) ?? "not set"}`,
    `set deletion_window_in_days = ${KEY_DELETION_WINDOW_DAYS} on ${address}: a key deleted by mistake can be recovered for that long`,
  );
}

function bucketChecks(check: Check, side: "source" | "destination", bucket: BucketModel, key: KeyModel | undefined): void {
  check(`${side} bucket versioning`, bucket.versioning === "Enabled", `${bucket.name}: versioning ${bucket.versioning ?? "not configured"}`, `add aws_s3_bucket_versioning with status "Enabled" for ${bucket.name}`);
  const kms = bucket.sse?.algorithm?.startsWith("aws:kms");
  const managedByAws = !bucket.sse?.kmsKeyId || /alias\/aws\//.test(bucket.sse.kmsKeyId);
  check(
    `${side} bucket SSE-KMS with a customer managed key`,
    Boolean(kms) && !managedByAws && Boolean(key?.customerManaged),
    `${bucket.name}: ${bucket.sse ? `${bucket.sse.algorithm}, key ${bucket.sse.kmsKeyId ?? "aws/s3 (AWS managed)"}` : "no default encryption"}`,
    `set apply_server_side_encryption_by_default { sse_algorithm = "aws:kms", kms_master_key_id = <customer managed key ARN> }: aws/s3 cannot be used across accounts`,
  );
}

/** A default retention S3 accepts: a mode and exactly one positive whole period (PutObjectLockConfiguration). */
function objectLockChecks(check: Check, bucket: BucketModel): void {
  const lock = bucket.objectLock;
  if (!lock || (lock.mode === undefined && lock.days === undefined && lock.years === undefined)) return;
  const periods = [lock.days, lock.years].filter((v) => v !== undefined).map(tfNumber);
  check(
    "Object Lock default retention valid",
    (lock.mode === "GOVERNANCE" || lock.mode === "COMPLIANCE") && periods.length === 1 && Number.isInteger(periods[0]) && periods[0]! > 0,
    `${bucket.name}: mode ${JSON.stringify(lock.mode) ?? "not set"}, days ${JSON.stringify(lock.days) ?? "not set"}, years ${JSON.stringify(lock.years) ?? "not set"}`,
    `set rule { default_retention { mode = "GOVERNANCE" or "COMPLIANCE", and days or years (one, a positive whole number) } } on the object lock configuration of ${bucket.name}: S3 rejects anything else`,
  );
}

/** The S3 rules one replication rule must follow. */
function ruleChecks(check: Check, m: FleetModel, ruleModel: RuleModel, source: BucketModel): void {
  const { rule } = ruleModel;
  const r = `rule ${ruleModel.id}`;
  if (source.objectLock) {
    const destination = ruleModel.destinationBucket;
    check(
      "a locked source replicates into a locked destination",
      Boolean(destination?.objectLock),
      `${r}: ${source.name} has Object Lock; ${destination ? `${destination.name} ${destination.objectLock ? "has it too" : "has none"}` : `${ruleModel.destinationName || "?"} is not a bucket of stack ${m.destinationBuckets[0]?.bucket.stack ?? "dest"}`}`,
      `turn Object Lock on for ${destination?.name ?? ruleModel.destinationName} (objectLock in the config): S3 fails every locked version replicated into a bucket without it (DstBucketObjectLockConfigMissing)`,
    );
  }
  check(
    "destination bucket managed by its stack",
    Boolean(ruleModel.destinationBucket),
    ruleModel.destinationBucket
      ? `${r}: ${ruleModel.destinationBucket.name} is aws_s3_bucket.${ruleModel.destinationBucket.resourceName} of stack ${ruleModel.destinationBucket.stack}`
      : `${r}: ${ruleModel.destinationName || "?"} is not an aws_s3_bucket of stack ${m.destinationBuckets[0]?.bucket.stack ?? "dest"}`,
    `point the rule's destination.bucket at the ${m.destinationBuckets[0]?.bucket.stack ?? "dest"} stack's bucket ARN`,
  );
  const { destination } = rule;
  const sse = rule.source_selection_criteria?.sse_kms_encrypted_objects;
  const replicaKeyId = destination.encryption_configuration?.replica_kms_key_id;
  check(
    "KMS-encrypted objects are replicated",
    sse?.status === "Enabled" && Boolean(replicaKeyId),
    `${r}: sse_kms_encrypted_objects ${sse?.status ?? "not set"}; replica_kms_key_id ${replicaKeyId ?? "not set"}`,
    'set source_selection_criteria { sse_kms_encrypted_objects { status = "Enabled" } } and destination.encryption_configuration.replica_kms_key_id: otherwise S3 silently skips SSE-KMS objects',
  );
  const fullArn = /^arn:aws:kms:[a-z0-9-]+:\d{12}:(key|alias)\//.test(replicaKeyId ?? "");
  const key = ruleModel.replicaKey;
  check(
    "replica key in the destination account and region",
    Boolean(replicaKeyId) && fullArn && Boolean(key?.customerManaged) && key?.account === m.destination.account && key?.region === (ruleModel.destinationBucket?.region ?? m.destination.region),
    `${r}: replica_kms_key_id ${replicaKeyId ?? "not set"} -> ${key ? `${key.customerManaged ? "customer managed" : "AWS managed"} key in ${key.account}/${key.region}` : "no key of either stack"}; destination ${m.destination.account}/${ruleModel.destinationBucket?.region ?? m.destination.region}`,
    "name a customer managed key of the dest stack by its key ARN or full alias ARN (arn:aws:kms:<bob-region>:<bob>:alias/<name>): a bare alias or key ID resolves in Alice's account",
  );
  const owner = destination.access_control_translation?.owner;
  check(
    "destination account and owner override agree",
    (owner === undefined || destination.account !== undefined) && (destination.account === undefined || destination.account === m.destination.account),
    `${r}: account ${destination.account ?? "not set"}, owner override ${owner ?? "off"}, dest stack account ${m.destination.account}`,
    "set destination.account to Bob's account ID whenever access_control_translation is set",
  );
  check("rule enabled", rule.status === "Enabled", `${r}: status ${JSON.stringify(rule.status) ?? "not set"}`, 'set status = "Enabled": a disabled rule replicates nothing');
  const { filter } = rule;
  check(
    "filter {} rather than a V1 rule or prefix = \"\"",
    filter !== undefined && filter.prefix !== "" && rule.prefix === undefined,
    `${r}: ${filter === undefined ? "no filter (V1 rule)" : `filter ${JSON.stringify(filter)}`}`,
    'use filter {} (an empty filter); filter { prefix = "" } diffs forever',
  );
  const dmr = rule.delete_marker_replication?.status;
  check(
    "a rule with a filter sets delete_marker_replication",
    filter === undefined || dmr !== undefined,
    `${r}: delete_marker_replication ${dmr ?? "not set"}`,
    'add delete_marker_replication { status = "Disabled" } (or "Enabled")',
  );
  const tagFilter = Boolean(filter?.tag) || Object.keys(filter?.and?.tags ?? {}).length > 0;
  check(
    "no tag filter with delete marker replication",
    !(tagFilter && dmr === "Enabled"),
    `${r}: tag filter ${tagFilter ? "yes" : "no"}, delete markers ${dmr ?? "not set"}`,
    "S3 rejects delete marker replication in a rule with a tag filter: drop one of them",
  );
  const replicationTime = destination.replication_time;
  const metricsBlock = destination.metrics;
  const rtc = replicationTime?.status === "Enabled";
  const metrics = metricsBlock?.status === "Enabled";
  const rtcMinutes = replicationTime?.time?.minutes;
  const threshold = metricsBlock?.event_threshold;
  check(
    "Replication Time Control only with metrics, both at 15 minutes",
    !rtc || (metrics && rtcMinutes === REPLICATION_TIME_MINUTES && threshold?.minutes === REPLICATION_TIME_MINUTES),
    `${r}: replication_time ${rtc ? `Enabled, ${rtcMinutes ?? "no"} minutes` : "off"}; metrics ${metrics ? `Enabled, event threshold ${threshold?.minutes ?? "none"}` : "off"}`,
    `with replication_time { status = "Enabled", time { minutes = ${REPLICATION_TIME_MINUTES} } } also set metrics { status = "Enabled", event_threshold { minutes = ${REPLICATION_TIME_MINUTES} } }: S3 requires both, and ${REPLICATION_TIME_MINUTES} is the only value it accepts`,
  );
  check(
    "a metrics event threshold only with Replication Time Control",
    !threshold || rtc,
    `${r}: metrics event_threshold ${threshold ? `${threshold.minutes} minutes` : "none"}; replication_time ${rtc ? "Enabled" : "off"}`,
    'S3 rejects the rule ("Metrics cannot contain an event threshold when ReplicationTime is not specified or Disabled"): drop event_threshold, or enable replication_time',
  );
}

/** Each encryption-context condition must accept both contexts S3 sends for its bucket. */
function encryptionContextChecks(check: Check, buckets: BucketModel[], documents: [string, PolicyDocument | undefined][]): void {
  for (const [where, doc] of documents) {
    for (const s of statementsWithEncryptionContext(doc)) {
      const values = (operator: string) => [s.Condition?.[operator]?.[ENCRYPTION_CONTEXT_KEY] ?? []].flat();
      const accepted = Object.keys(s.Condition ?? {}).flatMap((op) => values(op).map((value) => ({ op, value })));
      // The buckets the condition names, found by ARN (a fleet's buckets are many), in their order.
      const named = new Set(accepted.flatMap(({ value }) => [String(value), String(value).replace(/\/\*$/, "")]));
      for (const bucket of buckets.filter((b) => named.has(b.arn))) {
        const wildcardOperator = (op: string) => /^(StringLike|ArnLike)$/.test(op);
        const bucketContext = accepted.some(({ value }) => value === bucket.arn);
        const objectContext = accepted.some(({ op, value }) => value === `${bucket.arn}/*` && wildcardOperator(op));
        check(
          "encryption-context conditions accept objects with and without a Bucket Key",
          bucketContext && objectContext,
          `${where}, ${s.Sid ?? "statement"}: kms:EncryptionContext:aws:s3:arn ${accepted.map(({ op, value }) => `${op} ${value}`).join(", ")}; S3 sends ${bucket.arn} (Bucket Key) or an object ARN under it`,
          `condition StringLike "kms:EncryptionContext:aws:s3:arn" = ["${bucket.arn}", "${bucket.arn}/*"]: objects written without a Bucket Key (or before Bucket Keys were on) carry their object ARN, and would fail to replicate`,
        );
      }
    }
  }
}

/**
 * A policy's size as AWS will measure it once deployed: the synth output names keys by placeholder
 * IDs, each counted at a real key ID's length.
 */
export const policySize = (docs: (PolicyDocument | undefined)[]): number =>
  docs.reduce((n, d) => n + (d ? policyTextSize(JSON.stringify(d).replace(KEY_ID_PLACEHOLDERS, "x".repeat(KMS_KEY_ID_LENGTH))) : 0), 0);

function sizeCheck(check: Check, what: string, docs: (PolicyDocument | undefined)[], limit: number, source: string): void {
  const size = policySize(docs);
  check(
    "policy within AWS's size limit",
    size <= limit,
    `${what}: ${size} characters (limit ${limit})`,
    `${source} rejects a policy this large, half-way through a deploy: split the buckets across more roles or destination buckets`,
  );
}

/**
 * Every static check of a model; `wayBack`: only those of its replications themselves (their
 * configurations, roles and rules), for the way back of a two-way pair, whose buckets and keys the
 * forward model checks already.
 */
export function staticChecks(m: FleetModel, part: "all" | "way back" = "all"): Finding[] {
  const all = part === "all";
  const findings: Finding[] = [];
  const checkIn =
    (group: string): Check =>
    (name, holds, detail, fix) =>
      findings.push({ group, check: name, holds, detail, ...(holds ? {} : { fix }) });
  const allBuckets = [...m.replications.map((r) => r.sourceBucket), ...m.destinationBuckets.map((d) => d.bucket)];

  for (const r of m.replications) {
    const check = checkIn(r.sourceBucket.name);
    check(
      "replication configuration applied",
      r.count === 1,
      `aws_s3_bucket_replication_configuration.${r.resourceName} has ${r.count} instance(s) with the variables' defaults`,
      "leave destination_ready at its default (true) and held_back_source_buckets empty, except during a bring-up",
    );
    if (all) {
      bucketChecks(check, "source", r.sourceBucket, r.sourceKey);
      objectLockChecks(check, r.sourceBucket);
    }
    for (const role of [r.role, ...(r.backfill ? [r.backfill.role] : [])]) {
      sizeCheck(check, `inline policies of role ${role.name}, together`, role.policies.filter((p) => !p.managed).map((p) => p.document), POLICY_SIZE_LIMITS.roleInlinePolicies, "IAM");
      const managed = role.policies.filter((p) => p.managed);
      for (const p of managed) sizeCheck(check, `managed policy ${p.name}`, [p.document], POLICY_SIZE_LIMITS.managedPolicy, "IAM");
      if (managed.length) {
        check(
          "managed policies per role within IAM's quota",
          managed.length <= MANAGED_POLICIES_PER_ROLE,
          `role ${role.name}: ${managed.length} managed policies attached (default quota ${MANAGED_POLICIES_PER_ROLE})`,
          "IAM refuses the attachment past the quota: fewer destination buckets for this source bucket, or a quota increase",
        );
      }
      sizeCheck(check, `trust policy of role ${role.name}`, [role.trustPolicy], POLICY_SIZE_LIMITS.trustPolicy, "IAM");
    }
    if (all) {
      sizeCheck(check, `bucket policy of ${r.sourceBucket.name}`, [r.sourceBucket.policy], POLICY_SIZE_LIMITS.bucketPolicy, "S3");
      if (r.sourceKey && !r.sourceKey.assumed) sizeCheck(check, `key policy of Alice's key of ${r.sourceBucket.name}`, [r.sourceKey.policy], POLICY_SIZE_LIMITS.keyPolicy, "KMS");
      hardeningChecks(check, r.sourceBucket);
      for (const key of m.keys.filter((k) => k.stack === "source" && k.arn === r.sourceKey?.arn)) keyChecks(check, key);
    }
    for (const rule of r.rules) ruleChecks(check, m, rule, r.sourceBucket);
    if (r.rules.length > 1) {
      const priorities = r.rules.map((rule) => rule.rule.priority);
      const unique = new Set(priorities).size === priorities.length && priorities.every((p) => p !== undefined);
      const filtered = r.rules.every((rule) => rule.rule.filter !== undefined);
      check(
        "several rules: each with a filter and its own priority",
        unique && filtered,
        `${r.rules.length} rules: priorities ${priorities.map((p) => p ?? "none").join(", ")}; ${filtered ? "all filtered" : "some without a filter"}`,
        "give every rule a filter and a priority no other rule of the bucket has: S3 rejects the configuration otherwise",
      );
    }
    const ids = r.rules.map((rule) => rule.id);
    check("rule IDs unique in the configuration", new Set(ids).size === ids.length, `rule IDs ${ids.join(", ")}`, "give every rule of the bucket its own id");
    encryptionContextChecks(check, allBuckets, [
      ...r.role.policies.map((p) => [`role policy ${p.name} of ${r.role.name}`, p.document] as [string, PolicyDocument]),
      ...(all ? [[`key policy of Alice's key of ${r.sourceBucket.name}`, r.sourceKey?.policy] as [string, PolicyDocument | undefined]] : []),
    ]);
  }
  if (!all) return findings;

  const check = checkIn(DESTINATION_GROUP);
  for (const { bucket, key } of m.destinationBuckets) {
    bucketChecks(check, "destination", bucket, key);
    objectLockChecks(check, bucket);
    sizeCheck(check, `bucket policy of ${bucket.name}`, [bucket.policy], POLICY_SIZE_LIMITS.bucketPolicy, "S3");
    if (key) sizeCheck(check, `key policy of Bob's key of ${bucket.name}`, [key.policy], POLICY_SIZE_LIMITS.keyPolicy, "KMS");
    hardeningChecks(check, bucket);
    for (const managed of m.keys.filter((k) => k.stack === "dest" && k.arn === key?.arn)) keyChecks(check, managed);
    encryptionContextChecks(check, allBuckets, [[`key policy of Bob's key of ${bucket.name}`, key?.policy]]);
  }

  // Keys no bucket uses are still keys of the deployment.
  const checkedKeys = new Set([...m.replications.map((r) => r.sourceKey?.arn), ...m.destinationBuckets.map((d) => d.key?.arn)]);
  const stacks = checkIn(STACKS_GROUP);
  for (const key of m.keys.filter((k) => !checkedKeys.has(k.arn))) keyChecks(stacks, key);
  for (const p of m.providers) {
    const ids = p.allowedAccountIds;
    const pinned = pinnedAccount(ids) !== undefined;
    stacks(
      "provider pins exactly one account",
      pinned,
      `stack ${p.stack}, provider aws${p.alias ? `.${p.alias}` : ""}: allowed_account_ids ${ids === undefined ? "not set" : JSON.stringify(ids)}`,
      `set allowed_account_ids = ["<the stack's 12-digit account ID>"] on this provider: terraform then refuses credentials of any other account${pinned ? "" : ` (the proof assumed account ${UNPINNED_ACCOUNT} for its resources)`}`,
    );
  }
  const distinct = new Set(m.providers.map((p) => JSON.stringify(p.allowedAccountIds)));
  stacks(
    "source and dest pin different accounts",
    m.providers.length === 2 && distinct.size === 2,
    `pinned: ${m.providers.map((p) => `${p.stack} ${JSON.stringify(p.allowedAccountIds) ?? "nothing"}`).join(", ")}`,
    "give each stack one provider, pinned to its own account: Alice's for source, Bob's for dest",
  );
  for (const stack of ["source", "dest"] as const) {
    const items = m.unprovable.filter((u) => u.stack === stack);
    if (!items.length) stacks("verify can prove everything in the stack", true, `stack ${stack}: every block, resource and setting is one verify reads`, "");
    for (const u of items) stacks("verify can prove everything in the stack", false, `stack ${stack}: ${u.address}: ${u.what}`, u.fix);
  }
  for (const stack of ["source", "dest"] as const) {
    const unbound = m.unboundResources.filter((u) => u.stack === stack);
    stacks(
      "resources bound to their stack's pinned provider",
      unbound.length === 0,
      `stack ${stack}: ${unbound.length ? unbound.map((u) => `${u.address} (provider ${JSON.stringify(u.provider) ?? "not set"})`).join(", ") : "every resource names the stack's provider"}`,
      `set provider = "aws.<alias>" of the stack's pinned provider on each of them: a resource without one uses an unpinned default provider`,
    );
  }
  if (m.alerts) alertsChecks(checkIn(ALERTS_GROUP), m);
  return findings;
}

/** The subscription protocols alerts may use: TLS (https), mail, or AWS services. */
const ALERT_PROTOCOLS = ["https", "email", "email-json", "sqs", "lambda", "firehose"];

/** With monitoring on: the topic encrypted, every source bucket's failures sent to it, an alarm per rule. */
function alertsChecks(check: Check, m: FleetModel): void {
  const alerts = m.alerts!;
  sizeCheck(check, `topic policy of ${alerts.topicArn}`, [alerts.policy], POLICY_SIZE_LIMITS.topicPolicy, "SNS");
  if (alerts.key) sizeCheck(check, "key policy of the alerts key", [alerts.key.policy], POLICY_SIZE_LIMITS.keyPolicy, "KMS");
  check(
    "alerts topic encrypted with a customer managed key",
    Boolean(alerts.key?.customerManaged),
    `aws_sns_topic.${alerts.topicResourceName}: kms_master_key_id ${alerts.kmsMasterKeyId ?? "not set"}`,
    "set kms_master_key_id to a customer managed key whose policy lets s3.amazonaws.com and cloudwatch.amazonaws.com use it",
  );
  for (const s of alerts.subscriptions) {
    check(
      "alerts are delivered over TLS or inside AWS",
      typeof s.protocol === "string" && ALERT_PROTOCOLS.includes(s.protocol),
      `${s.address}: protocol ${JSON.stringify(s.protocol)}`,
      `use one of ${ALERT_PROTOCOLS.join(", ")}: an http subscription sends the alerts in clear text`,
    );
  }
  for (const r of m.replications) {
    const rtc = r.rules.some((rule) => rule.rule.destination.replication_time?.status === "Enabled");
    const needed = [FAILED_REPLICATION_EVENT, ...(rtc ? [MISSED_THRESHOLD_EVENT] : [])];
    const sent = alerts.notifications
      .filter((n) => n.bucketName === r.sourceBucket.name)
      .flatMap((n) => n.topics.filter((t) => t.topicArn === alerts.topicArn).flatMap((t) => t.events));
    const missing = needed.filter((e) => !sent.includes(e));
    const filtered = alerts.notifications
      .filter((n) => n.bucketName === r.sourceBucket.name)
      .flatMap((n) => n.topics.filter((t) => t.filter !== undefined).map((t) => `${t.topicArn} filtered by ${t.filter}`));
    check(
      "failure notifications are not filtered",
      filtered.length === 0,
      `${r.sourceBucket.name}: ${filtered.length ? filtered.join("; ") : "no key filter"}`,
      "remove filter_prefix and filter_suffix: a failure of any object must notify",
    );
    check(
      "replication failures of the bucket notify the alerts topic",
      missing.length === 0,
      `${r.sourceBucket.name}: ${sent.length ? `sends ${sent.join(", ")}` : "no notification to the topic"}${missing.length ? `; missing ${missing.join(", ")}` : ""}`,
      `add aws_s3_bucket_notification for ${r.sourceBucket.name} with topic { topic_arn = <alerts topic>, events = ${JSON.stringify(needed)} } (it owns the bucket's whole notification configuration)`,
    );
    for (const rule of r.rules) {
      const alarm = alerts.alarms.find(
        (a) =>
          a.namespace === FAILED_REPLICATION_ALARM.namespace &&
          a.metricName === FAILED_REPLICATION_ALARM.metricName &&
          a.dimensions.SourceBucket === r.sourceBucket.name &&
          a.dimensions.DestinationBucket === rule.destinationName &&
          a.dimensions.RuleId === rule.id,
      );
      const metrics = rule.rule.destination.metrics?.status === "Enabled";
      if (alarm) {
        const expected: Record<string, unknown> = {
          statistic: FAILED_REPLICATION_ALARM.statistic,
          period: FAILED_REPLICATION_ALARM.period,
          evaluation_periods: FAILED_REPLICATION_ALARM.evaluationPeriods,
          threshold: FAILED_REPLICATION_ALARM.threshold,
          comparison_operator: FAILED_REPLICATION_ALARM.comparisonOperator,
          treat_missing_data: FAILED_REPLICATION_ALARM.treatMissingData,
        };
        const differs = Object.entries(expected).filter(([k, v]) => (typeof v === "number" ? tfNumber(alarm.settings[k as keyof typeof alarm.settings]) : alarm.settings[k as keyof typeof alarm.settings]) !== v);
        const silenced = tfBool(alarm.settings.actions_enabled) === false;
        check(
          "the alarm fires on the first failure and notifies",
          differs.length === 0 && !silenced,
          `aws_cloudwatch_metric_alarm.${alarm.resourceName}: ${[...differs.map(([k, v]) => `${k} ${JSON.stringify(alarm.settings[k as keyof typeof alarm.settings])} (designed: ${JSON.stringify(v)})`), ...(silenced ? ["actions_enabled false"] : [])].join("; ") || "as designed"}`,
          `set ${Object.entries(expected).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ")} and leave actions_enabled on: otherwise a failure can go unseen`,
        );
      }
      check(
        "a failure alarm per rule, on the rule's replication metrics",
        Boolean(alarm) && alarm!.alarmActions.includes(alerts.topicArn) && metrics,
        `${r.sourceBucket.name} rule ${rule.id}: ${alarm ? `aws_cloudwatch_metric_alarm.${alarm.resourceName}${alarm.alarmActions.includes(alerts.topicArn) ? "" : " (does not notify the topic)"}` : "no OperationsFailedReplication alarm with its SourceBucket, DestinationBucket and RuleId"}; metrics ${metrics ? "Enabled" : "off"}`,
        `add an alarm on AWS/S3 OperationsFailedReplication with dimensions SourceBucket, DestinationBucket and RuleId of this rule, alarm_actions = [<alerts topic>], and set the rule's metrics { status = "Enabled" }: without metrics the alarm never sees a failure`,
      );
    }
  }
}
