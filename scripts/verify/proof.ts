// What `npm run verify` proves about a synthesized pair: every request S3 replication makes is
// allowed, the requests nobody should be able to make are denied, and the settings that S3 accepts
// silently but that break replication are right.
import type { Simulation } from "@cloud-copilot/iam-simulate";
import { anonymousPrincipal } from "@cloud-copilot/iam-simulate";
import { s3ServiceEndpoint } from "../../lib/arns";
import type { PolicyDocument, PolicyStatement } from "../../lib/policies";
import { REPLICATION_TIME_MINUTES } from "../../lib/replication-rule";
import { evaluate, type Evaluation } from "./engine";
import { block, type BucketModel, type KeyModel, type PairModel } from "./model";

export type Expectation = "ALLOWED" | "DENIED";

export interface RequestCheck {
  title: string;
  expected: Expectation;
  principal: string;
  action: string;
  resource: string;
  simulation: Simulation;
  /** Display names of the policies involved, by the engine's policy types. */
  policyNames: { identity: string; resource: string };
}

export interface RequestOutcome extends Omit<RequestCheck, "simulation"> {
  actual: Expectation;
  holds: boolean;
  /** The statements that decided, or the grant that is missing. */
  decidedBy: string;
  /** Context keys the checked engine dropped and the proof evaluated anyway (scripts/verify/engine.ts). */
  restoredContextKeys: string[];
}

export interface Finding {
  check: string;
  holds: boolean;
  detail: string;
  /** How to fix it, when it does not hold. */
  fix?: string;
}

const ANY_ACTION_ADMIN: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Sid: "AdministratorAccess", Effect: "Allow", Action: "*", Resource: "*" }],
};

/** An object S3 replicates, in a bucket. */
const object = (bucketArn: string) => `${bucketArn}/replicated/object.txt`;

/**
 * The encryption context S3 sends for objects of this bucket as its default encryption writes them:
 * with Bucket Keys the bucket ARN, without them the object's ARN. Objects written without a Bucket
 * Key carry their object ARN whatever the default, so the proof asks for that context too.
 */
const defaultEncryptionContext = (bucket: { arn: string; sse?: { bucketKeyEnabled: boolean } }): string =>
  bucket.sse?.bucketKeyEnabled ? bucket.arn : object(bucket.arn);

// ---- the requests ---------------------------------------------------------------------------

