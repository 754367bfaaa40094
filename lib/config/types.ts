// The validated configuration both file shapes become (./pair.ts, ./fleet.ts): what the stacks,
// policies and scripts read. Alice is the source account, Bob the destination account.
import type { STORAGE_CLASSES } from "./fields";

export type Credentials =
  | { profile: string }
  | { assumeRoleArn: string; externalId?: string; sessionName?: string };

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
  kmsKeyAlias: string;
  replicationRoleName: string;
  rules: RuleConfig[];
}

export interface DestinationBucketConfig {
  bucketName: string;
  kmsKeyAlias: string;
}

export interface LocalBackendConfig {
  type: "local";
  stateDir: string;
}

export interface S3BackendConfig {
  type: "s3";
  bucket: string;
  region: string;
  keyPrefix: string;
  dynamodbTable?: string;
  roleArn?: string;
}

export interface CloudBackendConfig {
  type: "cloud";
  organization: string;
  hostname: string;
  project?: string;
  workspacePrefix: string;
  workspaces: { source?: string; dest?: string };
}

export type BackendConfig = LocalBackendConfig | S3BackendConfig | CloudBackendConfig;

export interface MonitoringConfig {
  /** Off by default. On: an encrypted SNS topic in Alice's account, failure notifications and an alarm per rule. */
  enabled: boolean;
  topicName: string;
  /** Alias of the topic's own key, without "alias/". */
  kmsKeyAlias: string;
  subscriptions: ({ protocol: "email"; endpoint: string } | { protocol: "https"; endpoint: string })[];
}

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
