// What AWS itself fixes: service principals, the only values S3 and KMS accept, event and metric
// names. Both halves read them from here (the stacks to write them, the proof to check them), and
// this module loads nothing else, so the proof never loads a cdktf construct.

/** The service principals of the services that act in a replication deployment. */
export const S3_SERVICE = "s3.amazonaws.com";
export const BATCH_OPERATIONS_SERVICE = "batchoperations.s3.amazonaws.com";
export const CLOUDWATCH_SERVICE = "cloudwatch.amazonaws.com";

/** KMS waits this long before deleting a key scheduled for deletion: the longest it allows. */
export const KEY_DELETION_WINDOW_DAYS = 30;

/** The only threshold S3 accepts for Replication Time Control and its metrics event. */
export const REPLICATION_TIME_MINUTES = 15;

/** The S3 events of a failed (or, with RTC, late) replication; they go to SNS, not EventBridge. */
export const FAILED_REPLICATION_EVENT = "s3:Replication:OperationFailedReplication";
export const MISSED_THRESHOLD_EVENT = "s3:Replication:OperationMissedThreshold";

/** One alarm per rule: any failed replication operation in 5 minutes. */
export const FAILED_REPLICATION_ALARM = {
  namespace: "AWS/S3",
  metricName: "OperationsFailedReplication",
  statistic: "Sum",
  period: 300,
  evaluationPeriods: 1,
  threshold: 0,
  comparisonOperator: "GreaterThanThreshold",
  // No data means nothing failed (or nothing replicated): keep the alarm's state.
  treatMissingData: "ignore",
} as const;

/**
 * The regions of the standard partition (the AWS General Reference, "AWS Regions"), for "did you
 * mean" only: a region is accepted by its pattern, so a region opened later still works.
 */
export const KNOWN_REGIONS = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2",
  "af-south-1",
  "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
  "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
  "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
  "ca-central-1", "ca-west-1",
  "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1",
  "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
] as const;

/**
 * AWS's size limits on policies, in characters without whitespace: IAM User Guide, "IAM and AWS
 * STS quotas" (a role's inline policies together; a trust policy, default quota); S3 User Guide,
 * "Bucket policy examples" (20 KB); KMS Developer Guide, "Key policies" (32 KB); Amazon SNS
 * Developer Guide, "Amazon SNS quotas" (a topic policy, 30 KB).
 */
export const POLICY_SIZE_LIMITS = {
  roleInlinePolicies: 10_240,
  trustPolicy: 2_048,
  bucketPolicy: 20 * 1024,
  keyPolicy: 32 * 1024,
  topicPolicy: 30 * 1024,
  /** A customer managed policy (IAM User Guide, "IAM and AWS STS quotas"). */
  managedPolicy: 6_144,
} as const;

/** Managed policies one role may have attached, by default (20 with a quota increase). */
export const MANAGED_POLICIES_PER_ROLE = 10;

/** A policy's size as AWS measures it: its JSON text without whitespace. */
export const policyTextSize = (text: string): number => text.replace(/\s/g, "").length;

/** The length of a KMS key ID (a UUID; a multi-Region key's "mrk-" and 32 hex digits is as long). */
export const KMS_KEY_ID_LENGTH = 36;
