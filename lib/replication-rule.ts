// One replication rule, as plain data for aws_s3_bucket_replication_configuration. Encodes the
// rules real S3 enforces on a rule that the emulator does not (docs/what-s3-enforces.md).
import { REPLICATION_TIME_MINUTES } from "./aws-facts";
import type {
  S3BucketReplicationConfigurationRule,
  S3BucketReplicationConfigurationRuleFilter,
} from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { bucketArn, kmsAliasArn } from "./arns";
import type { RuleConfig, RuleFilter } from "./config";

export interface ReplicationRuleProps {
  readonly rule: RuleConfig;
  /** The bucket the rule names (Bob's; on the way back of a two-way rule, Alice's): account, region, the alias of its key. */
  readonly destination: { accountId: string; region: string; bucketName: string; kmsKeyAlias: string };
}

const enabled = (on: boolean) => (on ? "Enabled" : "Disabled");

/** `filter {}` for the whole bucket; a prefix, one tag, or both in an `and` block. */
function filterOf(filter: RuleFilter | undefined): S3BucketReplicationConfigurationRuleFilter {
  const tags = Object.entries(filter?.tags ?? {});
  if (!filter) return {};
  if (tags.length === 0) return { prefix: filter.prefix };
  if (tags.length === 1 && filter.prefix === undefined) return { tag: { key: tags[0][0], value: tags[0][1] } };
  return { and: { ...(filter.prefix !== undefined ? { prefix: filter.prefix } : {}), tags: Object.fromEntries(tags) } };
}

/**
 * A V2 rule (a filter, which requires delete_marker_replication) that replicates SSE-KMS objects
 * into Bob's bucket, encrypted with his key named by its alias ARN. Metrics carry an event
 * threshold only together with Replication Time Control: S3 rejects the threshold without it, and
 * requires metrics with it.
 */
/** The rule of the way back of a two-way rule, on Bob's bucket: the same ID, filter, priority and switches; the replicas keep their source's storage class. */
export const reverseRuleOf = (rule: RuleConfig, sourceBucketName: string): RuleConfig => {
  const { storageClass: _storageClass, reverseRoleName: _role, ...reverse } = rule;
  return { ...reverse, destinationBucket: sourceBucketName };
};

export function replicationRule({ rule, destination }: ReplicationRuleProps): S3BucketReplicationConfigurationRule {
  const minutes = { minutes: REPLICATION_TIME_MINUTES };
  return {
    id: rule.id,
    ...(rule.priority !== undefined ? { priority: rule.priority } : {}),
    status: "Enabled",
    filter: filterOf(rule.filter),
    deleteMarkerReplication: { status: enabled(rule.replicateDeleteMarkers) },
    // Two-way: metadata changes made on a replica (tags, ACLs, Object Lock retention) flow back too.
    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" }, ...(rule.twoWay ? { replicaModifications: { status: "Enabled" } } : {}) },
    destination: {
      bucket: bucketArn(destination.bucketName),
      account: destination.accountId,
      ...(rule.storageClass ? { storageClass: rule.storageClass } : {}),
      // The alias ARN names Bob's key in Bob's account; the key ID is unknown until dest exists.
      encryptionConfiguration: { replicaKmsKeyId: kmsAliasArn(destination.region, destination.accountId, destination.kmsKeyAlias) },
      ...(rule.ownerOverride ? { accessControlTranslation: { owner: "Destination" } } : {}),
      ...(rule.replicationTimeControl
        ? { replicationTime: { status: "Enabled", time: minutes }, metrics: { status: "Enabled", eventThreshold: minutes } }
        : rule.metrics
          ? { metrics: { status: "Enabled" } }
          : {}),
    },
  };
}
