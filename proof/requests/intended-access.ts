// Who may do what on which resource of a replication deployment: the design, written as data.
// The access analysis (proof/access/) enumerates everything the synthesized policies actually
// allow, for a universe of principals and request contexts, and every allowed request that no row
// here admits is a finding. A row names roles ("who"), resources ("on") and conditions ("when")
// by what they are in the deployment; proof/access/intended.ts binds them to ARNs per source bucket.

/** Who a row admits. */
export type Who =
  | "replication-role" // the replication role of the source bucket the row is bound to
  | "backfill-role" // that bucket's S3 Batch Replication role
  | "s3-service" // s3.amazonaws.com
  | "batch-operations-service" // batchoperations.s3.amazonaws.com
  | "cloudwatch-service" // cloudwatch.amazonaws.com
  | "source-account"; // any principal of Alice's account (the bucket policy names her account root)

/** What a row admits it on. */
export type On =
  | "source-bucket"
  | "source-objects"
  | "report-objects" // objects under the backfill report prefix of the source bucket
  | "source-key"
  | "destination-bucket" // each bucket of Bob's the source bucket's rules write into
  | "destination-objects"
  | "replica-key" // the key of each such bucket of Bob's
  | "replication-role" // the role itself (its trust policy)
  | "backfill-role"
  | "alerts-topic"
  | "alerts-key";

/** The conditions under which a row admits a request; each must hold in the request's context. */
export interface When {
  /** aws:SecureTransport true: the bucket policies' promise (checked where a bucket policy decides). */
  tls?: true;
  /** kms:ViaService is S3 in the key's region. */
  viaS3?: true;
  /** kms:EncryptionContext:aws:s3:arn names the bucket of `on`'s side (the bucket, or an object in it). */
  encryptionContext?: "source" | "destination" | "report";
  /** aws:SourceArn names the source bucket (or, for CloudWatch, an alarm of Alice's account). */
  sourceArn?: "source-bucket" | "source-alarm";
  /** aws:SourceAccount is Alice's account. */
  sourceAccount?: true;
}

export interface IntendedAccess {
  id: string;
  who: Who;
  /** Actions, with IAM's wildcards. */
  actions: string[];
  on: On;
  when?: When;
  /** Only where the deployment has this part. */
  onlyWith?: "owner-override" | "backfill" | "monitoring" | "source-object-lock";
  why: string;
}

