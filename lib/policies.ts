// Every IAM, bucket and key policy of both stacks, built as plain data by pure functions.
// The stacks serialise these as JSON text (lib/hcl-output.ts policyAttribute); `npm run verify`
// and the tests read the same JSON back, so nothing here depends on terraform to be rendered.
import {
  accountRootArn,
  bucketArn,
  bucketObjectsArn,
  cloudwatchAlarmArn,
  kmsAliasName,
  kmsKeysInAccount,
  s3ServiceEndpoint,
} from "./arns";
import { BATCH_OPERATIONS_SERVICE, CLOUDWATCH_SERVICE, S3_SERVICE } from "./aws-facts";

/** Condition values as IAM reads them; the stacks write strings, an adopted statement may hold a JSON bool or number. */
export type ConditionValue = string | number | boolean;
export type ConditionBlock = Record<string, Record<string, ConditionValue | ConditionValue[]>>;

/** IAM's statement grammar: the stacks write Action and Principal; an adopted bucket's statements may use the Not forms. */
export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: Principal;
  NotPrincipal?: Principal;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: ConditionBlock;
}

export type Principal = "*" | { AWS?: string | string[]; Service?: string | string[]; Federated?: string | string[]; CanonicalUser?: string | string[] };

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/**
 * What S3 puts in kms:EncryptionContext:aws:s3:arn for objects of this bucket: the bucket ARN for
 * objects written with an S3 Bucket Key, the object's ARN for any other (written with
 * `x-amz-server-side-encryption-bucket-key-enabled: false`, or before Bucket Keys were on). A KMS
 * grant for one bucket must accept both, and nothing of any other bucket.
 */
export const s3EncryptionContextArns = (bucketName: string): string[] => [bucketArn(bucketName), bucketObjectsArn(bucketName)];

/** Object actions the replication role performs on the destination bucket. */
export function replicaWriteActions(ownerOverride: boolean): string[] {
  const actions = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"];
  return ownerOverride ? [...actions, "s3:ObjectOwnerOverrideToBucketOwner"] : actions;
}

/**
 * What S3 reads of each version of a locked source bucket to replicate its lock; without them a
 * locked version fails to replicate (S3 User Guide, "Using Object Lock with S3 Replication").
 */
export const OBJECT_LOCK_READS = ["s3:GetObjectRetention", "s3:GetObjectLegalHold"];

/** Limits a KMS grant to S3 in one region, working on one bucket's objects (with or without a Bucket Key). */
function kmsThroughS3For(region: string, bucketName: string): ConditionBlock {
  return {
    StringEquals: { "kms:ViaService": s3ServiceEndpoint(region) },
    StringLike: { "kms:EncryptionContext:aws:s3:arn": s3EncryptionContextArns(bucketName) },
  };
}

/** The statements the stack writes into a source bucket's policy (an adopted bucket's own must not reuse them). */
export const SOURCE_BUCKET_SIDS = { tlsOnly: "DenyInsecureTransport", reverseWrites: "BobReplicationRoleWritesReplicas", reverseVersioning: "BobChecksSourceVersioning" } as const;

