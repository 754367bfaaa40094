// Every IAM, bucket and key policy of both stacks, built as plain data by pure functions.
// The stacks serialise these as JSON text (lib/hcl-output.ts policyAttribute); `npm run verify`
// and the tests read the same JSON back, so nothing here depends on terraform to be rendered.
import {
  accountRootArn,
  bucketArn,
  bucketObjectsArn,
  kmsAliasName,
  kmsKeysInAccount,
  s3ServiceEndpoint,
} from "./arns";
import type { ReplicationConfig } from "./config";

export type ConditionBlock = Record<string, Record<string, string | string[]>>;

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | { AWS: string | string[] } | { Service: string | string[] };
  Action: string | string[];
  Resource?: string | string[];
  Condition?: ConditionBlock;
}

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

/** Limits a KMS grant to S3 in one region, working on one bucket's objects (with or without a Bucket Key). */
function kmsThroughS3For(region: string, bucketName: string): ConditionBlock {
  return {
    StringEquals: { "kms:ViaService": s3ServiceEndpoint(region) },
    StringLike: { "kms:EncryptionContext:aws:s3:arn": s3EncryptionContextArns(bucketName) },
  };
}

function denyInsecureTransport(bucketName: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
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

/** Trust policy of Alice's replication role: only S3, acting for Alice's source bucket. */
export function replicationTrustPolicy(config: ReplicationConfig): PolicyDocument {
  return doc({
    Sid: "S3ReplicatesAliceSourceBucket",
    Effect: "Allow",
    Principal: { Service: "s3.amazonaws.com" },
    Action: "sts:AssumeRole",
    // Confused-deputy protection: S3 may assume the role only on behalf of this bucket.
    Condition: {
      StringEquals: { "aws:SourceAccount": config.source.accountId },
      ArnLike: { "aws:SourceArn": bucketArn(config.source.bucketName) },
    },
  });
}

/**
 * Permissions of Alice's replication role. Bob's replica key is named through its alias
 * (kms:ResourceAliases) because the source stack cannot know the key's ID before Bob exists.
 */
export function replicationRolePolicy(config: ReplicationConfig, refs: { sourceKeyArn: string }): PolicyDocument {
  const { source, destination, replication } = config;
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
      ],
      Resource: bucketObjectsArn(source.bucketName),
    },
    {
      Sid: "WriteReplicasToDestinationBucket",
      Effect: "Allow",
      Action: replicaWriteActions(replication.ownerOverride),
      Resource: bucketObjectsArn(destination.bucketName),
    },
    {
      Sid: "DecryptSourceObjects",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: refs.sourceKeyArn,
      Condition: kmsThroughS3For(source.region, source.bucketName),
    },
    {
      // Decrypt too: S3 replicates large objects with multipart uploads, which need it.
      Sid: "EncryptReplicasWithDestinationKey",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"],
      Resource: kmsKeysInAccount(destination.region, destination.accountId),
      Condition: {
        ...kmsThroughS3For(destination.region, destination.bucketName),
        "ForAnyValue:StringEquals": { "kms:ResourceAliases": kmsAliasName(destination.kmsKeyAlias) },
      },
    },
  );
}

/** Alice's source key: administered by Alice; the role's use of it is granted by its IAM policy. */
export function sourceKeyPolicy(config: ReplicationConfig): PolicyDocument {
  return doc(keyAdministeredByAccount(config.source.accountId));
}

/** Alice's source bucket: TLS only. */
export function sourceBucketPolicy(config: ReplicationConfig): PolicyDocument {
  return doc(denyInsecureTransport(config.source.bucketName));
}

/**
 * Bob's replica key: administered by Bob; Alice's replication role may encrypt replicas with it
 * (and decrypt, which multipart uploads of large replicas need), only through S3 in Bob's region
 * and only for Bob's destination bucket. The role still cannot read Bob's objects: his bucket
 * policy grants it no s3:GetObject.
 */
export function replicaKeyPolicy(config: ReplicationConfig, refs: { replicationRoleArn: string }): PolicyDocument {
  const { destination } = config;
  return doc(keyAdministeredByAccount(destination.accountId), {
    Sid: "AliceReplicationRoleEncryptsReplicas",
    Effect: "Allow",
    Principal: { AWS: refs.replicationRoleArn },
    Action: ["kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Decrypt"],
    Resource: "*",
    Condition: kmsThroughS3For(destination.region, destination.bucketName),
  }, {
    // DescribeKey carries no encryption context, so it gets only the S3 condition.
    Sid: "AliceReplicationRoleDescribesReplicaKey",
    Effect: "Allow",
    Principal: { AWS: refs.replicationRoleArn },
    Action: "kms:DescribeKey",
    Resource: "*",
    Condition: { StringEquals: { "kms:ViaService": s3ServiceEndpoint(destination.region) } },
  });
}

/**
 * Bob's destination bucket: TLS only; Alice's replication role writes replicas; Alice's account
 * may read (never change: no s3:PutBucketVersioning) the versioning state that
 * PutBucketReplication checks.
 */
export function destinationBucketPolicy(config: ReplicationConfig, refs: { replicationRoleArn: string }): PolicyDocument {
  const { source, destination, replication } = config;
  return doc(
    denyInsecureTransport(destination.bucketName),
    {
      Sid: "AliceReplicationRoleWritesReplicas",
      Effect: "Allow",
      Principal: { AWS: refs.replicationRoleArn },
      Action: replicaWriteActions(replication.ownerOverride),
      Resource: bucketObjectsArn(destination.bucketName),
    },
    {
      Sid: "AliceChecksDestinationVersioning",
      Effect: "Allow",
      Principal: { AWS: accountRootArn(source.accountId) },
      Action: "s3:GetBucketVersioning",
      Resource: bucketArn(destination.bucketName),
    },
  );
}
