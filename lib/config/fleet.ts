// The fleet file shape: Alice's account and source buckets, Bob's account and destination buckets,
// and per source bucket an ordered list of rules, each naming one of Bob's buckets. Everything S3
// would reject (or silently misapply) is refused here, with the field's path and the fix.
import { z } from "zod";
import {
  accountId,
  backend,
  bucketName,
  checkAccountsAndBackend,
  checkMetricsForMonitoring,
  credentials,
  emulator,
  kmsAliasName,
  metricsFollowReplicationTimeControl,
  monitoring,
  region,
  resolvedMetrics,
  roleName,
  ruleSwitches,
  storageClass,
  tags,
} from "./fields";
import type { ReplicationConfig } from "./types";

const account = z.strictObject({ accountId, region, credentials: credentials.optional() });

const ruleFilter = z
  .strictObject({
    prefix: z.string().min(1, 'must not be empty (leave "filter" out to replicate the whole bucket)').max(1024, "must be at most 1024 characters").optional(),
    tags: z.record(z.string().min(1).max(128), z.string().max(256)).optional(),
  })
  .refine((f) => f.prefix !== undefined || Object.keys(f.tags ?? {}).length > 0, {
    message: 'must give "prefix" and/or "tags"; leave "filter" out to replicate the whole bucket',
  });

const rule = z
  .strictObject({
    id: z.string().min(1, "must not be empty").max(255, "must be at most 255 characters"),
    priority: z.number().int("must be a whole number").min(0, "must be 0 or more").optional(),
    destinationBucket: bucketName,
    filter: ruleFilter.optional(),
    storageClass: storageClass.optional(),
    ...ruleSwitches,
  })
  .superRefine(metricsFollowReplicationTimeControl("replicationTimeControl"))
  .superRefine((r, ctx) => {
    if (r.replicateDeleteMarkers && Object.keys(r.filter?.tags ?? {}).length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["replicateDeleteMarkers"],
        message: "must be false in a rule with a tag filter: S3 rejects delete marker replication for tag-based rules (drop the tags or the delete markers)",
      });
    }
  });

/** IAM role names are at most 64 characters; the default is derived from the bucket name. */
const defaultRoleName = (bucket: string) => `s3-replication-${bucket}`;

const sourceBucket = z
  .strictObject({
    bucketName,
    kmsKeyAlias: kmsAliasName,
    replicationRoleName: roleName.optional(),
    rules: z.array(rule).min(1, "needs at least one rule"),
  })
  .superRefine((b, ctx) => {
    if (b.replicationRoleName === undefined && defaultRoleName(b.bucketName).length > 64) {
      ctx.addIssue({
        code: "custom",
        path: ["replicationRoleName"],
        message: `is needed for this bucket: the default "${defaultRoleName(b.bucketName)}" is longer than IAM's 64 characters`,
      });
    }
  })
  .transform((b) => ({ ...b, replicationRoleName: b.replicationRoleName ?? defaultRoleName(b.bucketName) }));

const destinationBucket = z.strictObject({ bucketName, kmsKeyAlias: kmsAliasName });

type Path = (string | number)[];

/** Reports every value met a second time, naming where it was first. */
function duplicates<T>(items: [Path, T][], message: (first: Path, path: Path) => string, ctx: z.core.$RefinementCtx): void {
  const seen = new Map<T, Path>();
  for (const [path, value] of items) {
    const first = seen.get(value);
    if (first) ctx.addIssue({ code: "custom", path, message: message(first, path) });
    else seen.set(value, path);
  }
}

