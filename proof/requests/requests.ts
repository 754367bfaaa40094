// The requests `npm run verify` simulates for every replication role of the fleet: every request
// S3 replication makes is allowed; the requests nobody should be able to make are denied, and each
// role is denied every bucket of Bob's (and its key) that none of its rules names.
import { anonymousPrincipal } from "@cloud-copilot/iam-simulate";
import { assumedRoleSessionArn, cloudwatchAlarmArn, kmsKeyArn, s3ServiceEndpoint } from "../../lib/arns";
import type { PolicyDocument } from "../../lib/policies";
import { backfillRequests } from "./backfill-requests";
import type { Expectation, RequestCheck, RequestOutcome } from "./request";
import { OUTSIDER_ACCOUNT } from "../synth/references";
import { evaluate, type Evaluation } from "../engine";
import { ALERTS_GROUP } from "../checks/static-checks";
import { block, type BucketModel, type FleetModel, type KeyModel, type ReplicationModel, type RuleModel } from "../synth/model";

/** Up to this many buckets of Bob's, each role is checked against every one it has no rule for; beyond, against one. */
export const ISOLATION_ALL_PAIRS_UP_TO = 20;

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

type Bucket = Pick<BucketModel, "arn" | "name" | "account" | "policy" | "restrictPublicBuckets" | "sse">;

const missingKey = (account: string, region: string): KeyModel => ({
  arn: kmsKeyArn(region, account, "unresolved"),
  account,
  region,
  policy: { Version: "2012-10-17", Statement: [] },
  aliases: [],
  customerManaged: false,
});

/** A rule's destination as the requests see it: the dest stack's bucket, or what the rule names. */
function destinationOf(m: FleetModel, rule: RuleModel): Bucket {
  return rule.destBucket ?? { arn: `arn:aws:s3:::${rule.destinationName || "unknown-destination"}`, name: rule.destinationName, account: m.dest.account, restrictPublicBuckets: false };
}