function denyInsecureTransport(bucketName: string): PolicyStatement {
  return {
    Sid: SOURCE_BUCKET_SIDS.tlsOnly,
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn(bucketName), bucketObjectsArn(bucketName)],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** Lets the account administer its own key and delegate use of it through IAM policies. */
function keyAdministeredByAccount(accountId: string): PolicyStatement {
  return {
    Sid: "EnableIamPoliciesOfTheOwningAccount",
    Effect: "Allow",
    Principal: { AWS: accountRootArn(accountId) },
    Action: "kms:*",
    Resource: "*",
  };
}

const doc = (...statements: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

/** One principal as a string (as the single pair has always written it), several as a list. */
const oneOrMany = (items: string[]): string | string[] => (items.length === 1 ? items[0] : items);

/**
 * Items split by owner override, those with it first, each group with the statement-ID suffix that
 * tells the two apart: the override permission goes only where a rule asks for it.
 */
function byOwnerOverride<T extends { ownerOverride: boolean }>(items: T[]): { ownerOverride: boolean; items: T[]; sidSuffix: string }[] {
  const groups = [true, false]
    .map((ownerOverride) => ({ ownerOverride, items: items.filter((i) => i.ownerOverride === ownerOverride) }))
    .filter((g) => g.items.length > 0);
  return groups.map((g) => ({ ...g, sidSuffix: groups.length > 1 && !g.ownerOverride ? "OwnerKept" : "" }));
}

/** A bucket of Bob's that one of Alice's replication roles writes into. */
export interface ReplicaDestination {
  bucketName: string;
  accountId: string;
  region: string;
  kmsKeyAlias: string;
  /** Whether any rule into it hands replicas to Bob (s3:ObjectOwnerOverrideToBucketOwner). */
  ownerOverride: boolean;
  /** Appended to statement IDs when a role writes into several buckets ("" when only one). */
  sidSuffix: string;
}

/** One of Alice's replication roles that writes into a bucket of Bob's. */
export interface ReplicaWriter {
  roleArn: string;
  ownerOverride: boolean;
}

/** Trust policy of a replication role: only S3, acting for that one source bucket of Alice's. */
export function replicationTrustPolicy(sourceAccountId: string, sourceBucketName: string, sid = "S3ReplicatesAliceSourceBucket"): PolicyDocument {
  return doc({
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: S3_SERVICE },
    Action: "sts:AssumeRole",
    // Confused-deputy protection: S3 may assume the role only on behalf of this bucket.
    Condition: {
      StringEquals: { "aws:SourceAccount": sourceAccountId },
      ArnLike: { "aws:SourceArn": bucketArn(sourceBucketName) },
    },
  });
}

/**
 * Permissions of the replication role of one source bucket: read that bucket, write replicas into
 * the buckets its rules name and nothing else, with their keys. Bob's keys are named through their
 * aliases (kms:ResourceAliases) because the source stack cannot know a key's ID before Bob exists.
 */
export function replicationRolePolicy(p: {
  /** objectLock: the source bucket has Object Lock, so S3 reads each version's retention and legal hold to replicate them. */
  source: { bucketName: string; region: string; objectLock?: boolean };
  sourceKeyArn: string;
  destinations: ReplicaDestination[];
}): PolicyDocument {
  const { source, destinations } = p;
  return doc(
    {
      Sid: "ReadSourceBucketReplicationConfiguration",
      Effect: "Allow",
      Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
      Resource: bucketArn(source.bucketName),
    },
    {
      Sid: "ReadSourceObjectVersions",
      Effect: "Allow",
      Action: [
        "s3:GetObjectVersionForReplication",
        "s3:GetObjectVersionAcl",
        "s3:GetObjectVersionTagging",
        "s3:GetObjectVersion",
        ...(source.objectLock ? OBJECT_LOCK_READS : []),
      ],
      Resource: bucketObjectsArn(source.bucketName),
    },
    ...byOwnerOverride(destinations).map(
      (group): PolicyStatement => ({
        Sid: `WriteReplicasToDestinationBucket${group.sidSuffix}`,
        Effect: "Allow",
        Action: replicaWriteActions(group.ownerOverride),
        Resource: oneOrMany(group.items.map((d) => bucketObjectsArn(d.bucketName))),
      }),
    ),
    {
      Sid: "DecryptSourceObjects",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: p.sourceKeyArn,
      Condition: kmsThroughS3For(source.region, source.bucketName),
    },
    ...destinations.map(
      (d): PolicyStatement => ({
        // Decrypt too: S3 replicates large objects with multipart uploads, which need it.
        Sid: `EncryptReplicasWithDestinationKey${d.sidSuffix}`,
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"],
        Resource: kmsKeysInAccount(d.region, d.accountId),
        Condition: {
          ...kmsThroughS3For(d.region, d.bucketName),
          "ForAnyValue:StringEquals": { "kms:ResourceAliases": kmsAliasName(d.kmsKeyAlias) },
        },
      }),
    ),
  );
}

/**
 * The role of the way back of a two-way pair: a role of Bob's account that writes replicas into
 * one of Alice's buckets. Alice's policies name it by Bob's account and an exact aws:PrincipalArn,
 * not as a principal: IAM refuses a policy naming a role that does not exist yet, and Alice's stack
 * is applied before Bob's creates it. Only that role passes the condition.
 */
export interface ReverseWriter {
  accountId: string;
  roleArn: string;
  ownerOverride: boolean;
}

const onlyRole = (roleArn: string): ConditionBlock => ({ ArnEquals: { "aws:PrincipalArn": roleArn } });

/** A source key of Alice's: administered by Alice; the role's use of it is granted by its IAM policy. Two-way: Bob's role of the way back encrypts replicas with it. */
export function sourceKeyPolicy(accountId: string, reverse?: { writer: ReverseWriter; region: string; bucketName: string }): PolicyDocument {
  if (!reverse) return doc(keyAdministeredByAccount(accountId));
  const { writer, region, bucketName } = reverse;
  const principal = { AWS: accountRootArn(writer.accountId) };
  // Only what the role's own policy can use too (its policy grants no kms:DescribeKey).
  return doc(keyAdministeredByAccount(accountId), {
    Sid: "BobReplicationRoleEncryptsReplicas",
    Effect: "Allow",
    Principal: principal,
    Action: ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"],
    Resource: "*",
    Condition: { ...kmsThroughS3For(region, bucketName), ...onlyRole(writer.roleArn) },
  });
}

/** A source bucket of Alice's: TLS only. Two-way: Bob's role of the way back writes replicas, and Bob's account reads the versioning. */
export function sourceBucketPolicy(bucketName: string, existingStatements: PolicyStatement[] = [], reverse?: ReverseWriter): PolicyDocument {
  if (!reverse) return doc(denyInsecureTransport(bucketName), ...existingStatements);
  const principal = { AWS: accountRootArn(reverse.accountId) };
  return doc(
    denyInsecureTransport(bucketName),
    {
      Sid: SOURCE_BUCKET_SIDS.reverseWrites,
      Effect: "Allow",
      Principal: principal,
      Action: replicaWriteActions(reverse.ownerOverride),
      Resource: bucketObjectsArn(bucketName),
      Condition: onlyRole(reverse.roleArn),
    },
    { Sid: SOURCE_BUCKET_SIDS.reverseVersioning, Effect: "Allow", Principal: principal, Action: "s3:GetBucketVersioning", Resource: bucketArn(bucketName) },
    ...existingStatements,
  );
}

/** S3 Batch Operations may assume the backfill role, only for jobs of Alice's own account (confused deputy). */
export function backfillTrustPolicy(accountId: string): PolicyDocument {
  return doc({
    Sid: "S3BatchOperationsOfAliceAccount",
    Effect: "Allow",
    Principal: { Service: BATCH_OPERATIONS_SERVICE },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
  });
}

/**
 * A Batch Replication job on one of Alice's buckets: start replication of its objects, read its
 * replication configuration and generate the manifest (an inventory configuration), write the
 * completion report under the report prefix only, and encrypt that report with the bucket's key
 * (the bucket's default encryption is SSE-KMS, so S3 asks KMS on the writer's behalf). Nothing else:
 * no object reads, no deletes, no other bucket.
 */
export function backfillRolePolicy(p: { bucketName: string; region: string; sourceKeyArn: string; reportPrefix: string }): PolicyDocument {
  const reports = `${bucketArn(p.bucketName)}/${p.reportPrefix}*`;
  return doc(
    { Sid: "InitiateReplicationOfSourceObjects", Effect: "Allow", Action: "s3:InitiateReplication", Resource: bucketObjectsArn(p.bucketName) },
    {
      Sid: "ReadReplicationConfigurationAndGenerateManifest",
      Effect: "Allow",
      Action: ["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration"],
      Resource: bucketArn(p.bucketName),
    },
    { Sid: "WriteCompletionReport", Effect: "Allow", Action: "s3:PutObject", Resource: reports },
    {
      Sid: "EncryptCompletionReport",
      Effect: "Allow",
      Action: "kms:GenerateDataKey",
      Resource: p.sourceKeyArn,
      Condition: {
        StringEquals: { "kms:ViaService": s3ServiceEndpoint(p.region) },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucketArn(p.bucketName), reports] },
      },
    },
  );
}

