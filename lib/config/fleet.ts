// The fleet file shape: Alice's account and source buckets, Bob's account and destination buckets,
// and per source bucket an ordered list of rules, each naming one of Bob's buckets. Everything S3
// would reject (or silently misapply) is refused here, with the field's path and the fix.
import { z } from "zod";
import { SOURCE_BUCKET_SIDS } from "../policies";
import {
  accountId,
  backend,
  bucketName,
  checkAccountsAndBackend,
  checkMetricsForMonitoring,
  credentials,
  defaultReverseRoleName,
  emulator,
  kmsAliasName,
  metricsFollowReplicationTimeControl,
  monitoring,
  objectLock,
  region,
  resolvedMetrics,
  reverseRoleName,
  roleName,
  ruleSwitches,
  storageClass,
  schemaReference,
  tags,
} from "./fields";

const account = (who: string) =>
  z
    .strictObject({
      accountId: accountId.describe(`${who}'s 12-digit account ID, as a string`),
      region: region.describe(`region of all of ${who}'s buckets and keys (standard aws partition)`),
      credentials: credentials.optional(),
    })
    .describe(`${who}'s account`);

const ruleFilter = z
  .strictObject({
    prefix: z.string().min(1, 'must not be empty (leave "filter" out to replicate the whole bucket)').max(1024, "must be at most 1024 characters").optional().describe("replicate keys starting with this"),
    tags: z.record(z.string().min(1).max(128), z.string().max(256)).optional().describe("replicate objects carrying all these tags"),
  })
  .describe('{ "prefix": "logs/" }, { "tags": { "k": "v" } } or both (S3 replicates objects matching all of it); absent: the whole bucket. Required with several rules')
  .refine((f) => f.prefix !== undefined || Object.keys(f.tags ?? {}).length > 0, {
    message: 'must give "prefix" and/or "tags"; leave "filter" out to replicate the whole bucket',
  });

const rule = z
  .strictObject({
    id: z.string().min(1, "must not be empty").max(255, "must be at most 255 characters").describe("rule ID, unique within the bucket (the RuleId of its CloudWatch metrics)"),
    priority: z
      .number()
      .int("must be a whole number")
      .min(0, "must be 0 or more")
      .optional()
      .describe("unique within the bucket; S3 applies the highest where rules overlap. Required with several rules"),
    destinationBucket: bucketName.describe("one of destinationBuckets[].bucketName"),
    filter: ruleFilter.optional(),
    storageClass: storageClass.optional().describe("the replicas' storage class; absent: the source object's"),
    ...ruleSwitches,
    reverseRoleName: reverseRoleName.optional(),
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

const STACK_SOURCE_BUCKET_SIDS: string[] = Object.values(SOURCE_BUCKET_SIDS);

/** IAM role names are at most 64 characters; the defaults are derived from the bucket name. */
const defaultRoleName = (bucket: string) => `s3-replication-${bucket}`;
const defaultBackfillRoleName = (bucket: string) => `s3-backfill-${bucket}`;

const stringOrList = z.union([z.string(), z.array(z.string()).min(1, "must not be an empty list")]);
const principal = z.union([
  z.literal("*"),
  z.strictObject({ AWS: stringOrList.optional(), Service: stringOrList.optional(), Federated: stringOrList.optional(), CanonicalUser: stringOrList.optional() }),
]);
const conditionValue = z.union([z.string(), z.number(), z.boolean()]);

/**
 * A statement of an adopted bucket's policy, kept as given (it may use NotAction or NotPrincipal):
 * IAM's statement grammar, and what the stack must know about it.
 */
const existingStatement = z
  .strictObject({
    Sid: z.string().optional(),
    Effect: z.enum(["Allow", "Deny"], 'must be "Allow" or "Deny"'),
    Principal: principal.optional(),
    NotPrincipal: principal.optional(),
    Action: stringOrList.optional(),
    NotAction: stringOrList.optional(),
    Resource: stringOrList.optional(),
    NotResource: stringOrList.optional(),
    Condition: z.record(z.string(), z.record(z.string(), z.union([conditionValue, z.array(conditionValue)]))).optional(),
  })
  .superRefine((s, ctx) => {
    // IAM's grammar: each statement names its actions, principals and resources one way (S3: MalformedPolicy).
    for (const [element, not] of [
      ["Action", "NotAction"],
      ["Principal", "NotPrincipal"],
      ["Resource", "NotResource"],
    ] as const) {
      if ((s[element] === undefined) === (s[not] === undefined)) {
        ctx.addIssue({ code: "custom", path: [element], message: `needs exactly one of ${element} and ${not}: S3 rejects a bucket policy statement with neither or both (MalformedPolicy)` });
      }
    }
    if (s.Sid !== undefined && STACK_SOURCE_BUCKET_SIDS.includes(s.Sid)) {
      ctx.addIssue({ code: "custom", path: ["Sid"], message: 'is the Sid of a statement the stack writes itself: rename this one (or drop it if it is that same statement)' });
    }
    const everyone = s.Principal === "*" || [s.Principal?.AWS].flat().includes("*");
    if (s.Effect === "Allow" && everyone && s.Condition === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["Principal"],
        message: "grants everyone without a condition: the public access block the stack turns on (BlockPublicPolicy) makes S3 reject the whole policy; name the principals or add a condition",
      });
    }
  })
  .describe("an IAM policy statement (Sid, Effect, Principal or NotPrincipal, Action or NotAction, Resource or NotResource, Condition), kept as written");

