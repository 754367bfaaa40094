// Resource and output names. The single-pair config keeps the names it has always synthesized
// (aws_s3_bucket.source_bucket, output replication_role_arn, ...), so existing state never moves;
// a fleet names every resource after its bucket, so a plan names every bucket.
import type { ReplicationConfig } from "./config";

/**
 * A Terraform identifier from a bucket name: "-" becomes "_" (bucket names hold no "_", so two
 * buckets never share one), and a leading digit gets a "_" (identifiers start with a letter or "_").
 */
export const identifierOf = (bucketName: string): string => {
  const id = bucketName.replace(/[^a-z0-9_]/g, "_");
  return /^[0-9]/.test(id) ? `_${id}` : id;
};

/** Construct IDs, which are also the resources' Terraform names; unique within a stack. */
export interface SourceBucketNames {
  /** aws_s3_bucket and its settings resources; aws_kms_key (its alias: <key>_alias); aws_iam_role; ... */
  bucket: string;
  key: string;
  role: string;
  rolePolicy: string;
  replication: string;
  /** aws_iam_role and aws_iam_role_policy of the backfill (S3 Batch Replication) role. */
  backfillRole: string;
  backfillRolePolicy: string;
  /** Output name: `replication_role_arn` for the pair, `replication_role_arn_<bucket>` for a fleet. */
  output(name: string): string;
}

export interface DestinationBucketNames {
  bucket: string;
  key: string;
  /** Two-way: the role, its policy and the replication configuration of the way back. */
  reverseRole: string;
  reverseRolePolicy: string;
  reverseReplication: string;
  output(name: string): string;
}

export function sourceBucketNames(config: ReplicationConfig, bucketName: string): SourceBucketNames {
  if (config.shape === "pair") {
    return {
      bucket: "source_bucket",
      key: "source_key",
      role: "replication_role",
      rolePolicy: "replication_role_policy",
      replication: "replication",
      backfillRole: "backfill_role",
      backfillRolePolicy: "backfill_role_policy",
      output: (n) => n,
    };
  }
  const id = identifierOf(bucketName);
  return {
    bucket: id,
    key: `${id}_key`,
    role: `${id}_replication_role`,
    rolePolicy: `${id}_replication_role_policy`,
    replication: `${id}_replication`,
    backfillRole: `${id}_backfill_role`,
    backfillRolePolicy: `${id}_backfill_role_policy`,
    output: (n) => `${n}_${id}`,
  };
}

export function destinationBucketNames(config: ReplicationConfig, bucketName: string): DestinationBucketNames {
  if (config.shape === "pair") {
    return {
      bucket: "destination_bucket",
      key: "replica_key",
      reverseRole: "reverse_replication_role",
      reverseRolePolicy: "reverse_replication_role_policy",
      reverseReplication: "reverse_replication",
      output: (n) => n,
    };
  }
  const id = identifierOf(bucketName);
  return {
    bucket: id,
    key: `${id}_key`,
    reverseRole: `${id}_reverse_replication_role`,
    reverseRolePolicy: `${id}_reverse_replication_role_policy`,
    reverseReplication: `${id}_reverse_replication`,
    output: (n) => `${n}_${id}`,
  };
}

/** The two stacks, by their cdktf IDs (folder names under cdktf.out/stacks and state keys). */
export type StackName = "source" | "dest";
export const STACK_NAMES: readonly StackName[] = ["source", "dest"];

/** A stack of any shape: the pair's and fleet's two, an organization's source-<name> and dest-<name>. */
export type AnyStackName = StackName | `source-${string}` | `dest-${string}`;

/** Name of the source stack's variable that holds back the replication configuration on the first bring-up. */
export const DESTINATION_READY_VARIABLE = "destination_ready";

/** Name of the source stack's variable that holds back the replication configurations of some source buckets: those whose rules name a bucket of Bob's dest has not created yet. */
export const HELD_BACK_VARIABLE = "held_back_source_buckets";

/** The source stack's output that says which buckets' replication is held back (a bring-up resumes from it). */
export const HELD_BACK_OUTPUT = "replication_held_back";

/** Tags of a backfill role: the bucket it backfills and its report prefix, for verify and npm run backfill. */
export const BACKFILL_TAGS = { bucket: "s3-replication:backfill-bucket", reportPrefix: "s3-replication:backfill-report-prefix" } as const;