/**
 * The replica key of one of Bob's buckets: administered by Bob; the replication roles whose rules
 * write into that bucket may encrypt replicas with it (and decrypt, which multipart uploads of
 * large replicas need), only through S3 in Bob's region and only for that bucket. The roles still
 * cannot read Bob's objects: his bucket policy grants them no s3:GetObject.
 */
export function replicaKeyPolicy(p: { accountId: string; region: string; bucketName: string; writers: ReplicaWriter[] }): PolicyDocument {
  const principal = { AWS: oneOrMany(p.writers.map((w) => w.roleArn)) };
  return doc(keyAdministeredByAccount(p.accountId), {
    Sid: "AliceReplicationRoleEncryptsReplicas",
    Effect: "Allow",
    Principal: principal,
    Action: ["kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Decrypt"],
    Resource: "*",
    Condition: kmsThroughS3For(p.region, p.bucketName),
  }, {
    // DescribeKey carries no encryption context, so it gets only the S3 condition.
    Sid: "AliceReplicationRoleDescribesReplicaKey",
    Effect: "Allow",
    Principal: principal,
    Action: "kms:DescribeKey",
    Resource: "*",
    Condition: { StringEquals: { "kms:ViaService": s3ServiceEndpoint(p.region) } },
  });
}

/**
 * One of Bob's buckets: TLS only; the replication roles whose rules write into it write replicas;
 * Alice's account may read (never change: no s3:PutBucketVersioning) the versioning state that
 * PutBucketReplication checks.
 */
