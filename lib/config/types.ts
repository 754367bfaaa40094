// The validated configuration both file shapes become (./pair.ts, ./fleet.ts): what the stacks,
// policies and scripts read. Alice is the source account, Bob the destination account.
import type { z } from "zod";
import type { PolicyStatement } from "../policies";
import type { backend, credentials, monitoring, STORAGE_CLASSES } from "./fields";

/** How terraform authenticates in one account (a profile or a role to assume). */
export type Credentials = z.infer<typeof credentials>;

export interface AccountConfig {
  accountId: string;
  region: string;
  /** Absent: the provider's default chain (e.g. the per-workspace credentials of Terraform Cloud). */
  credentials?: Credentials;
}

export type StorageClass = (typeof STORAGE_CLASSES)[number];

export interface RuleFilter {
  prefix?: string;
  tags?: Record<string, string>;
}

export interface RuleConfig {
  id: string;
  /** Absent only where the bucket has one rule. */
  priority?: number;
  /** Name of one of Bob's destination buckets. */
  destinationBucket: string;
  /** Absent: the whole bucket (`filter {}`). */
  filter?: RuleFilter;
  replicateDeleteMarkers: boolean;
  /** Absent: replicas keep the source object's storage class. */
  storageClass?: StorageClass;
  metrics: boolean;
  replicationTimeControl: boolean;
  ownerOverride: boolean;
}

export interface SourceBucketConfig {
  bucketName: string;
  /** Alias of the key this stack creates for the bucket; absent when an adopted bucket keeps its own key. */
  kmsKeyAlias?: string;
  replicationRoleName: string;
  rules: RuleConfig[];
  /** The bucket exists already: the stack imports it instead of creating it (fleet shape only). */
  existing?: ExistingBucketConfig;
  /** S3 Batch Replication of the objects written before the rules existed (fleet shape only). */
  backfill?: BackfillConfig;
}

export interface ExistingBucketConfig {
  /** The statements its bucket policy holds today ([] for none): kept, after the stack's own. */
  bucketPolicyStatements: PolicyStatement[];
  /** Its current default-encryption key, kept: the stack then writes no key policy for it. */
  kmsKeyArn?: string;
}

export interface BackfillConfig {
  /** Key prefix in the source bucket for the jobs' completion reports ("…/"). */
  reportPrefix: string;
  /** Name of the role S3 Batch Operations assumes. */
  roleName: string;
}

export interface DestinationBucketConfig {
  bucketName: string;
  kmsKeyAlias: string;
}

/** Where both stacks keep state: local, s3 or cloud. */
export type BackendConfig = z.infer<typeof backend>;

/** Off by default. On: an encrypted SNS topic in Alice's account, failure notifications and an alarm per rule. */
export type MonitoringConfig = z.infer<typeof monitoring>;

export interface ReplicationConfig {
  /**
   * Which file shape this came from. "pair" keeps the resource addresses the single-pair
   * config has always synthesized (aws_s3_bucket.source_bucket, ...), so existing state never moves.
   */
  shape: "pair" | "fleet";
  sourceAccount: AccountConfig;
  destinationAccount: AccountConfig;
  sourceBuckets: SourceBucketConfig[];
  destinationBuckets: DestinationBucketConfig[];
  tags: Record<string, string>;
  backend: BackendConfig;
  monitoring: MonitoringConfig;
  /** A loopback moto endpoint standing in for both accounts (npm run deploy:local). */
  emulator?: { endpoint: string };
}