export function replicationRequests(m: PairModel): RequestCheck[] {
  const rule = m.replication.rules[0] ?? {};
  const destination = block(rule.destination) ?? {};
  const destBucketArn: string = destination.bucket ?? "arn:aws:s3:::unknown-destination";
  const destBucket: Pick<BucketModel, "arn" | "name" | "account" | "policy" | "restrictPublicBuckets" | "sse"> = m.destBucket ?? {
    arn: destBucketArn,
    name: destBucketArn.replace("arn:aws:s3:::", ""),
    account: m.dest.account,
    restrictPublicBuckets: false,
  };
  const src = m.sourceBucket;
  const alice = m.source.account;
  const session = `arn:aws:sts::${alice}:assumed-role/${m.role.name}/s3-replication`;
  const deployer = `arn:aws:sts::${alice}:assumed-role/alice-deployer/cdktf`;
  const otherAlicePrincipal = `arn:aws:sts::${alice}:assumed-role/some-other-role-of-alice/session`;
  const roleContext = { "aws:SecureTransport": "true", "aws:PrincipalArn": m.role.arn, "aws:PrincipalAccount": alice };
  const rolePolicies = m.role.policies.map((p) => ({ name: p.name, policy: p.document }));
  const rolePolicyNames = `role policy ${m.role.policies.map((p) => p.name).join(", ") || "(none)"}`;
  const ownerOverride = block(destination.access_control_translation)?.owner === "Destination";
  const missingKey = (account: string, region: string): KeyModel => ({
    arn: `arn:aws:kms:${region}:${account}:key/unresolved`,
    account,
    region,
    policy: { Version: "2012-10-17", Statement: [] },
    aliases: [],
    customerManaged: false,
  });
  const sourceKey = m.sourceKey ?? missingKey(m.source.account, m.source.region);
  const replicaKey = m.replicaKey ?? missingKey(m.dest.account, m.dest.region);
  // A bucket whose name begins with the real one: conditions must not match it by prefix.
  const otherBucketObject = (bucketArn: string) => object(`${bucketArn}-other`);

  const checks: RequestCheck[] = [];
  const add = (c: {
    title: string;
    expected: Expectation;
    principal: string | typeof anonymousPrincipal;
    action: string;
    resource: string;
    account: string;
    identity?: { name: string; policy: PolicyDocument }[];
    identityName?: string;
    resourcePolicy?: PolicyDocument;
    resourceName: string;
    context: Record<string, string | string[]>;
    blockPublicAccess?: boolean;
  }) =>
    checks.push({
      title: c.title,
      expected: c.expected,
      principal: typeof c.principal === "string" ? c.principal : "anonymous",
      action: c.action,
      resource: c.resource,
      policyNames: { identity: c.identityName ?? "identity policies", resource: c.resourceName },
      simulation: {
        request: { principal: c.principal, action: c.action, resource: { resource: c.resource, accountId: c.account }, contextVariables: c.context },
        identityPolicies: c.identity ?? [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: c.resourcePolicy,
        additionalSettings: { s3: { blockPublicAccess: c.blockPublicAccess ?? false } },
      },
    });

  const asRole = { principal: session, identity: rolePolicies, identityName: rolePolicyNames };
  const onSourceBucket = (resource: string) => ({
    resource,
    account: src.account,
    resourcePolicy: src.policy,
    resourceName: `bucket policy of ${src.name}`,
    blockPublicAccess: src.restrictPublicBuckets,
  });
  const onDestBucket = (resource: string) => ({
    resource,
    account: destBucket.account,
    resourcePolicy: destBucket.policy,
    resourceName: `bucket policy of ${destBucket.name}`,
    blockPublicAccess: destBucket.restrictPublicBuckets,
  });
  const kmsContext = (key: KeyModel, encryptionContext: string, via: string) => ({
    ...roleContext,
    "kms:CallerAccount": alice,
    "kms:ViaService": via,
    "kms:EncryptionContext:aws:s3:arn": encryptionContext,
    ...(key.aliases.length ? { "kms:ResourceAliases": key.aliases } : {}),
  });
  const viaS3 = (key: KeyModel) => s3ServiceEndpoint(key.region);
  const onKey = (key: KeyModel, label: string) => ({ resource: key.arn, account: key.account, resourcePolicy: key.policy, resourceName: `key policy of ${label}` });

  // --- must be allowed: every request replication makes ---
  add({
    title: "S3 assumes the replication role for Alice's bucket",
    expected: "ALLOWED",
    principal: "s3.amazonaws.com",
    action: "sts:AssumeRole",
    resource: m.role.arn,
    account: alice,
    resourcePolicy: m.role.trustPolicy,
    resourceName: "trust policy of the replication role",
    context: { "aws:SecureTransport": "true", "aws:SourceAccount": alice, "aws:SourceArn": src.arn },
  });
  for (const action of ["s3:GetReplicationConfiguration", "s3:ListBucket"]) {
    add({ title: "the role reads the source bucket", expected: "ALLOWED", action, ...asRole, ...onSourceBucket(src.arn), context: roleContext });
  }
  for (const action of ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]) {
    add({ title: "the role reads source object versions", expected: "ALLOWED", action, ...asRole, ...onSourceBucket(object(src.arn)), context: roleContext });
  }
  add({
    title: "the role decrypts source objects with Alice's key, through S3",
    expected: "ALLOWED",
    action: "kms:Decrypt",
    ...asRole,
    ...onKey(sourceKey, "Alice's source key"),
    context: kmsContext(sourceKey, defaultEncryptionContext(src), viaS3(sourceKey)),
  });
  add({
    title: "the role decrypts source objects written without a Bucket Key (object-ARN context)",
    expected: "ALLOWED",
    action: "kms:Decrypt",
    ...asRole,
    ...onKey(sourceKey, "Alice's source key"),
    context: kmsContext(sourceKey, object(src.arn), viaS3(sourceKey)),
  });
  const writes = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", ...(ownerOverride ? ["s3:ObjectOwnerOverrideToBucketOwner"] : [])];
  for (const action of writes) {
    add({ title: "the role writes replicas into Bob's bucket", expected: "ALLOWED", action, ...asRole, ...onDestBucket(object(destBucket.arn)), context: roleContext });
  }
  for (const action of ["kms:Encrypt", "kms:GenerateDataKey"]) {
    add({
      title: "the role encrypts replicas with Bob's replica key, through S3",
      expected: "ALLOWED",
      action,
      ...asRole,
      ...onKey(replicaKey, "Bob's replica key"),
      context: kmsContext(replicaKey, defaultEncryptionContext(destBucket), viaS3(replicaKey)),
    });
  }
  for (const action of ["kms:Encrypt", "kms:GenerateDataKey"]) {
    add({
      title: "the role encrypts replicas under an object-ARN context (no Bucket Key)",
      expected: "ALLOWED",
      action,
      ...asRole,
      ...onKey(replicaKey, "Bob's replica key"),
      context: kmsContext(replicaKey, object(destBucket.arn), viaS3(replicaKey)),
    });
  }
  add({
    // S3 replicates large objects with multipart uploads, which decrypt with the destination key.
    title: "the role decrypts with Bob's replica key through S3, for multipart replicas",
    expected: "ALLOWED",
    action: "kms:Decrypt",
    ...asRole,
    ...onKey(replicaKey, "Bob's replica key"),
    context: kmsContext(replicaKey, defaultEncryptionContext(destBucket), viaS3(replicaKey)),
  });
  add({
    title: "Alice's deployer reads Bob's bucket versioning (PutBucketReplication checks it)",
    expected: "ALLOWED",
    principal: deployer,
    identity: [{ name: "administrator", policy: ANY_ACTION_ADMIN }],
    identityName: "Alice's deployer (assumed administrator)",
    action: "s3:GetBucketVersioning",
    ...onDestBucket(destBucket.arn),
    context: { "aws:SecureTransport": "true", "aws:PrincipalAccount": alice },
  });

  // --- must be denied: nobody else gets in ---
  const admin = { identity: [{ name: "administrator", policy: ANY_ACTION_ADMIN }], identityName: "another principal of Alice (assumed administrator)" };
  add({
    title: "another principal of Alice's account writes replicas",
    expected: "DENIED",
    principal: otherAlicePrincipal,
    ...admin,
    action: "s3:ReplicateObject",
    ...onDestBucket(object(destBucket.arn)),
    context: { "aws:SecureTransport": "true", "aws:PrincipalAccount": alice },
  });
  for (const action of ["kms:Encrypt", "kms:GenerateDataKey"]) {
    add({
      title: "another principal of Alice's account uses Bob's replica key",
      expected: "DENIED",
      principal: otherAlicePrincipal,
      ...admin,
      action,
      ...onKey(replicaKey, "Bob's replica key"),
      context: { ...kmsContext(replicaKey, defaultEncryptionContext(destBucket), viaS3(replicaKey)), "aws:PrincipalArn": otherAlicePrincipal },
    });
  }
  for (const action of ["s3:GetObject", "s3:GetObjectVersion", "s3:DeleteObject", "s3:DeleteObjectVersion"]) {
    add({ title: "the role reads or deletes Bob's objects", expected: "DENIED", action, ...asRole, ...onDestBucket(object(destBucket.arn)), context: roleContext });
  }
  add({
    title: "the role uses Alice's key outside S3",
    expected: "DENIED",
    action: "kms:Decrypt",
    ...asRole,
    ...onKey(sourceKey, "Alice's source key"),
    context: kmsContext(sourceKey, defaultEncryptionContext(src), `ec2.${sourceKey.region}.amazonaws.com`),
  });
  for (const action of ["kms:Encrypt", "kms:Decrypt"]) {
    add({
      title: "the role uses Bob's replica key outside S3",
      expected: "DENIED",
      action,
      ...asRole,
      ...onKey(replicaKey, "Bob's replica key"),
      context: kmsContext(replicaKey, defaultEncryptionContext(destBucket), `lambda.${replicaKey.region}.amazonaws.com`),
    });
  }
  add({
    title: "the role decrypts with Alice's key for another bucket's objects",
    expected: "DENIED",
    action: "kms:Decrypt",
    ...asRole,
    ...onKey(sourceKey, "Alice's source key"),
    context: kmsContext(sourceKey, otherBucketObject(src.arn), viaS3(sourceKey)),
  });
  add({
    title: "the role decrypts with Bob's replica key for another bucket's objects",
    expected: "DENIED",
    action: "kms:Decrypt",
    ...asRole,
    ...onKey(replicaKey, "Bob's replica key"),
    context: kmsContext(replicaKey, otherBucketObject(destBucket.arn), viaS3(replicaKey)),
  });
  add({
    title: "a request without TLS (replica write)",
    expected: "DENIED",
    action: "s3:ReplicateObject",
    ...asRole,
    ...onDestBucket(object(destBucket.arn)),
    context: { ...roleContext, "aws:SecureTransport": "false" },
  });
  add({
    title: "a request without TLS (source read)",
    expected: "DENIED",
    action: "s3:GetObjectVersionForReplication",
    ...asRole,
    ...onSourceBucket(object(src.arn)),
    context: { ...roleContext, "aws:SecureTransport": "false" },
  });
  for (const [bucket, on] of [[src, onSourceBucket], [destBucket, onDestBucket]] as const) {
    add({ title: "an anonymous principal reads objects", expected: "DENIED", principal: anonymousPrincipal, action: "s3:GetObject", ...on(object(bucket.arn)), context: { "aws:SecureTransport": "true" } });
  }
  add({
    title: "Alice suspends versioning on Bob's bucket",
    expected: "DENIED",
    principal: deployer,
    identity: [{ name: "administrator", policy: ANY_ACTION_ADMIN }],
    identityName: "Alice's deployer (assumed administrator)",
    action: "s3:PutBucketVersioning",
    ...onDestBucket(destBucket.arn),
    context: { "aws:SecureTransport": "true", "aws:PrincipalAccount": alice },
  });
  return checks;
}

