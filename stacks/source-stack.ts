// Alice's account: the source key and bucket, the replication role and the replication
// configuration. It reads nothing from the dest stack, so it can be applied first.
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { Fn, TerraformOutput, TerraformStack, TerraformVariable, Token } from "cdktf";
import type { Construct } from "constructs";
import { configureBackend } from "../lib/backend";
import type { ReplicationConfig } from "../lib/config";
import { CustomerManagedKey } from "../lib/customer-managed-key";
import { EncryptedBucket } from "../lib/encrypted-bucket";
import { policyAttribute } from "../lib/hcl-output";
import { replicationRolePolicy, replicationTrustPolicy, sourceBucketPolicy, sourceKeyPolicy } from "../lib/policies";
import { awsProvider } from "../lib/providers";
import { replicationRule } from "../lib/replication-rule";

export interface SourceStackProps {
  readonly config: ReplicationConfig;
}

/** Name of the variable that holds back the replication configuration on the first bring-up. */
export const DESTINATION_READY_VARIABLE = "destination_ready";

export class SourceStack extends TerraformStack {
  constructor(scope: Construct, id: "source", props: SourceStackProps) {
    super(scope, id);
    const { config } = props;
    const { source, destination, replication } = config;
    configureBackend(this, id, config.backend);
    const provider = awsProvider(this, "alice", source, config);

    const destinationReady = new TerraformVariable(this, DESTINATION_READY_VARIABLE, {
      type: "bool",
      default: true,
      nullable: false,
      description:
        "false only on the very first apply, before the dest stack exists: holds back the replication configuration, which needs Bob's versioned bucket",
    });

    const sourceKey = new CustomerManagedKey(this, "source_key", {
      provider,
      alias: source.kmsKeyAlias,
      description: `Encrypts objects of s3://${source.bucketName}`,
      policy: sourceKeyPolicy(config),
    });
    const sourceBucket = new EncryptedBucket(this, "source_bucket", {
      provider,
      bucketName: source.bucketName,
      kmsKeyArn: sourceKey.key.arn,
      policy: sourceBucketPolicy(config),
    });

    const role = new IamRole(this, "replication_role", {
      provider,
      name: source.replicationRoleName,
      description: `S3 replicates s3://${source.bucketName} to s3://${destination.bucketName} in account ${destination.accountId}`,
      assumeRolePolicy: policyAttribute(this, replicationTrustPolicy(config)),
    });
    const rolePolicy = new IamRolePolicy(this, "replication_role_policy", {
      provider,
      name: "s3-cross-account-replication",
      role: role.id,
      policy: policyAttribute(this, replicationRolePolicy(config, { sourceKeyArn: sourceKey.key.arn })),
    });

    new S3BucketReplicationConfigurationA(this, "replication", {
      provider,
      count: Token.asNumber(Fn.conditional(destinationReady.booleanValue, 1, 0)),
      bucket: sourceBucket.bucket.id,
      role: role.arn,
      rule: [
        replicationRule({
          id: replication.ruleId,
          destination,
          ownerOverride: replication.ownerOverride,
          replicateDeleteMarkers: replication.replicateDeleteMarkers,
          metrics: replication.metrics,
          replicationTimeControl: replication.replicationTimeControl,
        }),
      ],
      // The role must be able to act before S3 validates the configuration; versioning must be on.
      dependsOn: [sourceBucket.versioning, rolePolicy],
    });

    new TerraformOutput(this, "replication_role_arn", {
      value: role.arn,
      description: "ARN of the role S3 assumes to replicate; the dest stack grants it access",
    });
    new TerraformOutput(this, "source_bucket_arn", { value: sourceBucket.bucket.arn, description: "ARN of Alice's source bucket" });
    new TerraformOutput(this, "source_bucket_name", { value: sourceBucket.bucket.bucket, description: "Name of Alice's source bucket" });
    new TerraformOutput(this, "source_kms_key_arn", { value: sourceKey.key.arn, description: "ARN of the key that encrypts the source bucket" });
    new TerraformOutput(this, "replication_enabled", {
      value: destinationReady.booleanValue,
      description: "Whether the replication configuration is applied (false only during the first bring-up)",
    });
  }
}