export const fleetSchema = z
  .strictObject({
    sourceAccount: account,
    destinationAccount: account,
    sourceBuckets: z.array(sourceBucket).min(1, "needs at least one of Alice's buckets"),
    destinationBuckets: z.array(destinationBucket).min(1, "needs at least one of Bob's buckets"),
    tags,
    backend,
    monitoring,
    emulator: emulator.optional(),
  })
  .superRefine((c, ctx) => {
    checkMetricsForMonitoring(
      ctx,
      c.monitoring.enabled,
      c.sourceBuckets.flatMap((b, i) => b.rules.map((r, j): [(string | number)[], { metrics?: boolean }] => [["sourceBuckets", i, "rules", j], r])),
    );
    checkAccountsAndBackend(ctx, { source: [["sourceAccount"], c.sourceAccount], destination: [["destinationAccount"], c.destinationAccount] }, c.backend);
    const at = (path: Path) => path.join(".");

    const sources: [Path, string][] = c.sourceBuckets.map((b, i) => [["sourceBuckets", i, "bucketName"], b.bucketName]);
    const destinations: [Path, string][] = c.destinationBuckets.map((b, i) => [["destinationBuckets", i, "bucketName"], b.bucketName]);
    duplicates(
      [...sources, ...destinations],
      (first, path) =>
        first[0] !== path[0]
          ? `is also ${at(first)}: a bucket cannot be both a source and a destination of replication here`
          : `is also ${at(first)}: bucket names are global, each bucket is listed once`,
      ctx,
    );
    duplicates(
      c.sourceBuckets.map((b, i): [Path, string] => [["sourceBuckets", i, "kmsKeyAlias"], b.kmsKeyAlias]),
      (first) => `is also ${at(first)}: each bucket gets its own key, and an alias names one key in Alice's account`,
      ctx,
    );
    duplicates(
      c.destinationBuckets.map((b, i): [Path, string] => [["destinationBuckets", i, "kmsKeyAlias"], b.kmsKeyAlias]),
      (first) => `is also ${at(first)}: each bucket gets its own key, and an alias names one key in Bob's account`,
      ctx,
    );
    duplicates(
      c.sourceBuckets.map((b, i): [Path, string] => [["sourceBuckets", i, "replicationRoleName"], b.replicationRoleName]),
      (first) => `is also ${at(first)}: each source bucket gets its own replication role`,
      ctx,
    );

    const bobsBuckets = new Set(c.destinationBuckets.map((b) => b.bucketName));
    const used = new Set<string>();
    c.sourceBuckets.forEach((b, i) => {
      const rulePath = (j: number, field: string): Path => ["sourceBuckets", i, "rules", j, field];
      b.rules.forEach((r, j) => {
        used.add(r.destinationBucket);
        if (!bobsBuckets.has(r.destinationBucket)) {
          ctx.addIssue({
            code: "custom",
            path: rulePath(j, "destinationBucket"),
            message: `is not one of Bob's buckets (destinationBuckets: ${[...bobsBuckets].join(", ")}): add it there or correct the name`,
          });
        }
      });
      duplicates(b.rules.map((r, j): [Path, string] => [rulePath(j, "id"), r.id]), (first) => `is also ${at(first)}: rule IDs must be unique within a bucket`, ctx);
      if (b.rules.length > 1) {
        b.rules.forEach((r, j) => {
          if (!r.filter) {
            ctx.addIssue({
              code: "custom",
              path: rulePath(j, "filter"),
              message: "is required when a bucket has several rules: give each rule a prefix and/or tags, so S3 knows which objects it covers",
            });
          }
          if (r.priority === undefined) {
            ctx.addIssue({ code: "custom", path: rulePath(j, "priority"), message: "is required when a bucket has several rules: S3 applies the highest priority where rules overlap" });
          }
        });
        duplicates(
          b.rules.flatMap((r, j): [Path, number][] => (r.priority === undefined ? [] : [[rulePath(j, "priority"), r.priority]])),
          (first) => `is also ${at(first)}: each rule of a bucket needs its own priority`,
          ctx,
        );
      }
    });
    c.destinationBuckets.forEach((b, i) => {
      if (!used.has(b.bucketName)) {
        ctx.addIssue({
          code: "custom",
          path: ["destinationBuckets", i, "bucketName"],
          message: "is the destination of no rule: remove it, or add a rule that replicates into it",
        });
      }
    });
  })
  .transform(
    (c): ReplicationConfig => ({
      shape: "fleet",
      sourceAccount: c.sourceAccount,
      destinationAccount: c.destinationAccount,
      sourceBuckets: c.sourceBuckets.map((b) => ({ ...b, rules: b.rules.map((r) => ({ ...r, metrics: resolvedMetrics(r, c.monitoring.enabled) })) })),
      destinationBuckets: c.destinationBuckets,
      tags: c.tags,
      backend: c.backend,
      monitoring: c.monitoring,
      ...(c.emulator ? { emulator: c.emulator } : {}),
    }),
  );