function explain(check: RequestCheck, e: Evaluation): string {
  const policyName = (type: string, identifier?: string) =>
    type === "resource" ? check.policyNames.resource : type === "identity" ? `identity policy ${identifier ?? ""}`.trim() : type;
  if (e.result === "Allowed") {
    return e.grants.map((g) => `${policyName(g.policyType, "policyIdentifier" in g ? g.policyIdentifier : undefined)}: ${g.statementId ?? `#${g.statementIndex}`}`).join(" + ");
  }
  const blocked = e.blockedBy.includes("s3-bpa")
    ? ["blocked by S3 Block Public Access (RestrictPublicBuckets): the bucket policy is public, so no other account gets in"]
    : [];
  const reasons = e.denials
    .map((d) =>
      d.denialType === "Explicit"
        ? `explicit deny in ${policyName(d.policyType, d.policyIdentifier)}: ${d.statementId ?? `#${d.statementIndex}`}`
        : `no grant in ${d.policyType === "identity" ? check.policyNames.identity : policyName(d.policyType)}`,
    );
  return [...blocked, ...reasons].join("; ") || "no statement applies";
}

export async function runRequests(checks: RequestCheck[]): Promise<RequestOutcome[]> {
  const outcomes: RequestOutcome[] = [];
  for (const check of checks) {
    const e = await evaluate(check.simulation);
    const actual: Expectation = e.result === "Allowed" ? "ALLOWED" : "DENIED";
    const { simulation: _simulation, ...rest } = check;
    outcomes.push({ ...rest, actual, holds: actual === check.expected, decidedBy: explain(check, e), restoredContextKeys: e.restoredContextKeys });
  }
  return outcomes;
}

// ---- static checks ------------------------------------------------------------------------

const ENCRYPTION_CONTEXT_KEY = "kms:EncryptionContext:aws:s3:arn";

function statementsWithEncryptionContext(doc: PolicyDocument | undefined): PolicyStatement[] {
  return (doc?.Statement ?? []).filter((s) => s.Effect === "Allow" && Object.values(s.Condition ?? {}).some((c) => ENCRYPTION_CONTEXT_KEY in c));
}

export function staticChecks(m: PairModel): Finding[] {
  const findings: Finding[] = [];
  const check = (name: string, holds: boolean, detail: string, fix: string) => findings.push({ check: name, holds, detail, ...(holds ? {} : { fix }) });

  check(
    "replication configuration applied",
    m.replication.count === 1,
    `aws_s3_bucket_replication_configuration.${m.replication.resourceName} has ${m.replication.count} instance(s) with the variables' defaults`,
    "leave destination_ready at its default (true) except during the first bring-up",
  );
  const buckets: [string, BucketModel | undefined, string][] = [
    ["source", m.sourceBucket, m.sourceBucket.name],
    ["destination", m.destBucket, String(block(block(m.replication.rules[0])?.destination)?.bucket ?? "?")],
  ];
  for (const [side, bucket, name] of buckets) {
    check(
      `${side} bucket managed by its stack`,
      Boolean(bucket),
      bucket ? `${bucket.name} is aws_s3_bucket.${bucket.resourceName} of stack ${bucket.stack}` : `${name} is not an aws_s3_bucket of stack dest`,
      "point the rule's destination.bucket at the dest stack's bucket ARN",
    );
    if (!bucket) continue;
    check(`${side} bucket versioning`, bucket.versioning === "Enabled", `${bucket.name}: versioning ${bucket.versioning ?? "not configured"}`, `add aws_s3_bucket_versioning with status "Enabled" for ${bucket.name}`);
    const key = bucket === m.sourceBucket ? m.sourceKey : m.destBucketKey;
    const kms = bucket.sse?.algorithm?.startsWith("aws:kms");
    const managedByAws = !bucket.sse?.kmsKeyId || /alias\/aws\//.test(bucket.sse.kmsKeyId);
    check(
      `${side} bucket SSE-KMS with a customer managed key`,
      Boolean(kms) && !managedByAws && Boolean(key?.customerManaged),
      `${bucket.name}: ${bucket.sse ? `${bucket.sse.algorithm}, key ${bucket.sse.kmsKeyId ?? "aws/s3 (AWS managed)"}` : "no default encryption"}`,
      `set apply_server_side_encryption_by_default { sse_algorithm = "aws:kms", kms_master_key_id = <customer managed key ARN> }: aws/s3 cannot be used across accounts`,
    );
  }

  m.replication.rules.forEach((rule: any, i: number) => {
    const r = `rule ${rule.id ?? i}`;
    const destination = block(rule.destination) ?? {};
    const sse = block(block(rule.source_selection_criteria)?.sse_kms_encrypted_objects);
    const replicaKeyId: string | undefined = block(destination.encryption_configuration)?.replica_kms_key_id;
    check(
      "KMS-encrypted objects are replicated",
      sse?.status === "Enabled" && Boolean(replicaKeyId),
      `${r}: sse_kms_encrypted_objects ${sse?.status ?? "not set"}; replica_kms_key_id ${replicaKeyId ?? "not set"}`,
      'set source_selection_criteria { sse_kms_encrypted_objects { status = "Enabled" } } and destination.encryption_configuration.replica_kms_key_id: otherwise S3 silently skips SSE-KMS objects',
    );
    const fullArn = /^arn:aws:kms:[a-z0-9-]+:\d{12}:(key|alias)\//.test(replicaKeyId ?? "");
    const key = m.replicaKey;
    check(
      "replica key in the destination account and region",
      Boolean(replicaKeyId) && fullArn && Boolean(key?.customerManaged) && key?.account === m.dest.account && key?.region === (m.destBucket?.region ?? m.dest.region),
      `${r}: replica_kms_key_id ${replicaKeyId ?? "not set"} -> ${key ? `${key.customerManaged ? "customer managed" : "AWS managed"} key in ${key.account}/${key.region}` : "no key of either stack"}; destination ${m.dest.account}/${m.destBucket?.region ?? m.dest.region}`,
      "name a customer managed key of the dest stack by its key ARN or full alias ARN (arn:aws:kms:<bob-region>:<bob>:alias/<name>): a bare alias or key ID resolves in Alice's account",
    );
    const owner = block(destination.access_control_translation)?.owner;
    check(
      "destination account and owner override agree",
      (owner === undefined || destination.account !== undefined) && (destination.account === undefined || destination.account === m.dest.account),
      `${r}: account ${destination.account ?? "not set"}, owner override ${owner ?? "off"}, dest stack account ${m.dest.account}`,
      "set destination.account to Bob's account ID whenever access_control_translation is set",
    );
    const filter = rule.filter === undefined ? undefined : block(rule.filter) ?? {};
    check(
      "filter {} rather than a V1 rule or prefix = \"\"",
      filter !== undefined && filter.prefix !== "" && rule.prefix === undefined,
      `${r}: ${filter === undefined ? "no filter (V1 rule)" : `filter ${JSON.stringify(filter)}`}`,
      'use filter {} (an empty filter); filter { prefix = "" } diffs forever',
    );
    const dmr = block(rule.delete_marker_replication)?.status;
    check(
      "a rule with a filter sets delete_marker_replication",
      filter === undefined || dmr !== undefined,
      `${r}: delete_marker_replication ${dmr ?? "not set"}`,
      'add delete_marker_replication { status = "Disabled" } (or "Enabled")',
    );
    const tagFilter = Boolean(filter?.tag) || Boolean(block(filter?.and)?.tags && Object.keys(block(filter?.and).tags).length);
    check(
      "no tag filter with delete marker replication",
      !(tagFilter && dmr === "Enabled"),
      `${r}: tag filter ${tagFilter ? "yes" : "no"}, delete markers ${dmr ?? "not set"}`,
      "S3 rejects delete marker replication in a rule with a tag filter: drop one of them",
    );
    const replicationTime = block(destination.replication_time);
    const metricsBlock = block(destination.metrics);
    const rtc = replicationTime?.status === "Enabled";
    const metrics = metricsBlock?.status === "Enabled";
    const rtcMinutes = block(replicationTime?.time)?.minutes;
    const threshold = block(metricsBlock?.event_threshold);
    check(
      "Replication Time Control only with metrics, both at 15 minutes",
      !rtc || (metrics && Number(rtcMinutes) === REPLICATION_TIME_MINUTES && Number(threshold?.minutes) === REPLICATION_TIME_MINUTES),
      `${r}: replication_time ${rtc ? `Enabled, ${rtcMinutes ?? "no"} minutes` : "off"}; metrics ${metrics ? `Enabled, event threshold ${threshold?.minutes ?? "none"}` : "off"}`,
      `with replication_time { status = "Enabled", time { minutes = ${REPLICATION_TIME_MINUTES} } } also set metrics { status = "Enabled", event_threshold { minutes = ${REPLICATION_TIME_MINUTES} } }: S3 requires both, and ${REPLICATION_TIME_MINUTES} is the only value it accepts`,
    );
    check(
      "a metrics event threshold only with Replication Time Control",
      !threshold || rtc,
      `${r}: metrics event_threshold ${threshold ? `${threshold.minutes} minutes` : "none"}; replication_time ${rtc ? "Enabled" : "off"}`,
      'S3 rejects the rule ("Metrics cannot contain an event threshold when ReplicationTime is not specified or Disabled"): drop event_threshold, or enable replication_time',
    );
  });

  // Each encryption-context condition must accept both contexts S3 sends for its bucket.
  const managedBuckets = [m.sourceBucket, m.destBucket].filter((b): b is BucketModel => Boolean(b));
  const documents: [string, PolicyDocument | undefined][] = [
    ...m.role.policies.map((p) => [`role policy ${p.name}`, p.document] as [string, PolicyDocument]),
    ["key policy of Alice's source key", m.sourceKey?.policy],
    ["key policy of Bob's replica key", m.replicaKey?.policy],
  ];
  for (const [where, doc] of documents) {
    for (const s of statementsWithEncryptionContext(doc)) {
      const values = (operator: string) => [s.Condition?.[operator]?.[ENCRYPTION_CONTEXT_KEY] ?? []].flat();
      const accepted = Object.keys(s.Condition ?? {}).flatMap((op) => values(op).map((value) => ({ op, value })));
      for (const bucket of managedBuckets.filter((b) => accepted.some(({ value }) => value === b.arn || value === `${b.arn}/*`))) {
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
  return findings;
}
