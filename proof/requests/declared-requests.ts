// Every request `npm run verify` simulates by name, as data: what S3 replication, S3 Batch
// Replication and the alerts need is allowed; a few readable must-deny spot checks (the access
// analysis, proof/access/, proves the rest: anything allowed outside intended-access.ts fails).
// One builder (./build.ts) resolves each line against the model. To add a request, add a line.
import type { Expectation } from "./request";

/** Who asks (./build.ts gives each its principal, its identity policies and its context). */
export type Caller =
  | "s3-service" // s3.amazonaws.com, for the source bucket of Alice's account
  | "cloudwatch-service" // cloudwatch.amazonaws.com, for an alarm of Alice's account
  | "batch-operations-service" // batchoperations.s3.amazonaws.com, for a job of Alice's account
  | "batch-operations-service-of-another-account"
  | "replication-role" // the replication role's session
  | "backfill-role" // the backfill role's session
  | "alice-deployer" // Alice's deployer (an administrator of her account)
  | "another-principal-of-alice" // another principal of Alice's account (an administrator)
  | "administrator-of-another-account"
  | "anonymous";

/** What the request is on. */
export type Target =
  | "replication-role" // the role (its trust policy decides)
  | "backfill-role"
  | "source-bucket"
  | "source-object"
  | "report-object" // an object under the backfill report prefix
  | "other-bucket-object" // an object of another bucket of Alice's, with no policy
  | "source-key"
  | "destination-bucket" // the bucket of Bob's of the current destination (or, for isolation, one no rule names)
  | "destination-object"
  | "replica-key"
  | "alerts-topic"
  | "alerts-key";

/** How the request's context differs from what the caller normally sends. */
export interface ContextSpec {
  /** aws:SecureTransport false. */
  noTls?: true;
  /** kms:ViaService: S3 in the key's region (the default for KMS requests), or another service. */
  viaService?: "lambda" | "ec2";
  /**
   * kms:EncryptionContext:aws:s3:arn: as the bucket's default encryption writes (the default), an
   * object's ARN (no Bucket Key), an object of a bucket whose name begins with the real one's, or
   * the backfill report.
   */
  encryptionContext?: "object" | "lookalike-bucket" | "report";
  /** aws:SourceArn / aws:SourceAccount a service sends: its own (the default) or another's. */
  source?: "lookalike-bucket" | "another-account-bucket" | "another-account-alarm";
}

/**
 * When a line applies: once per replication role, once per bucket of Bob's its rules name
 * ("destination"), once per bucket of Bob's they do not ("isolation"), with backfill on, once per
 * source bucket for the alerts topic, or once for the topic.
 */
export type Scope = "replication" | "destination" | "isolation" | "backfill" | "alerts-per-source" | "alerts";

export interface DeclaredRequest {
  id: string;
  /** "{source}" stands for the source bucket's name. */
  title: string;
  expected: Expectation;
  caller: Caller;
  actions: string[];
  on: Target;
  context?: ContextSpec;
  scope: Scope;
  /** Only for a destination with owner override, or a replication role whose source bucket has Object Lock. */
  onlyWith?: "owner-override" | "source-object-lock";
}

const replicaWrites = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"];

