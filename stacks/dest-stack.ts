// Bob's account: the replica key and the destination bucket, whose policies admit Alice's
// replication role. The role ARN comes from the source stack's state.
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { configureBackend, remoteStateOf } from "../lib/backend";
import type { ReplicationConfig } from "../lib/config";
import { CustomerManagedKey } from "../lib/customer-managed-key";
import { EncryptedBucket } from "../lib/encrypted-bucket";
import { destinationBucketPolicy, replicaKeyPolicy } from "../lib/policies";
import { awsProvider } from "../lib/providers";

export interface DestStackProps {
  readonly config: ReplicationConfig;
}

export class DestStack extends TerraformStack {
  constructor(scope: Construct, id: "dest", props: DestStackProps) {
    super(scope, id);
    const { config } = props;
    const { destination } = config;
    configureBackend(this, id, config.backend);
    const provider = awsProvider(this, "bob", destination, config);

    const sourceState = remoteStateOf(this, "source_state", "source", config.backend);
    const replicationRoleArn = sourceState.getString("replication_role_arn");

    const replicaKey = new CustomerManagedKey(this, "replica_key", {
      provider,
      alias: destination.kmsKeyAlias,
      description: `Encrypts replicas in s3://${destination.bucketName}`,
      policy: replicaKeyPolicy(config, { replicationRoleArn }),
    });
    const destinationBucket = new EncryptedBucket(this, "destination_bucket", {
      provider,
      bucketName: destination.bucketName,
      kmsKeyArn: replicaKey.key.arn,
      policy: destinationBucketPolicy(config, { replicationRoleArn }),
    });

    new TerraformOutput(this, "destination_bucket_arn", { value: destinationBucket.bucket.arn, description: "ARN of Bob's destination bucket" });
    new TerraformOutput(this, "destination_bucket_name", { value: destinationBucket.bucket.bucket, description: "Name of Bob's destination bucket" });
    new TerraformOutput(this, "replica_kms_key_arn", { value: replicaKey.key.arn, description: "ARN of the key that encrypts replicas" });
    new TerraformOutput(this, "replica_kms_key_alias_arn", {
      value: replicaKey.alias.arn,
      description: "Alias ARN of the replica key, as the replication configuration names it",
    });
  }
}
