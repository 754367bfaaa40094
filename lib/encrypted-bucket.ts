import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { policyAttribute } from "./hcl-output";
import type { ObjectLockConfig } from "./config";
import type { PolicyDocument } from "./policies";
import { named as namedAs } from "./logical-id";
import { BUCKET_RESOURCE_TYPES } from "./resource-types";

/**
 * S3 Bucket Keys on both buckets: far fewer KMS requests. S3 then sends the bucket ARN as encryption
 * context, but objects written without a Bucket Key carry their own ARN, so the KMS grants in
 * ./policies accept both.
 */
export const BUCKET_KEY_ENABLED = true;

/** The state addresses of a bucket and its settings: what `terraform state rm` detaches (docs/existing-buckets.md, "Adopting"). */
export const bucketAddresses = (id: string, withObjectLock = false): string[] =>
  BUCKET_RESOURCE_TYPES.filter((type) => withObjectLock || type !== "aws_s3_bucket_object_lock_configuration").map((type) => `${type}.${id}`);

export interface EncryptedBucketProps {
  readonly provider: AwsProvider;
  readonly bucketName: string;
  /** ARN of the customer managed key for default encryption. */
  readonly kmsKeyArn: string;
  readonly policy: PolicyDocument;
  /**
   * The bucket exists already (an adopted bucket of Alice's): import it instead of creating it, and
   * never destroy it. `importPolicy`: it has a bucket policy, imported too (its statements are in
   * `policy`). Its other settings are written over the current ones: S3 holds one of each per
   * bucket, so creating the setting changes the bucket in place.
   */
  readonly adopt?: { importPolicy: boolean };
  /**
   * S3 Object Lock with a default retention. Turned on by the setting, not by the bucket's
   * object_lock_enabled (which replaces a bucket it changes), so an adopted bucket gets it in place.
   */
  readonly objectLock?: ObjectLockConfig;
}

/**
 * A private bucket: versioning Enabled (replication needs it on both sides), SSE-KMS with a
 * customer managed key and S3 Bucket Keys, all public access blocked, ACLs disabled
 * (BucketOwnerEnforced), a bucket policy and, if asked, Object Lock. No force_destroy: terraform
 * will not delete objects.
 */
export class EncryptedBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly versioning: S3BucketVersioningA;
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: EncryptedBucketProps) {
    super(scope, id);
    const { provider } = props;
    // Readable resource addresses (aws_s3_bucket.<id>, aws_s3_bucket_versioning.<id>, ...).
    const named = <T extends { overrideLogicalId(id: string): void }>(resource: T): T => namedAs(resource, id);
    this.bucket = named(
      new S3Bucket(this, "bucket", { provider, bucket: props.bucketName, ...(props.adopt ? { lifecycle: { preventDestroy: true } } : {}) }),
    );
    if (props.adopt) this.bucket.importFrom(props.bucketName, provider);
    const bucket = this.bucket.id;
    this.versioning = named(
      new S3BucketVersioningA(this, "versioning", { provider, bucket, versioningConfiguration: { status: "Enabled" } }),
    );
    named(
      new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
        provider,
        bucket,
        rule: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn },
            bucketKeyEnabled: BUCKET_KEY_ENABLED,
          },
        ],
      }),
    );
    const publicAccessBlock = named(
      new S3BucketPublicAccessBlock(this, "public_access_block", {
        provider,
        bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      }),
    );
    named(
      new S3BucketOwnershipControls(this, "ownership", { provider, bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }),
    );
    this.policy = named(
      new S3BucketPolicy(this, "policy", {
        provider,
        bucket,
        policy: policyAttribute(this, props.policy),
        // S3 rejects concurrent bucket-level writes ("conflicting conditional operation").
        dependsOn: [publicAccessBlock],
      }),
    );
    if (props.adopt?.importPolicy) this.policy.importFrom(props.bucketName, provider);
    if (props.objectLock) {
      const { mode, days, years } = props.objectLock;
      named(
        new S3BucketObjectLockConfigurationA(this, "object_lock", {
          provider,
          bucket,
          objectLockEnabled: "Enabled",
          rule: { defaultRetention: { mode, ...(days !== undefined ? { days } : { years }) } },
          // S3 turns Object Lock on only on a versioned bucket.
          dependsOn: [this.versioning],
        }),
      );
    }
  }
}
