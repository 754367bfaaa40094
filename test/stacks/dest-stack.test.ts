import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { configWith, fleetConfig, policyIn, statement, synthPair } from "../support/fixtures";

const ALICE = "111111111111";
const BOB = "222222222222";
const DEST_BUCKET = "bob-replication-destination-222222222222";
const ROLE_FROM_SOURCE_STATE = "${data.terraform_remote_state.source_state.outputs.replication_role_arn}";

describe("dest stack (Bob), default config", () => {
  const { dest, destText } = synthPair();
  const keyPolicy = policyIn(dest, "aws_kms_key", "replica_key");
  const bucketPolicy = policyIn(dest, "aws_s3_bucket_policy", "destination_bucket");

  test("creates each bucket setting as its own resource, not the deprecated inline blocks", () => {
    expect(destText).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: "Enabled" } });
    expect(destText).toHaveResource(S3BucketServerSideEncryptionConfigurationA);
    const bucket = dest.resource.aws_s3_bucket.destination_bucket;
    for (const inline of ["versioning", "server_side_encryption_configuration", "replication_configuration", "acl", "policy"]) {
      expect(bucket[inline]).toBeUndefined();
    }
  });

  test("has one AWS provider, aliased bob, pinned to Bob's account", () => {
    expect(dest.provider.aws).toEqual([
      {
        alias: "bob",
        region: "us-west-2",
        allowed_account_ids: [BOB],
        profile: "bob",
        default_tags: [{ tags: { Project: "s3-cross-account-replication", ManagedBy: "cdktf" } }],
      },
    ]);
    for (const resources of Object.values(dest.resource)) {
      for (const r of Object.values(resources)) expect(r.provider).toBe("aws.bob");
    }
  });

  test("reads the role ARN from the source stack's local state, by a relative path", () => {
    expect(dest.terraform.backend).toEqual({ local: { path: "../../../terraform.dest.tfstate" } });
    expect(dest.data?.terraform_remote_state).toEqual({
      source_state: { backend: "local", config: { path: "../../../terraform.source.tfstate" } },
    });
  });

  test("the replica key lets Bob administer it and Alice's role encrypt replicas through S3 only", () => {
    const key = dest.resource.aws_kms_key.replica_key;
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, key_usage: "ENCRYPT_DECRYPT" });
    expect(keyPolicy.Statement).toEqual([
      {
        Sid: "EnableIamPoliciesOfTheOwningAccount",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${BOB}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "AliceReplicationRoleEncryptsReplicas",
        Effect: "Allow",
        Principal: { AWS: ROLE_FROM_SOURCE_STATE },
        Action: ["kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: "*",
        Condition: {
          StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" },
          StringLike: { "kms:EncryptionContext:aws:s3:arn": [`arn:aws:s3:::${DEST_BUCKET}`, `arn:aws:s3:::${DEST_BUCKET}/*`] },
        },
      },
      {
        Sid: "AliceReplicationRoleDescribesReplicaKey",
        Effect: "Allow",
        Principal: { AWS: ROLE_FROM_SOURCE_STATE },
        Action: "kms:DescribeKey",
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" } },
      },
    ]);
    expect(dest.resource.aws_kms_alias.replica_key_alias.name).toBe("alias/bob-replication-replica");
  });

  test("the destination bucket: versioned, SSE-KMS with the replica key and Bucket Keys, private", () => {
    const r = dest.resource;
    expect(r.aws_s3_bucket.destination_bucket.bucket).toBe(DEST_BUCKET);
    expect(r.aws_s3_bucket.destination_bucket.force_destroy).toBeUndefined();
    expect(r.aws_s3_bucket_versioning.destination_bucket.versioning_configuration).toEqual({ status: "Enabled" });
    expect(r.aws_s3_bucket_server_side_encryption_configuration.destination_bucket.rule).toEqual([
      {
        apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.replica_key.arn}" },
        bucket_key_enabled: true,
      },
    ]);
    expect(r.aws_s3_bucket_public_access_block.destination_bucket).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(r.aws_s3_bucket_ownership_controls.destination_bucket.rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
  });

  test("the bucket policy: TLS only, replicas from Alice's role, versioning readable (not writable) by Alice", () => {
    expect(statement(bucketPolicy, "DenyInsecureTransport")).toEqual({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [`arn:aws:s3:::${DEST_BUCKET}`, `arn:aws:s3:::${DEST_BUCKET}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(statement(bucketPolicy, "AliceReplicationRoleWritesReplicas")).toEqual({
      Sid: "AliceReplicationRoleWritesReplicas",
      Effect: "Allow",
      Principal: { AWS: ROLE_FROM_SOURCE_STATE },
      Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
      Resource: `arn:aws:s3:::${DEST_BUCKET}/*`,
    });
    expect(statement(bucketPolicy, "AliceChecksDestinationVersioning")).toEqual({
      Sid: "AliceChecksDestinationVersioning",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ALICE}:root` },
      Action: "s3:GetBucketVersioning",
      Resource: `arn:aws:s3:::${DEST_BUCKET}`,
    });
    expect(bucketPolicy.Statement).toHaveLength(3);
    expect(JSON.stringify(bucketPolicy)).not.toContain("PutBucketVersioning");
  });

  test("outputs the replica key and bucket", () => {
    expect(Object.fromEntries(Object.entries(dest.output).map(([k, o]) => [k, o.value]))).toEqual({
      destination_bucket_arn: "${aws_s3_bucket.destination_bucket.arn}",
      destination_bucket_name: "${aws_s3_bucket.destination_bucket.bucket}",
      replica_kms_key_arn: "${aws_kms_key.replica_key.arn}",
      replica_kms_key_alias_arn: "${aws_kms_alias.replica_key_alias.arn}",
    });
  });
});

describe("dest stack, configured variations", () => {
  test("without owner override, the bucket policy grants no override", () => {
    const { dest } = synthPair(configWith((r) => (r.replication.ownerOverride = false)));
    const write = statement(policyIn(dest, "aws_s3_bucket_policy", "destination_bucket"), "AliceReplicationRoleWritesReplicas");
    expect(write.Action).toEqual(["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]);
  });
});

describe("dest stack of examples/fleet.json", () => {
  const { dest } = synthPair(fleetConfig());
  const role = (bucketId: string) => `\${data.terraform_remote_state.source_state.outputs.replication_role_arn_${bucketId}}`;

  test("each of Bob's buckets and keys admits exactly the roles whose rules write there", () => {
    const writers = (bucket: string) => ({
      bucket: statement(policyIn(dest, "aws_s3_bucket_policy", bucket), "AliceReplicationRoleWritesReplicas").Principal,
      key: statement(policyIn(dest, "aws_kms_key", `${bucket}_key`), "AliceReplicationRoleEncryptsReplicas").Principal,
    });
    const archive = { AWS: [role("alice_app_logs_111111111111"), role("alice_web_logs_111111111111")] };
    const backup = { AWS: [role("alice_app_logs_111111111111"), role("alice_documents_111111111111")] };
    expect(writers("bob_log_archive_222222222222")).toEqual({ bucket: archive, key: archive });
    expect(writers("bob_backup_222222222222")).toEqual({ bucket: backup, key: backup });
  });

  test("one key per bucket, its grants bound to that bucket", () => {
    const key = policyIn(dest, "aws_kms_key", "bob_backup_222222222222_key");
    expect(statement(key, "AliceReplicationRoleEncryptsReplicas").Condition?.StringLike).toEqual({
      "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::bob-backup-222222222222", "arn:aws:s3:::bob-backup-222222222222/*"],
    });
    expect(dest.resource.aws_kms_alias.bob_backup_222222222222_key_alias.name).toBe("alias/bob-backup");
    expect(dest.resource.aws_s3_bucket_server_side_encryption_configuration.bob_backup_222222222222.rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe(
      "${aws_kms_key.bob_backup_222222222222_key.arn}",
    );
  });
});