/** The requests of one replication role: its source side, each bucket of Bob's it writes into, isolation from the others. */
function roleRequests(m: FleetModel, r: ReplicationModel): RequestCheck[] {
  const src = r.sourceBucket;
  const alice = m.source.account;
  const session = assumedRoleSessionArn(alice, r.role.name, "s3-replication");
  const deployer = assumedRoleSessionArn(alice, "alice-deployer", "cdktf");
  const otherAlicePrincipal = assumedRoleSessionArn(alice, "some-other-role-of-alice", "session");
  const roleContext = { "aws:SecureTransport": "true", "aws:PrincipalArn": r.role.arn, "aws:PrincipalAccount": alice };
  const rolePolicies = r.role.policies.map((p) => ({ name: p.name, policy: p.document }));
  const rolePolicyNames = `role policy ${r.role.policies.map((p) => p.name).join(", ") || "(none)"}`;
  const sourceKey = r.sourceKey ?? missingKey(m.source.account, m.source.region);
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
      group: src.name,
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
  const admin = { identity: [{ name: "administrator", policy: ANY_ACTION_ADMIN }], identityName: "another principal of Alice (assumed administrator)" };
  const asDeployer = { principal: deployer, identity: [{ name: "administrator", policy: ANY_ACTION_ADMIN }], identityName: "Alice's deployer (assumed administrator)" };
  const on = (bucket: Bucket) => (resource: string) => ({
    resource,
    account: bucket.account,
    resourcePolicy: bucket.policy,
    resourceName: `bucket policy of ${bucket.name}`,
    blockPublicAccess: bucket.restrictPublicBuckets,
  });
  const onSourceBucket = on(src);
  const kmsContext = (key: KeyModel, encryptionContext: string, via: string) => ({
    ...roleContext,
    "kms:CallerAccount": alice,
    "kms:ViaService": via,
    "kms:EncryptionContext:aws:s3:arn": encryptionContext,
    ...(key.aliases.length ? { "kms:ResourceAliases": key.aliases } : {}),
  });
  const viaS3 = (key: KeyModel) => s3ServiceEndpoint(key.region);
  const onKey = (key: KeyModel, label: string) => ({ resource: key.arn, account: key.account, resourcePolicy: key.policy, resourceName: `key policy of ${label}` });

  // --- the source side: must be allowed ---
  add({
    title: "S3 assumes the replication role for Alice's bucket",
    expected: "ALLOWED",
    principal: "s3.amazonaws.com",
    action: "sts:AssumeRole",
    resource: r.role.arn,
    account: alice,
    resourcePolicy: r.role.trustPolicy,
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

  // --- each bucket of Bob's the role's rules name ---
  const byDestination = new Map<string, RuleModel[]>();
  for (const rule of r.rules) byDestination.set(rule.destinationName, [...(byDestination.get(rule.destinationName) ?? []), rule]);
  for (const rules of byDestination.values()) {
    const destBucket = destinationOf(m, rules[0]);
    const onDestBucket = on(destBucket);
    const replicaKey = rules[0].replicaKey ?? missingKey(m.dest.account, m.dest.region);
    const ownerOverride = rules.some((rule) => block(block(rule.rule.destination)?.access_control_translation)?.owner === "Destination");
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
      ...asDeployer,
      action: "s3:GetBucketVersioning",
      ...onDestBucket(destBucket.arn),
      context: { "aws:SecureTransport": "true", "aws:PrincipalAccount": alice },
    });

    // --- must be denied: nobody else gets in ---
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
    add({ title: "an anonymous principal reads objects", expected: "DENIED", principal: anonymousPrincipal, action: "s3:GetObject", ...onDestBucket(object(destBucket.arn)), context: { "aws:SecureTransport": "true" } });
    add({
      title: "Alice suspends versioning on Bob's bucket",
      expected: "DENIED",
      ...asDeployer,
      action: "s3:PutBucketVersioning",
      ...onDestBucket(destBucket.arn),
      context: { "aws:SecureTransport": "true", "aws:PrincipalAccount": alice },
    });
  }

  // --- the source side: must be denied ---
  add({
    title: "the role uses Alice's key outside S3",
    expected: "DENIED",
    action: "kms:Decrypt",
    ...asRole,
    ...onKey(sourceKey, "Alice's source key"),
    context: kmsContext(sourceKey, defaultEncryptionContext(src), `ec2.${sourceKey.region}.amazonaws.com`),
  });
  add({
    title: "the role decrypts with Alice's key for another bucket's objects",
    expected: "DENIED",
    action: "kms:Decrypt",
    ...asRole,
    ...onKey(sourceKey, "Alice's source key"),
    context: kmsContext(sourceKey, otherBucketObject(src.arn), viaS3(sourceKey)),
  });
  add({
    title: "a request without TLS (source read)",
    expected: "DENIED",
    action: "s3:GetObjectVersionForReplication",
    ...asRole,
    ...onSourceBucket(object(src.arn)),
    context: { ...roleContext, "aws:SecureTransport": "false" },
  });
  add({ title: "an anonymous principal reads objects", expected: "DENIED", principal: anonymousPrincipal, action: "s3:GetObject", ...onSourceBucket(object(src.arn)), context: { "aws:SecureTransport": "true" } });

  // --- isolation: every other bucket of Bob's, and its key, is closed to this role ---
  const others = m.destinationBuckets.filter((d) => !byDestination.has(d.bucket.name));
  for (const other of m.destinationBuckets.length <= ISOLATION_ALL_PAIRS_UP_TO ? others : others.slice(0, 1)) {
    add({
      title: "the role writes into a bucket of Bob's that none of its rules names",
      expected: "DENIED",
      action: "s3:ReplicateObject",
      ...asRole,
      ...on(other.bucket)(object(other.bucket.arn)),
      context: roleContext,
    });
    const key = other.key ?? missingKey(m.dest.account, m.dest.region);
    add({
      title: "the role encrypts with the key of a bucket of Bob's that none of its rules names",
      expected: "DENIED",
      action: "kms:Encrypt",
      ...asRole,
      ...onKey(key, `Bob's key of ${other.bucket.name}`),
      context: kmsContext(key, defaultEncryptionContext(other.bucket), viaS3(key)),
    });
  }
  return checks;
}


/**
 * The alerts topic and its key: S3 publishes failure events for the source buckets, CloudWatch
 * publishes the account's alarms, each encrypting with the topic's key; nobody else gets in.
 */
