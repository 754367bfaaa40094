// Who replicates where: from the rules of Alice's source buckets, the buckets of Bob's each role
// writes into, and the roles each of Bob's buckets admits. The stacks and the emulated deploy's
// checks both derive policy inputs from here, so they agree.
import type { DestinationBucketConfig, ReplicationConfig, SourceBucketConfig } from "./config";
import type { ReplicaDestination } from "./policies";

/** "bob-archive-2222" -> "BobArchive2222": a statement-ID suffix (IAM Sids are alphanumeric). */
export const sidSuffixOf = (bucketName: string): string =>
  bucketName
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join("");

export function destinationBucket(config: ReplicationConfig, bucketName: string): DestinationBucketConfig {
  const found = config.destinationBuckets.find((b) => b.bucketName === bucketName);
  // config validation guarantees every rule names one of Bob's buckets
  if (!found) throw new Error(`no destination bucket ${bucketName}`);
  return found;
}

/** The buckets of Bob's that a source bucket's rules write into, in rule order, each once. */
export function destinationsOf(config: ReplicationConfig, source: SourceBucketConfig): ReplicaDestination[] {
  const names = [...new Set(source.rules.map((r) => r.destinationBucket))];
  return names.map((name) => {
    const bucket = destinationBucket(config, name);
    return {
      bucketName: name,
      accountId: config.destinationAccount.accountId,
      region: config.destinationAccount.region,
      kmsKeyAlias: bucket.kmsKeyAlias,
      ownerOverride: source.rules.some((r) => r.destinationBucket === name && r.ownerOverride),
      sidSuffix: names.length > 1 ? sidSuffixOf(name) : "",
    };
  });
}

/** The source buckets whose rules write into one of Bob's buckets, and whether any asks for owner override. */
export function writersInto(config: ReplicationConfig, destinationBucketName: string): { source: SourceBucketConfig; ownerOverride: boolean }[] {
  return config.sourceBuckets
    .filter((s) => s.rules.some((r) => r.destinationBucket === destinationBucketName))
    .map((source) => ({
      source,
      ownerOverride: source.rules.some((r) => r.destinationBucket === destinationBucketName && r.ownerOverride),
    }));
}