const existingBucket = z
  .strictObject({
    bucketPolicyStatements: z
      .array(existingStatement)
      .optional()
      .describe("the statements its bucket policy holds today ([] for none), kept after the stack's own; required to adopt"),
    kmsKeyArn: z
      .string()
      .regex(/^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, 'must be a key ARN, "arn:aws:kms:<region>:<account>:key/<key id>" (not an alias)')
      .optional()
      .describe("keep the bucket's own key (a key ARN in Alice's account and region); kmsKeyAlias is then left out"),
  })
  .describe("the bucket exists already and is adopted (imported), not created; see docs/existing-buckets.md");

const backfill = z.strictObject({
  reportPrefix: z
    .string()
    // Also an IAM tag value of the backfill role (verify and npm run backfill read it there): no other characters.
    .regex(/^[\w.-][\w./-]*\/$/, 'must be a key prefix of letters, digits and "_.-/", ending in "/", e.g. "batch-replication-reports/"')
    .default("batch-replication-reports/")
    .describe("where the jobs' completion reports go in the source bucket"),
  roleName: roleName.optional().describe("the role S3 Batch Operations assumes; absent: s3-backfill-<bucketName>"),
}).describe("a role for npm run backfill (S3 Batch Replication of the objects written before the rules)");

export const sourceBucket = z
  .strictObject({
    bucketName: bucketName.describe("S3 naming rules, no dots; used once in the whole config"),
    kmsKeyAlias: kmsAliasName.optional().describe("alias of the key the stack creates for the bucket, without alias/; unique in Alice's account. Required unless existing.kmsKeyArn"),
    replicationRoleName: roleName.optional().describe("the bucket's replication role; absent: s3-replication-<bucketName> (needed when that exceeds IAM's 64 characters)"),
    rules: z
      .array(rule)
      .min(1, "needs at least one rule")
      // S3 API Reference, ReplicationConfiguration: "a replication configuration can have up to 1,000 rules".
      .max(1000, "must be at most 1,000: S3 accepts no more rules in one replication configuration; split the prefixes across more source buckets")
      .describe("the bucket's replication rules, in order (at most 1,000)"),
    existing: existingBucket.optional(),
    backfill: backfill.optional(),
    objectLock: objectLock.optional(),
  })
  .superRefine((b, ctx) => {
    for (const [field, name] of [
      [["replicationRoleName"], b.replicationRoleName ?? defaultRoleName(b.bucketName)],
      [["backfill", "roleName"], b.backfill ? (b.backfill.roleName ?? defaultBackfillRoleName(b.bucketName)) : ""],
    ] as const) {
      if (name.length > 64) {
        ctx.addIssue({ code: "custom", path: [...field], message: `is needed for this bucket: the default "${name}" is longer than IAM's 64 characters` });
      }
    }
    if (b.existing && b.existing.bucketPolicyStatements === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["existing", "bucketPolicyStatements"],
        message: `is needed to adopt ${b.bucketName}: the stack owns its bucket policy, and would drop every statement it does not know. Copy them: aws s3api get-bucket-policy --bucket ${b.bucketName} --query Policy --output text | jq .Statement (write [] when the bucket has no policy)`,
      });
    }
    const existingKey = b.existing?.kmsKeyArn;
    if (existingKey && b.kmsKeyAlias !== undefined) {
      ctx.addIssue({ code: "custom", path: ["kmsKeyAlias"], message: `must be left out when existing.kmsKeyArn keeps the bucket's own key: the stack creates no key for ${b.bucketName}` });
    }
    if (!existingKey && b.kmsKeyAlias === undefined) {
      ctx.addIssue({ code: "custom", path: ["kmsKeyAlias"], message: "is missing: add it (the alias of the key the stack creates for the bucket), or, for an adopted bucket, existing.kmsKeyArn" });
    }
  })
  .transform(({ existing, backfill, ...b }) => ({
    ...b,
    replicationRoleName: b.replicationRoleName ?? defaultRoleName(b.bucketName),
    // Kept verbatim: the stack only writes them back.
    ...(existing ? { existing: { ...existing, bucketPolicyStatements: existing.bucketPolicyStatements ?? [] } } : {}),
    ...(backfill ? { backfill: { reportPrefix: backfill.reportPrefix, roleName: backfill.roleName ?? defaultBackfillRoleName(b.bucketName) } } : {}),
  }));

