// The validated configuration both file shapes become (./pair.ts, ./fleet.ts): what the stacks,
// policies and scripts read. Every type is the fleet schema's output, so a field is declared once,
// in the schema, with its rules and its default. Alice is the source account, Bob the destination.
import type { z } from "zod";
import type { backend, ConfigShape, credentials, monitoring, STORAGE_CLASSES } from "./fields";
import type { fleetSchema } from "./fleet";

/** The fleet schema's output; the pair shape becomes the same, and says which it was. */
export type ReplicationConfig = Omit<z.output<typeof fleetSchema>, "shape"> & { shape: ConfigShape };

/** How terraform authenticates in one account (a profile or a role to assume). */
export type Credentials = z.infer<typeof credentials>;

/** One account: its ID, region and (absent: the provider's default chain) credentials. */
export type AccountConfig = ReplicationConfig["sourceAccount"];

export type StorageClass = (typeof STORAGE_CLASSES)[number];

/** One of Alice's buckets, its key, its replication role and its rules. */
export type SourceBucketConfig = ReplicationConfig["sourceBuckets"][number];

/** One rule of a source bucket, its switches resolved (metrics on where monitoring or RTC needs them). */
export type RuleConfig = SourceBucketConfig["rules"][number];

export type RuleFilter = NonNullable<RuleConfig["filter"]>;

/** An adopted bucket: the statements its policy keeps, and the key it keeps. */
export type ExistingBucketConfig = NonNullable<SourceBucketConfig["existing"]>;

/** S3 Batch Replication of the objects written before the rules existed. */
export type BackfillConfig = NonNullable<SourceBucketConfig["backfill"]>;

/** One of Bob's buckets and its key's alias. */
export type DestinationBucketConfig = ReplicationConfig["destinationBuckets"][number];

/** Where both stacks keep state: local, s3 or cloud. */
export type BackendConfig = z.infer<typeof backend>;

/** Off by default. On: an encrypted SNS topic in Alice's account, failure notifications and an alarm per rule. */
export type MonitoringConfig = z.infer<typeof monitoring>;

/** S3 Object Lock of a bucket: its default retention mode and period (days or years). */
export type ObjectLockConfig = NonNullable<DestinationBucketConfig["objectLock"]>;