function alertsRequests(m: FleetModel): RequestCheck[] {
  const alerts = m.alerts;
  if (!alerts) return [];
  const alice = m.source.account;
  const key = alerts.key ?? missingKey(alice, alerts.region);
  const checks: RequestCheck[] = [];
  const add = (c: { title: string; expected: Expectation; principal: string; action: string; onKey?: boolean; context: Record<string, string>; identity?: PolicyDocument }) =>
    checks.push({
      group: ALERTS_GROUP,
      title: c.title,
      expected: c.expected,
      principal: c.principal,
      action: c.action,
      resource: c.onKey ? key.arn : alerts.topicArn,
      policyNames: { identity: c.identity ? "administrator of another account" : "identity policies", resource: c.onKey ? "key policy of the alerts key" : "policy of the alerts topic" },
      simulation: {
        request: {
          principal: c.principal,
          action: c.action,
          resource: { resource: c.onKey ? key.arn : alerts.topicArn, accountId: alice },
          contextVariables: { "aws:SecureTransport": "true", ...c.context },
        },
        identityPolicies: c.identity ? [{ name: "administrator", policy: c.identity }] : [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: c.onKey ? key.policy : alerts.policy,
      },
    });
  const alarm = cloudwatchAlarmArn(alerts.region, alice, "s3-replication-failed");
  const publishers: [string, string, string][] = [
    ...m.replications.map((r): [string, string, string] => ["s3.amazonaws.com", r.sourceBucket.arn, `S3 publishes replication failures of ${r.sourceBucket.name}`]),
    ["cloudwatch.amazonaws.com", alarm, "CloudWatch publishes an alarm of Alice's account"],
  ];
  for (const [service, sourceArn, title] of publishers) {
    const context = { "aws:SourceArn": sourceArn, "aws:SourceAccount": alice };
    add({ title, expected: "ALLOWED", principal: service, action: "sns:Publish", context });
    for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
      add({ title: `${title}, encrypted with the alerts key`, expected: "ALLOWED", principal: service, action, onKey: true, context });
    }
  }
  const otherBucket = `${m.replications[0]?.sourceBucket.arn ?? "arn:aws:s3:::unknown"}-other`;
  add({ title: "S3 publishes events of another bucket", expected: "DENIED", principal: "s3.amazonaws.com", action: "sns:Publish", context: { "aws:SourceArn": otherBucket, "aws:SourceAccount": alice } });
  add({
    title: "S3 publishes on behalf of another account",
    expected: "DENIED",
    principal: "s3.amazonaws.com",
    action: "sns:Publish",
    context: { "aws:SourceArn": "arn:aws:s3:::a-bucket-of-another-account", "aws:SourceAccount": OUTSIDER_ACCOUNT },
  });
  add({
    title: "CloudWatch publishes an alarm of another account",
    expected: "DENIED",
    principal: "cloudwatch.amazonaws.com",
    action: "sns:Publish",
    context: { "aws:SourceArn": cloudwatchAlarmArn(alerts.region, OUTSIDER_ACCOUNT, "x"), "aws:SourceAccount": OUTSIDER_ACCOUNT },
  });
  add({
    title: "another account's service uses the alerts key",
    expected: "DENIED",
    principal: "s3.amazonaws.com",
    action: "kms:GenerateDataKey",
    onKey: true,
    context: { "aws:SourceArn": "arn:aws:s3:::a-bucket-of-another-account", "aws:SourceAccount": OUTSIDER_ACCOUNT },
  });
  const outsider = assumedRoleSessionArn(OUTSIDER_ACCOUNT, "admin", "session");
  for (const action of ["sns:Publish", "sns:Subscribe"]) {
    add({
      title: "an administrator of another account publishes or subscribes",
      expected: "DENIED",
      principal: outsider,
      action,
      identity: ANY_ACTION_ADMIN,
      context: { "aws:PrincipalAccount": OUTSIDER_ACCOUNT },
    });
  }
  return checks;
}

/** Every request of every replication role (and backfill role), grouped by source bucket, then the alerts'. */
export function fleetRequests(m: FleetModel): RequestCheck[] {
  return [...m.replications.flatMap((r) => [...roleRequests(m, r), ...backfillRequests(m, r)]), ...alertsRequests(m)];
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
  const reasons = e.denials.map((d) =>
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