/** In the order the report lists them, section by section. */
export const DECLARED_REQUESTS: DeclaredRequest[] = [
  // --- one replication role: its source side ---
  { id: "s3-assumes-replication-role", title: "S3 assumes the replication role for Alice's bucket", expected: "ALLOWED", caller: "s3-service", actions: ["sts:AssumeRole"], on: "replication-role", scope: "replication" },
  { id: "role-reads-source-bucket", title: "the role reads the source bucket", expected: "ALLOWED", caller: "replication-role", actions: ["s3:GetReplicationConfiguration", "s3:ListBucket"], on: "source-bucket", scope: "replication" },
  {
    id: "role-reads-source-versions",
    title: "the role reads source object versions",
    expected: "ALLOWED",
    caller: "replication-role",
    actions: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
    on: "source-object",
    scope: "replication",
  },
  {
    id: "role-reads-source-locks",
    title: "the role reads each source version's retention and legal hold (a locked source)",
    expected: "ALLOWED",
    caller: "replication-role",
    actions: ["s3:GetObjectRetention", "s3:GetObjectLegalHold"],
    on: "source-object",
    scope: "replication",
    onlyWith: "source-object-lock",
  },
  { id: "role-decrypts-source", title: "the role decrypts source objects with Alice's key, through S3", expected: "ALLOWED", caller: "replication-role", actions: ["kms:Decrypt"], on: "source-key", scope: "replication" },
  {
    id: "role-decrypts-source-without-bucket-key",
    title: "the role decrypts source objects written without a Bucket Key (object-ARN context)",
    expected: "ALLOWED",
    caller: "replication-role",
    actions: ["kms:Decrypt"],
    on: "source-key",
    context: { encryptionContext: "object" },
    scope: "replication",
  },
  // --- each bucket of Bob's the role's rules name ---
  { id: "role-writes-replicas", title: "the role writes replicas into Bob's bucket", expected: "ALLOWED", caller: "replication-role", actions: replicaWrites, on: "destination-object", scope: "destination" },
  {
    id: "role-hands-replicas-to-bob",
    title: "the role writes replicas into Bob's bucket",
    expected: "ALLOWED",
    caller: "replication-role",
    actions: ["s3:ObjectOwnerOverrideToBucketOwner"],
    on: "destination-object",
    scope: "destination",
    onlyWith: "owner-override",
  },
  { id: "role-encrypts-replicas", title: "the role encrypts replicas with Bob's replica key, through S3", expected: "ALLOWED", caller: "replication-role", actions: ["kms:Encrypt", "kms:GenerateDataKey"], on: "replica-key", scope: "destination" },
  {
    id: "role-encrypts-replicas-without-bucket-key",
    title: "the role encrypts replicas under an object-ARN context (no Bucket Key)",
    expected: "ALLOWED",
    caller: "replication-role",
    actions: ["kms:Encrypt", "kms:GenerateDataKey"],
    on: "replica-key",
    context: { encryptionContext: "object" },
    scope: "destination",
  },
  // S3 replicates large objects with multipart uploads, which decrypt with the destination key.
  { id: "role-decrypts-multipart-replicas", title: "the role decrypts with Bob's replica key through S3, for multipart replicas", expected: "ALLOWED", caller: "replication-role", actions: ["kms:Decrypt"], on: "replica-key", scope: "destination" },
  {
    id: "deployer-reads-destination-versioning",
    title: "Alice's deployer reads Bob's bucket versioning (PutBucketReplication checks it)",
    expected: "ALLOWED",
    caller: "alice-deployer",
    actions: ["s3:GetBucketVersioning"],
    on: "destination-bucket",
    scope: "destination",
  },
  { id: "other-principal-writes-replicas", title: "another principal of Alice's account writes replicas", expected: "DENIED", caller: "another-principal-of-alice", actions: ["s3:ReplicateObject"], on: "destination-object", scope: "destination" },
  { id: "other-principal-uses-replica-key", title: "another principal of Alice's account uses Bob's replica key", expected: "DENIED", caller: "another-principal-of-alice", actions: ["kms:Encrypt", "kms:GenerateDataKey"], on: "replica-key", scope: "destination" },
  {
    id: "role-reads-or-deletes-bobs-objects",
    title: "the role reads or deletes Bob's objects",
    expected: "DENIED",
    caller: "replication-role",
    actions: ["s3:GetObject", "s3:GetObjectVersion", "s3:DeleteObject", "s3:DeleteObjectVersion"],
    on: "destination-object",
    scope: "destination",
  },
  {
    id: "role-uses-replica-key-outside-s3",
    title: "the role uses Bob's replica key outside S3",
    expected: "DENIED",
    caller: "replication-role",
    actions: ["kms:Encrypt", "kms:Decrypt"],
    on: "replica-key",
    context: { viaService: "lambda" },
    scope: "destination",
  },
  {
    id: "role-decrypts-replica-key-for-another-bucket",
    title: "the role decrypts with Bob's replica key for another bucket's objects",
    expected: "DENIED",
    caller: "replication-role",
    actions: ["kms:Decrypt"],
    on: "replica-key",
    context: { encryptionContext: "lookalike-bucket" },
    scope: "destination",
  },
  { id: "replica-write-without-tls", title: "a request without TLS (replica write)", expected: "DENIED", caller: "replication-role", actions: ["s3:ReplicateObject"], on: "destination-object", context: { noTls: true }, scope: "destination" },
  { id: "anonymous-reads-destination", title: "an anonymous principal reads objects", expected: "DENIED", caller: "anonymous", actions: ["s3:GetObject"], on: "destination-object", scope: "destination" },
  { id: "alice-suspends-destination-versioning", title: "Alice suspends versioning on Bob's bucket", expected: "DENIED", caller: "alice-deployer", actions: ["s3:PutBucketVersioning"], on: "destination-bucket", scope: "destination" },
  // --- the source side: must be denied ---
  { id: "role-uses-source-key-outside-s3", title: "the role uses Alice's key outside S3", expected: "DENIED", caller: "replication-role", actions: ["kms:Decrypt"], on: "source-key", context: { viaService: "ec2" }, scope: "replication" },
  {
    id: "role-decrypts-source-key-for-another-bucket",
    title: "the role decrypts with Alice's key for another bucket's objects",
    expected: "DENIED",
    caller: "replication-role",
    actions: ["kms:Decrypt"],
    on: "source-key",
    context: { encryptionContext: "lookalike-bucket" },
    scope: "replication",
  },
  { id: "source-read-without-tls", title: "a request without TLS (source read)", expected: "DENIED", caller: "replication-role", actions: ["s3:GetObjectVersionForReplication"], on: "source-object", context: { noTls: true }, scope: "replication" },
  { id: "anonymous-reads-source", title: "an anonymous principal reads objects", expected: "DENIED", caller: "anonymous", actions: ["s3:GetObject"], on: "source-object", scope: "replication" },
  // --- isolation: every other bucket of Bob's, and its key ---
  { id: "role-writes-into-unnamed-bucket", title: "the role writes into a bucket of Bob's that none of its rules names", expected: "DENIED", caller: "replication-role", actions: ["s3:ReplicateObject"], on: "destination-object", scope: "isolation" },
  { id: "role-encrypts-with-unnamed-key", title: "the role encrypts with the key of a bucket of Bob's that none of its rules names", expected: "DENIED", caller: "replication-role", actions: ["kms:Encrypt"], on: "replica-key", scope: "isolation" },
  // --- a backfill (S3 Batch Replication) job on the source bucket ---
  { id: "batch-assumes-backfill-role", title: "S3 Batch Operations assumes the backfill role for a job of Alice's account", expected: "ALLOWED", caller: "batch-operations-service", actions: ["sts:AssumeRole"], on: "backfill-role", scope: "backfill" },
  { id: "backfill-initiates-replication", title: "the backfill role starts replication of the bucket's objects", expected: "ALLOWED", caller: "backfill-role", actions: ["s3:InitiateReplication"], on: "source-object", scope: "backfill" },
  { id: "backfill-reads-replication-configuration", title: "the backfill role reads the bucket's replication configuration", expected: "ALLOWED", caller: "backfill-role", actions: ["s3:GetReplicationConfiguration"], on: "source-bucket", scope: "backfill" },
  { id: "backfill-generates-manifest", title: "the backfill role generates the job's manifest (an inventory configuration)", expected: "ALLOWED", caller: "backfill-role", actions: ["s3:PutInventoryConfiguration"], on: "source-bucket", scope: "backfill" },
  { id: "backfill-writes-report", title: "the backfill role writes its completion report under the report prefix", expected: "ALLOWED", caller: "backfill-role", actions: ["s3:PutObject"], on: "report-object", scope: "backfill" },
  { id: "backfill-encrypts-report", title: "the backfill role encrypts its report with the bucket's key, through S3", expected: "ALLOWED", caller: "backfill-role", actions: ["kms:GenerateDataKey"], on: "source-key", context: { encryptionContext: "report" }, scope: "backfill" },
  {
    id: "batch-of-another-account-assumes-backfill-role",
    title: "S3 Batch Operations assumes the backfill role for a job of another account",
    expected: "DENIED",
    caller: "batch-operations-service-of-another-account",
    actions: ["sts:AssumeRole"],
    on: "backfill-role",
    scope: "backfill",
  },
  { id: "backfill-reads-objects", title: "the backfill role reads objects", expected: "DENIED", caller: "backfill-role", actions: ["s3:GetObject"], on: "source-object", scope: "backfill" },
  { id: "backfill-deletes-objects", title: "the backfill role deletes objects", expected: "DENIED", caller: "backfill-role", actions: ["s3:DeleteObjectVersion"], on: "source-object", scope: "backfill" },
  { id: "backfill-writes-outside-reports", title: "the backfill role writes outside the report prefix", expected: "DENIED", caller: "backfill-role", actions: ["s3:PutObject"], on: "source-object", scope: "backfill" },
  { id: "backfill-changes-bucket-policy", title: "the backfill role changes the bucket policy", expected: "DENIED", caller: "backfill-role", actions: ["s3:PutBucketPolicy"], on: "source-bucket", scope: "backfill" },
  { id: "backfill-changes-replication", title: "the backfill role changes the replication configuration", expected: "DENIED", caller: "backfill-role", actions: ["s3:PutReplicationConfiguration"], on: "source-bucket", scope: "backfill" },
  { id: "backfill-replicates-another-bucket", title: "the backfill role replicates another bucket's objects", expected: "DENIED", caller: "backfill-role", actions: ["s3:InitiateReplication"], on: "other-bucket-object", scope: "backfill" },
  { id: "backfill-decrypts-objects", title: "the backfill role decrypts the bucket's objects", expected: "DENIED", caller: "backfill-role", actions: ["kms:Decrypt"], on: "source-key", context: { encryptionContext: "object" }, scope: "backfill" },
  { id: "backfill-encrypts-beyond-report", title: "the backfill role encrypts anything but its report", expected: "DENIED", caller: "backfill-role", actions: ["kms:GenerateDataKey"], on: "source-key", context: { encryptionContext: "object" }, scope: "backfill" },
  // --- the alerts topic and its key ---
  { id: "s3-publishes-failures", title: "S3 publishes replication failures of {source}", expected: "ALLOWED", caller: "s3-service", actions: ["sns:Publish"], on: "alerts-topic", scope: "alerts-per-source" },
  { id: "s3-encrypts-failures", title: "S3 publishes replication failures of {source}, encrypted with the alerts key", expected: "ALLOWED", caller: "s3-service", actions: ["kms:GenerateDataKey", "kms:Decrypt"], on: "alerts-key", scope: "alerts-per-source" },
  { id: "cloudwatch-publishes-alarms", title: "CloudWatch publishes an alarm of Alice's account", expected: "ALLOWED", caller: "cloudwatch-service", actions: ["sns:Publish"], on: "alerts-topic", scope: "alerts" },
  { id: "cloudwatch-encrypts-alarms", title: "CloudWatch publishes an alarm of Alice's account, encrypted with the alerts key", expected: "ALLOWED", caller: "cloudwatch-service", actions: ["kms:GenerateDataKey", "kms:Decrypt"], on: "alerts-key", scope: "alerts" },
  { id: "s3-publishes-another-bucket", title: "S3 publishes events of another bucket", expected: "DENIED", caller: "s3-service", actions: ["sns:Publish"], on: "alerts-topic", context: { source: "lookalike-bucket" }, scope: "alerts" },
  { id: "s3-publishes-for-another-account", title: "S3 publishes on behalf of another account", expected: "DENIED", caller: "s3-service", actions: ["sns:Publish"], on: "alerts-topic", context: { source: "another-account-bucket" }, scope: "alerts" },
  { id: "cloudwatch-publishes-another-account", title: "CloudWatch publishes an alarm of another account", expected: "DENIED", caller: "cloudwatch-service", actions: ["sns:Publish"], on: "alerts-topic", context: { source: "another-account-alarm" }, scope: "alerts" },
  { id: "another-account-uses-alerts-key", title: "another account's service uses the alerts key", expected: "DENIED", caller: "s3-service", actions: ["kms:GenerateDataKey"], on: "alerts-key", context: { source: "another-account-bucket" }, scope: "alerts" },
  {
    id: "another-account-publishes-or-subscribes",
    title: "an administrator of another account publishes or subscribes",
    expected: "DENIED",
    caller: "administrator-of-another-account",
    actions: ["sns:Publish", "sns:Subscribe"],
    on: "alerts-topic",
    scope: "alerts",
  },
];