export const destinationBucket = z.strictObject({
  bucketName: bucketName.describe("S3 naming rules, no dots; used once in the whole config"),
  kmsKeyAlias: kmsAliasName.describe("alias of the bucket's replica key, without alias/; unique in Bob's account"),
  objectLock: objectLock.optional(),
});

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

type FleetInput = {
  sourceBuckets: { bucketName: string; existing?: { kmsKeyArn?: string }; objectLock?: unknown; replicationRoleName: string; rules: { destinationBucket: string; twoWay: boolean; reverseRoleName?: string }[] }[];
  destinationBuckets: { bucketName: string; objectLock?: unknown }[];
};

/**
 * A two-way rule pairs one of Alice's buckets with one of Bob's: Bob's bucket replicates back only
 * into it (S3 replicates the writes made in Bob's bucket, and replica modification sync sends back
 * the metadata changes of every replica there, so a second writer's replicas would be sent to the
 * wrong bucket). The reverse direction encrypts with Alice's key through its alias, and a locked
 * bucket of Bob's replicates only into a locked one.
 */
function twoWayChecks(c: FleetInput, ctx: z.core.$RefinementCtx): void {
  const reverseRoles: [Path, string][] = [];
  c.sourceBuckets.forEach((b, i) => {
    const twoWay = b.rules.map((r, j) => [r, j] as const).filter(([r]) => r.twoWay);
    twoWay.forEach(([r, j], n) => {
      const at: Path = ["sourceBuckets", i, "rules", j];
      const at_ = at.join(".");
      if (n > 0) {
        ctx.addIssue({ code: "custom", path: [...at, "twoWay"], message: `is also set on sourceBuckets.${i}.rules.${twoWay[0][1]}: a bucket of Alice's is two-way with one bucket of Bob's at most (it can receive from one)` });
        return;
      }
      const others = c.sourceBuckets.map((o, k) => [o, k] as const).filter(([o, k]) => k !== i && o.rules.some((x) => x.destinationBucket === r.destinationBucket));
      if (others.length) {
        ctx.addIssue({
          code: "custom",
          path: [...at, "twoWay"],
          message: `is true, but ${r.destinationBucket} is also written by sourceBuckets.${others[0][1]} (${others[0][0].bucketName}): a two-way rule pairs one bucket of Alice's with one of Bob's, which only it writes into (replica modification sync would send the other bucket's replicas back here)`,
        });
      }
      if (b.existing?.kmsKeyArn) {
        ctx.addIssue({
          code: "custom",
          path: [...at, "twoWay"],
          message: `is true, but ${b.bucketName} keeps its own key (existing.kmsKeyArn): the way back encrypts with Alice's key through its alias; give the bucket a key of the stack's (kmsKeyAlias) to make it two-way`,
        });
      }
      const destination = c.destinationBuckets.find((d) => d.bucketName === r.destinationBucket);
      if (destination?.objectLock && !b.objectLock) {
        ctx.addIssue({
          code: "custom",
          path: ["sourceBuckets", i, "objectLock"],
          message: `is needed: ${at_} is two-way and ${r.destinationBucket} has Object Lock, so S3 would fail every locked version replicated back into ${b.bucketName} (DstBucketObjectLockConfigMissing)`,
        });
      }
      const name = r.reverseRoleName ?? defaultReverseRoleName(r.destinationBucket);
      if (name.length > 64) {
        ctx.addIssue({ code: "custom", path: [...at, "reverseRoleName"], message: `is needed for this rule: the default "${name}" is longer than IAM's 64 characters` });
      }
      reverseRoles.push([[...at, "reverseRoleName"], name]);
    });
    b.rules.forEach((r, j) => {
      if (!r.twoWay && r.reverseRoleName !== undefined) {
        ctx.addIssue({ code: "custom", path: ["sourceBuckets", i, "rules", j, "reverseRoleName"], message: "names the role of the way back: set twoWay to true, or remove it" });
      }
    });
  });
  duplicates(reverseRoles, (first) => `is also ${first.join(".")}: each two-way pair gets its own role in Bob's account`, ctx);
}

