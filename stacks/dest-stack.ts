// Bob's account: per destination bucket, its replica key and the bucket, whose policies admit the
// replication roles of exactly the source buckets whose rules write there. The role ARNs come
// from the source stack's state.
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { TerraformOutput, type TerraformRemoteState } from "cdktf";
import type { Construct } from "constructs";
import { configureBackend, remoteStateOf } from "../lib/backend";
import type { DestinationBucketConfig, ReplicationConfig } from "../lib/config";
import { CustomerManagedKey } from "../lib/customer-managed-key";
import { EncryptedBucket } from "../lib/encrypted-bucket";
import { destinationBucketNames, sourceBucketNames } from "../lib/naming";
import { policyAttribute } from "../lib/hcl-output";
import { destinationBucketPolicy, replicaKeyPolicy, replicationRolePolicy, replicationTrustPolicy, type ReplicaWriter } from "../lib/policies";
import { replicationRule, reverseRuleOf } from "../lib/replication-rule";
import { grantToRole } from "../lib/role-grants";
import { awsProvider } from "../lib/providers";
import { ReplicationStack } from "../lib/replication-stack";
import { twoWayOfDestination, wayBackGrants, writersInto, type TwoWayPair } from "../lib/topology";

/** The source stack writing into some of this account's buckets, and the config slice they share. */
export interface DestStackWriter {
  /** The source stack whose state holds its roles' ARNs. */
  readonly stack: "source" | `source-${string}`;
  /** The data source that reads it (source_state for a pair or fleet). */
  readonly stateName: string;
  /** The config of that source stack: its buckets, their rules and the buckets of Bob's they name. */
  readonly config: ReplicationConfig;
}

export interface DestStackProps {
  /** Bob's account: one writer for a pair or fleet; every source account writing here for an organization. */
  readonly writers: readonly DestStackWriter[];
}

export class DestStack extends ReplicationStack {
  /** id: "dest" (a pair or fleet), or dest-<name> (one account of an organization). */
  constructor(scope: Construct, id: "dest" | `dest-${string}`, props: DestStackProps) {
    super(scope, id);
    const [first] = props.writers;
    configureBackend(this, id, first.config.backend);
    const provider = awsProvider(this, "bob", first.config.destinationAccount, first.config);
    // Each source stack's state is read once; each of Bob's buckets belongs to one writer's config.
    for (const writer of props.writers) {
      const sourceState = remoteStateOf(this, writer.stateName, writer.stack, writer.config.backend);
      for (const bucket of writer.config.destinationBuckets) this.destinationBucket(writer.config, bucket, provider, sourceState);
    }
  }

  /** One of Bob's buckets with its replica key, admitting the roles whose rules write into it. */
  private destinationBucket(config: ReplicationConfig, destination: DestinationBucketConfig, provider: AwsProvider, sourceState: TerraformRemoteState): void {
    const { accountId, region } = config.destinationAccount;
    const names = destinationBucketNames(config, destination.bucketName);
    const writers: ReplicaWriter[] = writersInto(config, destination.bucketName).map((w) => ({
      roleArn: sourceState.getString(sourceBucketNames(config, w.source.bucketName).output("replication_role_arn")),
      ownerOverride: w.ownerOverride,
    }));

    const replicaKey = new CustomerManagedKey(this, names.key, {
      provider,
      alias: destination.kmsKeyAlias,
      description: `Encrypts replicas in s3://${destination.bucketName}`,
      policy: replicaKeyPolicy({ accountId, region, bucketName: destination.bucketName, writers }),
    });
    const bucket = new EncryptedBucket(this, names.bucket, {
      provider,
      bucketName: destination.bucketName,
      kmsKeyArn: replicaKey.key.arn,
      policy: destinationBucketPolicy({ bucketName: destination.bucketName, sourceAccountId: config.sourceAccount.accountId, writers }),
      ...(destination.objectLock ? { objectLock: destination.objectLock } : {}),
    });

    const twoWay = twoWayOfDestination(config, destination.bucketName);
    if (twoWay) this.replicatesBack(config, twoWay, provider, bucket, replicaKey.key.arn);

    new TerraformOutput(this, names.output("destination_bucket_arn"), { value: bucket.bucket.arn, description: "ARN of Bob's destination bucket" });
    new TerraformOutput(this, names.output("destination_bucket_name"), { value: bucket.bucket.bucket, description: "Name of Bob's destination bucket" });
    new TerraformOutput(this, names.output("replica_kms_key_arn"), { value: replicaKey.key.arn, description: "ARN of the key that encrypts replicas" });
    new TerraformOutput(this, names.output("replica_kms_key_alias_arn"), {
      value: replicaKey.alias.arn,
      description: "Alias ARN of the replica key, as the replication configuration names it",
    });
  }

  /**
   * The way back of a two-way pair: Bob's bucket replicates into Alice's with a role of Bob's
   * account, trusted by S3 for this bucket only; replicas are encrypted with Alice's key. Alice's
   * policies already admit the role (the source stack is applied first, and names it by ARN).
   */
  private replicatesBack(config: ReplicationConfig, pair: TwoWayPair, provider: AwsProvider, bucket: EncryptedBucket, replicaKeyArn: string): void {
    const { accountId } = config.destinationAccount;
    const names = destinationBucketNames(config, pair.destination.bucketName);
    const alice = { accountId: config.sourceAccount.accountId, region: config.sourceAccount.region, bucketName: pair.source.bucketName, kmsKeyAlias: pair.source.kmsKeyAlias! };
    const roleName = pair.rule.reverseRoleName!;
    const role = new IamRole(this, names.reverseRole, {
      provider,
      name: roleName,
      description: `S3 replicates s3://${pair.destination.bucketName} back to s3://${pair.source.bucketName} in account ${alice.accountId} (two-way)`,
      assumeRolePolicy: policyAttribute(this, replicationTrustPolicy(accountId, pair.destination.bucketName, "S3ReplicatesBobBucketBack")),
    });
    const grants = grantToRole(this, {
      provider,
      role,
      roleName,
      policyName: "s3-cross-account-replication",
      id: names.reverseRolePolicy,
      document: replicationRolePolicy(wayBackGrants(config, pair, replicaKeyArn)),
    });
    new S3BucketReplicationConfigurationA(this, names.reverseReplication, {
      provider,
      bucket: bucket.bucket.id,
      role: role.arn,
      rule: [replicationRule({ rule: reverseRuleOf(pair.rule, pair.source.bucketName), destination: alice })],
      dependsOn: [bucket.versioning, ...grants],
    });
    new TerraformOutput(this, names.output("reverse_replication_role_arn"), { value: role.arn, description: "ARN of the role S3 assumes to replicate Bob's bucket back into Alice's (two-way)" });
  }
}
