// Who replicates where: from the rules of Alice's source buckets, the buckets of Bob's each role
// writes into, and the roles each of Bob's buckets admits. The stacks and the emulated deploy's
// checks both derive policy inputs from here, so they agree.
import { roleArn } from "./arns";
import type { DestinationBucketConfig, ReplicationConfig, RuleConfig, SourceBucketConfig } from "./config";
import type { ReplicaDestination, replicationRolePolicy } from "./policies";

/** "bob-archive-2222" -> "BobArchive2222": a statement-ID suffix (IAM Sids are alphanumeric). */
export const sidSuffixOf = (bucketName: string): string =>
  bucketName
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join("");

// A parsed config is not changed after loading; indexes over it are built once (a fleet of 1,000
// buckets otherwise searches it once per bucket).
const destinationIndex = new WeakMap<ReplicationConfig, Map<string, DestinationBucketConfig>>();
const twoWayIndex = new WeakMap<ReplicationConfig, TwoWayPair[]>();

export function destinationBucket(config: ReplicationConfig, bucketName: string): DestinationBucketConfig {
  let index = destinationIndex.get(config);
  if (!index) destinationIndex.set(config, (index = new Map(config.destinationBuckets.map((b) => [b.bucketName, b]))));
  const found = index.get(bucketName);
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

/** A two-way pair: one of Alice's buckets, its two-way rule and the bucket of Bob's that replicates back into it. */
export interface TwoWayPair {
  source: SourceBucketConfig;
  rule: RuleConfig;
  destination: DestinationBucketConfig;
  /** ARN of the role of the way back, in Bob's account (named from the config: it exists only once dest is applied). */
  reverseRoleArn: string;
}

export function twoWayPairs(config: ReplicationConfig): readonly TwoWayPair[] {
  let pairs = twoWayIndex.get(config);
  if (!pairs) {
    pairs = config.sourceBuckets.flatMap((source) =>
      source.rules
        .filter((rule) => rule.twoWay)
        .map((rule) => ({ source, rule, destination: destinationBucket(config, rule.destinationBucket), reverseRoleArn: roleArn(config.destinationAccount.accountId, rule.reverseRoleName!) })),
    );
    twoWayIndex.set(config, pairs);
  }
  return pairs;
}

/** The two-way pair a bucket of Alice's belongs to, if any (at most one: config validation). */
export const twoWayOfSource = (config: ReplicationConfig, bucketName: string): TwoWayPair | undefined => twoWayPairs(config).find((p) => p.source.bucketName === bucketName);

/** The two-way pair a bucket of Bob's belongs to, if any. */
export const twoWayOfDestination = (config: ReplicationConfig, bucketName: string): TwoWayPair | undefined => twoWayPairs(config).find((p) => p.destination.bucketName === bucketName);

/**
 * The way back of a two-way pair as replicationRolePolicy takes it: Bob's bucket as the source (its
 * replica key decrypts), Alice's bucket as the one destination (her key encrypts).
 */
export function wayBackGrants(config: ReplicationConfig, pair: TwoWayPair, replicaKeyArn: string): Parameters<typeof replicationRolePolicy>[0] {
  return {
    source: { bucketName: pair.destination.bucketName, region: config.destinationAccount.region, objectLock: pair.destination.objectLock !== undefined },
    sourceKeyArn: replicaKeyArn,
    destinations: [
      {
        bucketName: pair.source.bucketName,
        accountId: config.sourceAccount.accountId,
        region: config.sourceAccount.region,
        kmsKeyAlias: pair.source.kmsKeyAlias!,
        ownerOverride: pair.rule.ownerOverride,
        sidSuffix: "",
      },
    ],
  };
}
