// The Terraform resource types a bucket is written as: the bucket and one resource per setting.
// The stacks write them (lib/encrypted-bucket.ts); the proof reads them back by the same list.

/** Each is one setting of one bucket: a second resource for the same bucket overwrites the first. */
export const BUCKET_SETTING_TYPES = [
  "aws_s3_bucket_versioning",
  "aws_s3_bucket_server_side_encryption_configuration",
  "aws_s3_bucket_public_access_block",
  "aws_s3_bucket_ownership_controls",
  "aws_s3_bucket_policy",
  // Written only for a bucket with objectLock.
  "aws_s3_bucket_object_lock_configuration",
] as const;

/** The resource types an EncryptedBucket writes, each named after the bucket's construct ID. */
export const BUCKET_RESOURCE_TYPES = ["aws_s3_bucket", ...BUCKET_SETTING_TYPES] as const;