export const INTENDED_ACCESS: IntendedAccess[] = [
  // --- replication ---
  {
    id: "s3-assumes-replication-role",
    who: "s3-service",
    actions: ["sts:AssumeRole"],
    on: "replication-role",
    when: { sourceArn: "source-bucket", sourceAccount: true },
    why: "S3 replicates as the role, only on behalf of its source bucket (confused-deputy protection)",
  },
  {
    id: "replication-role-reads-source-bucket",
    who: "replication-role",
    actions: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
    on: "source-bucket",
    when: { tls: true },
    why: "S3 reads the replication configuration and lists versions",
  },
  {
    id: "replication-role-reads-source-versions",
    who: "replication-role",
    actions: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging", "s3:GetObjectVersion"],
    on: "source-objects",
    when: { tls: true },
    why: "S3 reads each version it replicates, with its ACL and tags",
  },
  {
    id: "replication-role-reads-source-locks",
    who: "replication-role",
    actions: ["s3:GetObjectRetention", "s3:GetObjectLegalHold"],
    on: "source-objects",
    when: { tls: true },
    onlyWith: "source-object-lock",
    why: "a locked source: S3 replicates each version's retention and legal hold, and fails versions it cannot read them of",
  },
  {
    id: "replication-role-decrypts-source-objects",
    who: "replication-role",
    actions: ["kms:Decrypt"],
    on: "source-key",
    when: { viaS3: true, encryptionContext: "source" },
    why: "source objects are SSE-KMS encrypted; only through S3, only for the source bucket",
  },
  {
    id: "replication-role-writes-replicas",
    who: "replication-role",
    actions: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
    on: "destination-objects",
    when: { tls: true },
    why: "S3 writes replicas, delete markers and tags into the buckets the rules name",
  },
  {
    id: "replication-role-hands-replicas-to-bob",
    who: "replication-role",
    actions: ["s3:ObjectOwnerOverrideToBucketOwner"],
    on: "destination-objects",
    when: { tls: true },
    onlyWith: "owner-override",
    why: "owner override: Bob owns the replicas",
  },
  {
    id: "replication-role-uses-replica-key",
    who: "replication-role",
    // ReEncrypt* and GenerateDataKey* follow AWS's "allow use of the key" statement in Bob's key policy.
    actions: ["kms:Encrypt", "kms:GenerateDataKey*", "kms:Decrypt", "kms:ReEncrypt*"],
    on: "replica-key",
    when: { viaS3: true, encryptionContext: "destination" },
    why: "replicas are encrypted with Bob's key (Decrypt: multipart replicas); only through S3, only for that bucket",
  },
  {
    id: "replication-role-describes-replica-key",
    who: "replication-role",
    actions: ["kms:DescribeKey"],
    on: "replica-key",
    when: { viaS3: true },
    why: "S3 describes the replica key; DescribeKey carries no encryption context",
  },
  {
    id: "source-account-reads-destination-versioning",
    who: "source-account",
    actions: ["s3:GetBucketVersioning"],
    on: "destination-bucket",
    when: { tls: true },
    why: "PutBucketReplication, called by Alice's deployer, checks that Bob's bucket is versioned",
  },
  // --- backfill (S3 Batch Replication) ---
  {
    id: "batch-operations-assumes-backfill-role",
    who: "batch-operations-service",
    actions: ["sts:AssumeRole"],
    on: "backfill-role",
    when: { sourceAccount: true },
    onlyWith: "backfill",
    why: "S3 Batch Operations runs the job as the role, only for jobs of Alice's account",
  },
  {
    id: "backfill-role-initiates-replication",
    who: "backfill-role",
    actions: ["s3:InitiateReplication"],
    on: "source-objects",
    when: { tls: true },
    onlyWith: "backfill",
    why: "the job replicates the bucket's existing objects",
  },
  {
    id: "backfill-role-generates-manifest",
    who: "backfill-role",
    actions: ["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration"],
    on: "source-bucket",
    when: { tls: true },
    onlyWith: "backfill",
    why: "an S3-generated manifest needs the replication configuration and an inventory configuration",
  },
  {
    id: "backfill-role-writes-report",
    who: "backfill-role",
    actions: ["s3:PutObject"],
    on: "report-objects",
    when: { tls: true },
    onlyWith: "backfill",
    why: "the completion report, under the report prefix only",
  },
  {
    id: "backfill-role-encrypts-report",
    who: "backfill-role",
    actions: ["kms:GenerateDataKey"],
    on: "source-key",
    when: { viaS3: true, encryptionContext: "report" },
    onlyWith: "backfill",
    why: "the report is written SSE-KMS with the bucket's key",
  },
  // --- monitoring ---
  {
    id: "s3-publishes-replication-events",
    who: "s3-service",
    actions: ["sns:Publish"],
    on: "alerts-topic",
    when: { sourceArn: "source-bucket", sourceAccount: true },
    onlyWith: "monitoring",
    why: "replication failure events of the source bucket",
  },
  {
    id: "cloudwatch-publishes-alarms",
    who: "cloudwatch-service",
    actions: ["sns:Publish"],
    on: "alerts-topic",
    when: { sourceArn: "source-alarm", sourceAccount: true },
    onlyWith: "monitoring",
    why: "the failure alarms of Alice's account",
  },
  {
    id: "services-encrypt-alerts",
    who: "s3-service",
    actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
    on: "alerts-key",
    when: { sourceAccount: true },
    onlyWith: "monitoring",
    why: "S3 publishes to the encrypted topic on behalf of Alice's account",
  },
  {
    id: "cloudwatch-encrypts-alerts",
    who: "cloudwatch-service",
    actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
    on: "alerts-key",
    when: { sourceAccount: true },
    onlyWith: "monitoring",
    why: "CloudWatch publishes alarms to the encrypted topic on behalf of Alice's account",
  },
];

/**
 * What the table leaves to each account: a principal of the account that owns a bucket, key or
 * topic may do anything its own IAM policies allow there (the policies delegate to the account
 * root). Roles are the exception: a trust policy is the only gate, so nobody of the account may
 * assume a replication or backfill role.
 */
export const OWNERS_THROUGH_IAM = "the owning account's own principals, through their IAM policies (not on roles)";