export function destinationBucketPolicy(p: { bucketName: string; sourceAccountId: string; writers: ReplicaWriter[] }): PolicyDocument {
  return doc(
    denyInsecureTransport(p.bucketName),
    ...byOwnerOverride(p.writers).map(
      (group): PolicyStatement => ({
        Sid: `AliceReplicationRoleWritesReplicas${group.sidSuffix}`,
        Effect: "Allow",
        Principal: { AWS: oneOrMany(group.items.map((w) => w.roleArn)) },
        Action: replicaWriteActions(group.ownerOverride),
        Resource: bucketObjectsArn(p.bucketName),
      }),
    ),
    {
      Sid: "AliceChecksDestinationVersioning",
      Effect: "Allow",
      Principal: { AWS: accountRootArn(p.sourceAccountId) },
      Action: "s3:GetBucketVersioning",
      Resource: bucketArn(p.bucketName),
    },
  );
}

/** The services that publish replication alerts, and the source ARNs each publishes for. */
const ALERT_PUBLISHERS = [S3_SERVICE, CLOUDWATCH_SERVICE];

/**
 * The alerts topic's key: administered by Alice; S3 (failure events) and CloudWatch (alarms) may
 * use it to publish encrypted messages, only on behalf of Alice's account.
 */
export function alertsKeyPolicy(accountId: string): PolicyDocument {
  return doc(keyAdministeredByAccount(accountId), {
    Sid: "S3AndCloudWatchPublishEncryptedAlerts",
    Effect: "Allow",
    Principal: { Service: ALERT_PUBLISHERS },
    Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
    Resource: "*",
    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
  });
}

/**
 * The alerts topic: Alice's account manages it and subscribes to it (through IAM); S3 publishes
 * only for these source buckets and CloudWatch only for this account's alarms. Nobody outside the
 * account publishes or subscribes.
 */
export function alertsTopicPolicy(p: { accountId: string; region: string; topicArn: string; sourceBucketNames: string[] }): PolicyDocument {
  const fromAccount = { "aws:SourceAccount": p.accountId };
  return doc(
    {
      Sid: "AliceManagesAndSubscribes",
      Effect: "Allow",
      Principal: { AWS: accountRootArn(p.accountId) },
      Action: ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish"],
      Resource: p.topicArn,
    },
    {
      Sid: "S3PublishesReplicationEvents",
      Effect: "Allow",
      Principal: { Service: S3_SERVICE },
      Action: "sns:Publish",
      Resource: p.topicArn,
      Condition: { StringEquals: fromAccount, ArnLike: { "aws:SourceArn": oneOrMany(p.sourceBucketNames.map(bucketArn)) } },
    },
    {
      Sid: "CloudWatchPublishesAlarms",
      Effect: "Allow",
      Principal: { Service: CLOUDWATCH_SERVICE },
      Action: "sns:Publish",
      Resource: p.topicArn,
      Condition: { StringEquals: fromAccount, ArnLike: { "aws:SourceArn": cloudwatchAlarmArn(p.region, p.accountId, "*") } },
    },
  );
}

/**
 * A document's statements packed, in order, into as few documents as `fits` allows (IAM's split of
 * a role's grants into managed policies). A statement too large on its own is split by its
 * Resource list, each part keeping the Sid with a number; one that still does not fit is kept
 * whole, and the size check that follows refuses it.
 */
export function packStatements(document: PolicyDocument, fits: (d: PolicyDocument) => boolean): PolicyDocument[] {
  const split = (s: PolicyStatement): PolicyStatement[] => {
    const resources = [s.Resource ?? []].flat();
    if (fits(doc(s)) || resources.length < 2) return [s];
    const half = Math.ceil(resources.length / 2);
    return [resources.slice(0, half), resources.slice(half)].flatMap((part, i) => split({ ...s, ...(s.Sid ? { Sid: `${s.Sid}${i + 1}` } : {}), Resource: oneOrMany(part) }));
  };
  const packed: PolicyStatement[][] = [];
  for (const s of document.Statement.flatMap(split)) {
    const last = packed.at(-1);
    if (last && fits(doc(...last, s))) last.push(s);
    else packed.push([s]);
  }
  return packed.map((statements) => doc(...statements));
}