export const fleetSchema = z
  .strictObject({
    $schema: schemaReference,
    sourceAccount: account("Alice"),
    destinationAccount: account("Bob"),
    sourceBuckets: z
      .array(sourceBucket)
      .min(1, "needs at least one of Alice's buckets")
      .describe("Alice's buckets, each with its own key and replication role, replicating by its rules"),
    destinationBuckets: z
      .array(destinationBucket)
      .min(1, "needs at least one of Bob's buckets")
      .describe("Bob's buckets, each with its own replica key; every one must be some rule's destination"),
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
    c.sourceBuckets.forEach((b, i) => {
      const key = b.existing?.kmsKeyArn?.split(":");
      if (key && (key[3] !== c.sourceAccount.region || key[4] !== c.sourceAccount.accountId)) {
        ctx.addIssue({
          code: "custom",
          path: ["sourceBuckets", i, "existing", "kmsKeyArn"],
          message: `must be a key of Alice's account ${c.sourceAccount.accountId} in ${c.sourceAccount.region}: a bucket's default encryption uses a key of its own account and region`,
        });
      }
    });
    duplicates(
      c.sourceBuckets.flatMap((b, i): [Path, string][] => (b.kmsKeyAlias === undefined ? [] : [[["sourceBuckets", i, "kmsKeyAlias"], b.kmsKeyAlias]])),
      (first) => `is also ${at(first)}: each bucket gets its own key, and an alias names one key in Alice's account`,
      ctx,
    );
    duplicates(
      c.destinationBuckets.map((b, i): [Path, string] => [["destinationBuckets", i, "kmsKeyAlias"], b.kmsKeyAlias]),
      (first) => `is also ${at(first)}: each bucket gets its own key, and an alias names one key in Bob's account`,
      ctx,
    );
    duplicates(
      c.sourceBuckets.flatMap((b, i): [Path, string][] => [
        [["sourceBuckets", i, "replicationRoleName"], b.replicationRoleName],
        ...(b.backfill ? [[["sourceBuckets", i, "backfill", "roleName"], b.backfill.roleName] as [Path, string]] : []),
      ]),
      (first) => `is also ${at(first)}: each source bucket gets its own replication role, and its own backfill role`,
      ctx,
    );

    const destinationNames = new Set(c.destinationBuckets.map((b) => b.bucketName));
    const lockedDestinations = new Set(c.destinationBuckets.filter((b) => b.objectLock).map((b) => b.bucketName));
    const used = new Set<string>();
    c.sourceBuckets.forEach((b, i) => {
      const rulePath = (j: number, field: string): Path => ["sourceBuckets", i, "rules", j, field];
      b.rules.forEach((r, j) => {
        used.add(r.destinationBucket);
        if (!destinationNames.has(r.destinationBucket)) {
          ctx.addIssue({
            code: "custom",
            path: rulePath(j, "destinationBucket"),
            message: `is not one of Bob's buckets (destinationBuckets: ${[...destinationNames].join(", ")}): add it there or correct the name`,
          });
        }
        // S3 User Guide, "Using Object Lock with S3 Replication"; failure reason DstBucketObjectLockConfigMissing.
        else if (b.objectLock && !lockedDestinations.has(r.destinationBucket)) {
          const k = c.destinationBuckets.findIndex((d) => d.bucketName === r.destinationBucket);
          ctx.addIssue({
            code: "custom",
            path: rulePath(j, "destinationBucket"),
            message: `is ${r.destinationBucket}, which has no objectLock, but ${b.bucketName} has Object Lock: S3 fails every locked version replicated into a bucket without it (DstBucketObjectLockConfigMissing). Add objectLock to destinationBuckets.${k}, or replicate into a locked bucket`,
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
    twoWayChecks(c, ctx);
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
    (c) => ({
      shape: "fleet" as const,
      sourceAccount: c.sourceAccount,
      destinationAccount: c.destinationAccount,
      sourceBuckets: c.sourceBuckets.map((b) => ({
        ...b,
        rules: b.rules.map(({ reverseRoleName: reverse, ...r }) => ({
          ...r,
          metrics: resolvedMetrics(r, c.monitoring.enabled),
          ...(r.twoWay ? { reverseRoleName: reverse ?? defaultReverseRoleName(r.destinationBucket) } : {}),
        })),
      })),
      destinationBuckets: c.destinationBuckets,
      tags: c.tags,
      backend: c.backend,
      monitoring: c.monitoring,
      ...(c.emulator ? { emulator: c.emulator } : {}),
    }),
  );
