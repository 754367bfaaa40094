// Alice's account: per source bucket, its key, the bucket, its replication role and its
// replication configuration. It reads nothing from the dest stack, so it can be applied first.
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { Fn, Op, TerraformOutput, TerraformVariable, Token } from "cdktf";
import type { Construct } from "constructs";
import type { IResolvable } from "cdktf";
import { configureBackend } from "../lib/backend";
import type { ReplicationConfig, SourceBucketConfig } from "../lib/config";
import { CustomerManagedKey } from "../lib/customer-managed-key";
import { EncryptedBucket } from "../lib/encrypted-bucket";
import { policyAttribute } from "../lib/hcl-output";
import { grantToRole } from "../lib/role-grants";
import { BACKFILL_TAGS, DESTINATION_READY_VARIABLE, HELD_BACK_OUTPUT, HELD_BACK_VARIABLE, sourceBucketNames } from "../lib/naming";
import {
  backfillRolePolicy,
  backfillTrustPolicy,
  replicationRolePolicy,
  replicationTrustPolicy,
  sourceBucketPolicy,
  sourceKeyPolicy,
} from "../lib/policies";
import { awsProvider } from "../lib/providers";
import { ReplicationStack } from "../lib/replication-stack";
import { ReplicationMonitoring, type MonitoredBucket } from "../lib/replication-monitoring";
import { replicationRule } from "../lib/replication-rule";
import { destinationBucket, destinationsOf, twoWayOfSource } from "../lib/topology";

export interface SourceStackProps {
  readonly config: ReplicationConfig;
}

export class SourceStack extends ReplicationStack {
  /** id: "source" (a pair or fleet), or source-<name> (one account of an organization). */
  constructor(scope: Construct, id: "source" | `source-${string}`, props: SourceStackProps) {
    super(scope, id);
    const { config } = props;
    configureBackend(this, id, config.backend);
    const provider = awsProvider(this, "alice", config.sourceAccount, config);

    const destinationReady = new TerraformVariable(this, DESTINATION_READY_VARIABLE, {
      type: "bool",
      default: true,
      nullable: false,
      description:
        "false only on the very first apply, before the dest stack exists: holds back the replication configuration, which needs Bob's versioned bucket",
    });
    const heldBack = new TerraformVariable(this, HELD_BACK_VARIABLE, {
      type: "list(string)",
      default: [],
      nullable: false,
      description:
        "source buckets whose replication configuration waits, while dest creates a bucket of Bob's their rules name (npm run bring-up sets it when a running fleet gains one); empty otherwise",
    });
    const ready = (bucketName: string) => Op.and(destinationReady.booleanValue, Op.not(Fn.contains(heldBack.listValue, bucketName)));
    const monitored = config.sourceBuckets.map((bucket) => this.replicatedBucket(config, bucket, provider, ready(bucket.bucketName)));
    if (config.monitoring.enabled) {
      const monitoring = new ReplicationMonitoring(this, "monitoring", { provider, account: config.sourceAccount, monitoring: config.monitoring, buckets: monitored });
      new TerraformOutput(this, "alerts_topic_arn", { value: monitoring.topic.arn, description: "ARN of the SNS topic replication failures and alarms go to" });
      new TerraformOutput(this, "alerts_kms_key_arn", { value: monitoring.key.key.arn, description: "ARN of the key that encrypts the alerts topic" });
    }

    new TerraformOutput(this, HELD_BACK_OUTPUT, {
      value: heldBack.listValue,
      description: "Source buckets whose replication configuration is held back (empty once a bring-up has finished)",
    });
    new TerraformOutput(this, "replication_enabled", {
      value: destinationReady.booleanValue,
      description: "Whether the replication configuration is applied (false only during the first bring-up)",
    });
  }

