// One replication rule, as plain data for aws_s3_bucket_replication_configuration. Encodes the
// rules real S3 enforces on a rule that the emulator does not (README, "What real S3 enforces").
import type { S3BucketReplicationConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { bucketArn, kmsAliasArn } from "./arns";
import type { ReplicationConfig } from "./config";

/** The only threshold S3 accepts for Replication Time Control and its metrics event. */
export const REPLICATION_TIME_MINUTES = 15;

export interface ReplicationRuleProps {
  readonly id: string;
  /** Bob's side: account, region, bucket and the alias of the key that encrypts replicas. */
  readonly destination: Pick<ReplicationConfig["destination"], "accountId" | "region" | "bucketName" | "kmsKeyAlias">;
  readonly ownerOverride: boolean;
  readonly replicateDeleteMarkers: boolean;
  readonly metrics: boolean;
  readonly replicationTimeControl: boolean;
}

const enabled = (on: boolean) => (on ? "Enabled" : "Disabled");

/**
 * A V2 rule for the whole bucket (`filter {}`, which requires delete_marker_replication) that
 * replicates SSE-KMS objects into Bob's bucket, encrypted with Bob's key named by its alias ARN.
 * Metrics carry an event threshold only together with Replication Time Control: S3 rejects the
 * threshold without it, and requires metrics with it.
 */
export function replicationRule(props: ReplicationRuleProps): S3BucketReplicationConfigurationRule {
  const { destination } = props;
  const minutes = { minutes: REPLICATION_TIME_MINUTES };
  return {
    id: props.id,
    status: "Enabled",
    filter: {},
    deleteMarkerReplication: { status: enabled(props.replicateDeleteMarkers) },
    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
    destination: {
      bucket: bucketArn(destination.bucketName),
      account: destination.accountId,
      // The alias ARN names Bob's key in Bob's account; the key ID is unknown until dest exists.
      encryptionConfiguration: { replicaKmsKeyId: kmsAliasArn(destination.region, destination.accountId, destination.kmsKeyAlias) },
      ...(props.ownerOverride ? { accessControlTranslation: { owner: "Destination" } } : {}),
      ...(props.replicationTimeControl
        ? { replicationTime: { status: "Enabled", time: minutes }, metrics: { status: "Enabled", eventThreshold: minutes } }
        : props.metrics
          ? { metrics: { status: "Enabled" } }
          : {}),
    },
  };
}