  /** One source bucket of Alice's with its key, its replication role and its replication configuration. */
  private replicatedBucket(config: ReplicationConfig, source: SourceBucketConfig, provider: AwsProvider, ready: IResolvable): MonitoredBucket {
    const { accountId, region } = config.sourceAccount;
    const names = sourceBucketNames(config, source.bucketName);
    const destinations = destinationsOf(config, source);
    // Two-way: Bob's bucket replicates back into this one, with a role of Bob's account.
    const twoWay = twoWayOfSource(config, source.bucketName);
    const reverseWriter = twoWay && { accountId: config.destinationAccount.accountId, roleArn: twoWay.reverseRoleArn, ownerOverride: twoWay.rule.ownerOverride };

    // An adopted bucket may keep its own key: the stack then writes no key policy (docs/existing-buckets.md, "Adopting").
    const sourceKeyArn =
      source.existing?.kmsKeyArn ??
      new CustomerManagedKey(this, names.key, {
        provider,
        alias: source.kmsKeyAlias!,
        description: `Encrypts objects of s3://${source.bucketName}`,
        policy: sourceKeyPolicy(accountId, reverseWriter ? { writer: reverseWriter, region, bucketName: source.bucketName } : undefined),
      }).key.arn;
    const existingStatements = source.existing?.bucketPolicyStatements ?? [];
    const sourceBucket = new EncryptedBucket(this, names.bucket, {
      provider,
      bucketName: source.bucketName,
      kmsKeyArn: sourceKeyArn,
      policy: sourceBucketPolicy(source.bucketName, existingStatements, reverseWriter),
      ...(source.objectLock ? { objectLock: source.objectLock } : {}),
      ...(source.existing ? { adopt: { importPolicy: existingStatements.length > 0 } } : {}),
    });

    const role = new IamRole(this, names.role, {
      provider,
      name: source.replicationRoleName,
      description: `S3 replicates s3://${source.bucketName} to ${destinations.map((d) => `s3://${d.bucketName}`).join(", ")} in account ${config.destinationAccount.accountId}`,
      assumeRolePolicy: policyAttribute(this, replicationTrustPolicy(accountId, source.bucketName)),
    });
    const roleGrants = grantToRole(this, {
      provider,
      role,
      roleName: source.replicationRoleName,
      policyName: "s3-cross-account-replication",
      id: names.rolePolicy,
      document: replicationRolePolicy({ source: { bucketName: source.bucketName, region, objectLock: source.objectLock !== undefined }, sourceKeyArn, destinations }),
    });

    new S3BucketReplicationConfigurationA(this, names.replication, {
      provider,
      count: Token.asNumber(Fn.conditional(ready, 1, 0)),
      bucket: sourceBucket.bucket.id,
      role: role.arn,
      rule: source.rules.map((rule) =>
        replicationRule({ rule, destination: { ...config.destinationAccount, ...destinationBucket(config, rule.destinationBucket) } }),
      ),
      // The role must be able to act before S3 validates the configuration; versioning must be on.
      dependsOn: [sourceBucket.versioning, ...roleGrants],
    });

    new TerraformOutput(this, names.output("replication_role_arn"), {
      value: role.arn,
      description: "ARN of the role S3 assumes to replicate; the dest stack grants it access",
    });
    new TerraformOutput(this, names.output("source_bucket_arn"), { value: sourceBucket.bucket.arn, description: "ARN of Alice's source bucket" });
    new TerraformOutput(this, names.output("source_bucket_name"), { value: sourceBucket.bucket.bucket, description: "Name of Alice's source bucket" });
    new TerraformOutput(this, names.output("source_kms_key_arn"), { value: sourceKeyArn, description: "ARN of the key that encrypts the source bucket" });
    if (source.backfill) {
      const backfillRole = new IamRole(this, names.backfillRole, {
        provider,
        name: source.backfill.roleName,
        description: `S3 Batch Replication of the objects s3://${source.bucketName} held before its replication rules (npm run backfill)`,
        assumeRolePolicy: policyAttribute(this, backfillTrustPolicy(accountId)),
        tags: { [BACKFILL_TAGS.bucket]: source.bucketName, [BACKFILL_TAGS.reportPrefix]: source.backfill.reportPrefix },
      });
      new IamRolePolicy(this, names.backfillRolePolicy, {
        provider,
        name: "s3-batch-replication",
        role: backfillRole.id,
        policy: policyAttribute(this, backfillRolePolicy({ bucketName: source.bucketName, region, sourceKeyArn, reportPrefix: source.backfill.reportPrefix })),
      });
      new TerraformOutput(this, names.output("backfill_role_arn"), { value: backfillRole.arn, description: "ARN of the role S3 Batch Operations assumes for npm run backfill" });
    }
    return { bucketName: source.bucketName, bucketId: sourceBucket.bucket.id, resourceName: names.bucket, rules: source.rules };
  }
}
