// The organization file shape: many of Alice's accounts (workload accounts, each with its buckets
// and rules as in a fleet) replicating into one or more of Bob's (central archive accounts). It
// becomes one fleet per source account, the slice of the organization that account's stack and
// its part of a destination stack are built from, each validated by the fleet's own rules; the
// errors of a slice name the organization's fields. What this version refuses, it says why.
import { z } from "zod";
import type { AccountConfig, DestinationBucketConfig, ReplicationConfig } from "./types";
import { accountId, backend, credentials, emulator, monitoring, region, schemaReference, tags } from "./fields";
import { destinationBucket, fleetSchema, sourceBucket } from "./fleet";

/** A short name: the stacks are source-<name> and dest-<name>, and state and workspaces are named after them. */
const accountName = z
  .string()
  .regex(/^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$/, 'must be 1 to 32 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen, e.g. "payments"');

const sourceAccountEntry = z
  .strictObject({
    name: accountName.describe("the account's short name: its stack is source-<name>"),
    accountId: accountId.describe("the workload account's 12-digit ID, as a string"),
    region: region.describe("region of all of the account's buckets and keys"),
    credentials: credentials.optional(),
    sourceBuckets: z.array(sourceBucket).min(1, "needs at least one bucket").describe("the account's buckets and their rules, as a fleet's sourceBuckets"),
  })
  .describe("one of Alice's (workload) accounts");

const destinationAccountEntry = z
  .strictObject({
    name: accountName.describe("the account's short name: its stack is dest-<name>"),
    accountId: accountId.describe("the archive account's 12-digit ID, as a string"),
    region: region.describe("region of all of the account's buckets and keys"),
    credentials: credentials.optional(),
    destinationBuckets: z.array(destinationBucket).min(1, "needs at least one bucket").describe("the account's buckets, as a fleet's destinationBuckets"),
  })
  .describe("one of Bob's (archive) accounts");

/** The shape as written; the rules across accounts are checked by organizationConfig below. */
export const organizationSchema = z.strictObject({
  $schema: schemaReference,
  sourceAccounts: z.array(sourceAccountEntry).min(1, "needs at least one source account").describe("the accounts whose buckets replicate (a stack each: source-<name>)"),
  destinationAccounts: z.array(destinationAccountEntry).min(1, "needs at least one destination account").describe("the accounts that hold the replicas (a stack each: dest-<name>)"),
  tags,
  backend,
  monitoring,
  emulator: emulator.optional(),
});

export type OrganizationStackName = `source-${string}` | `dest-${string}`;

/** One of Alice's accounts: its stack and the fleet it replicates, into one of Bob's accounts. */
export interface OrganizationSourceAccount {
  name: string;
  stack: `source-${string}`;
  /** The name of the destination account its rules replicate into. */
  destination: string;
  /** Its slice: this account, its destination account, its buckets and the buckets of Bob's they name. */
  config: ReplicationConfig;
}

/** One of Bob's accounts: its stack, its buckets and the source accounts that write into them. */
export interface OrganizationDestinationAccount {
  name: string;
  stack: `dest-${string}`;
  account: AccountConfig;
  /** Its buckets, in the config's order. */
  destinationBuckets: DestinationBucketConfig[];
  /** The source accounts (names) whose rules write here, in the config's order. */
  writers: string[];
}

export interface OrganizationConfig {
  shape: "organization";
  sourceAccounts: OrganizationSourceAccount[];
  destinationAccounts: OrganizationDestinationAccount[];
  backend: ReplicationConfig["backend"];
}

type Issue = z.core.$ZodIssue;
type Raw = z.input<typeof organizationSchema> & Record<string, any>;

/** Whether a parsed file is written in the organization shape. */
export const isOrganization = (raw: unknown): boolean => typeof raw === "object" && raw !== null && ["sourceAccounts", "destinationAccounts"].some((k) => k in raw);

/**
 * The rules across accounts: every rule names a bucket of one destination account, a source
 * account replicates into one destination account, a bucket of Bob's receives from one source
 * account. Each source account's slice is then validated as a fleet.
 */
export function organizationConfig(input: unknown): { data: OrganizationConfig } | { issues: Issue[] } {
  const shape = organizationSchema.safeParse(input, { reportInput: true });
  if (!shape.success) return { issues: shape.error.issues };
  const raw = input as Raw;
  const issues: Issue[] = [];
  const add = (path: PropertyKey[], message: string) => issues.push({ path, message, code: "custom", input: undefined } as Issue);

  const names = (list: { name: string }[], field: string) => {
    const seen = new Map<string, number>();
    list.forEach((a, i) => {
      if (seen.has(a.name)) add([field, i, "name"], `is also ${field}.${seen.get(a.name)}.name: each account's stack is named after it`);
      else seen.set(a.name, i);
    });
  };
  names(raw.sourceAccounts, "sourceAccounts");
  names(raw.destinationAccounts, "destinationAccounts");
  const accountAt = new Map<string, string>();
  for (const [field, list] of [["sourceAccounts", raw.sourceAccounts], ["destinationAccounts", raw.destinationAccounts]] as const) {
    list.forEach((a, i) => {
      const first = accountAt.get(a.accountId);
      if (first) add([field, i, "accountId"], `is also ${first}: list each account once, as a source or as a destination (cross-account replication only)`);
      else accountAt.set(a.accountId, `${field}.${i}.accountId`);
    });
  }
  // Bucket names are global: each is listed once in the whole organization.
  const bucketAt = new Map<string, string>();
  const ownerOf = new Map<string, number>(); // a bucket of Bob's -> its destination account
  raw.destinationAccounts.forEach((d, k) =>
    d.destinationBuckets.forEach((b, j) => {
      const first = bucketAt.get(b.bucketName);
      if (first) add(["destinationAccounts", k, "destinationBuckets", j, "bucketName"], `is also ${first}: bucket names are global, each bucket is listed once`);
      else {
        bucketAt.set(b.bucketName, `destinationAccounts.${k}.destinationBuckets.${j}.bucketName`);
        ownerOf.set(b.bucketName, k);
      }
    }),
  );
  // An alias names one key in its account; a slice sees only its own of Bob's buckets.
  raw.destinationAccounts.forEach((d, k) => {
    const aliasAt = new Map<string, number>();
    d.destinationBuckets.forEach((b, j) => {
      if (aliasAt.has(b.kmsKeyAlias)) add(["destinationAccounts", k, "destinationBuckets", j, "kmsKeyAlias"], `is also destinationAccounts.${k}.destinationBuckets.${aliasAt.get(b.kmsKeyAlias)}.kmsKeyAlias: each bucket gets its own key, and an alias names one key in the account`);
      else aliasAt.set(b.kmsKeyAlias, j);
    });
  });
  raw.sourceAccounts.forEach((a, i) =>
    a.sourceBuckets.forEach((b, j) => {
      const first = bucketAt.get(b.bucketName);
      if (first) add(["sourceAccounts", i, "sourceBuckets", j, "bucketName"], `is also ${first}: bucket names are global, and a bucket is either a source or a destination here`);
      else bucketAt.set(b.bucketName, `sourceAccounts.${i}.sourceBuckets.${j}.bucketName`);
    }),
  );

  const destinationOf: (number | undefined)[] = [];
  const writerOf = new Map<string, number>(); // a bucket of Bob's -> the source account writing into it
  raw.sourceAccounts.forEach((a, i) => {
    let into: number | undefined;
    a.sourceBuckets.forEach((b, j) =>
      b.rules.forEach((r, n) => {
        const at = ["sourceAccounts", i, "sourceBuckets", j, "rules", n];
        if (r.twoWay) add([...at, "twoWay"], "two-way replication is not supported in an organization yet: replicate one way here, or make this pair a config of its own (docs/two-way.md)");
        const k = ownerOf.get(r.destinationBucket);
        if (k === undefined) {
          add([...at, "destinationBucket"], `is no bucket of any destination account (destinationAccounts[].destinationBuckets): add it there or correct the name`);
          return;
        }
        if (into === undefined) into = k;
        else if (k !== into) {
          add(
            [...at, "destinationBucket"],
            `is a bucket of destinationAccounts.${k} (${raw.destinationAccounts[k].name}), but this account's other rules replicate into destinationAccounts.${into} (${raw.destinationAccounts[into].name}): a source account replicates into one destination account in this version; move these buckets into a second config`,
          );
          return;
        }
        const writer = writerOf.get(r.destinationBucket);
        if (writer !== undefined && writer !== i) {
          add(
            [...at, "destinationBucket"],
            `is also written by sourceAccounts.${writer} (${raw.sourceAccounts[writer].name}): a bucket of Bob's receives from one source account, so its policies admit that account's roles alone and verify proves each account apart; give each account a bucket of its own`,
          );
        } else writerOf.set(r.destinationBucket, i);
      }),
    );
    destinationOf.push(into);
  });
  raw.destinationAccounts.forEach((d, k) =>
    d.destinationBuckets.forEach((b, j) => {
      if (ownerOf.get(b.bucketName) === k && !writerOf.has(b.bucketName)) add(["destinationAccounts", k, "destinationBuckets", j, "bucketName"], "is the destination of no rule: remove it, or add a rule that replicates into it");
    }),
  );
  if (raw.backend?.type === "cloud" && Object.keys((raw.backend as any).workspaces ?? {}).length) {
    add(["backend", "workspaces"], "names the two stacks of a pair or fleet: an organization's workspaces are <workspacePrefix>-<stack> (source-<name>, dest-<name>); remove it");
  }
  if (issues.length) return { issues };

  // Each source account's slice, validated as a fleet; its errors named at the organization's fields.
  const shared = { tags: raw.tags, backend: raw.backend, monitoring: raw.monitoring, ...(raw.emulator ? { emulator: raw.emulator } : {}) };
  const sourceAccounts: OrganizationSourceAccount[] = [];
  const seenMessages = new Set<string>();
  raw.sourceAccounts.forEach((a, i) => {
    const k = destinationOf[i]!;
    const d = raw.destinationAccounts[k];
    const named = new Set(a.sourceBuckets.flatMap((b) => b.rules.map((r) => r.destinationBucket)));
    const kept = d.destinationBuckets.map((b, j) => [b, j] as const).filter(([b]) => named.has(b.bucketName));
    const account = (x: { accountId: string; region: string; credentials?: unknown }) => ({ accountId: x.accountId, region: x.region, ...(x.credentials ? { credentials: x.credentials } : {}) });
    const slice = fleetSchema.safeParse(
      { sourceAccount: account(a), destinationAccount: account(d), sourceBuckets: a.sourceBuckets, destinationBuckets: kept.map(([b]) => b), ...shared },
      { reportInput: true },
    );
    if (slice.success) {
      sourceAccounts.push({ name: a.name, stack: `source-${a.name}`, destination: d.name, config: slice.data as ReplicationConfig });
      return;
    }
    for (const issue of slice.error.issues) {
      const [head, index, ...rest] = issue.path;
      const path =
        head === "sourceAccount" ? ["sourceAccounts", i, ...issue.path.slice(1)]
        : head === "destinationAccount" ? ["destinationAccounts", k, ...issue.path.slice(1)]
        : head === "sourceBuckets" ? ["sourceAccounts", i, "sourceBuckets", index, ...rest]
        : head === "destinationBuckets" ? ["destinationAccounts", k, "destinationBuckets", kept[index as number]?.[1] ?? index, ...rest]
        : issue.path;
      // The fleet's messages name its own fields (sourceBuckets.0...): name the organization's.
      const message = issue.message
        .replace(/\bsourceBuckets\.(\d+)/g, `sourceAccounts.${i}.sourceBuckets.$1`)
        .replace(/\bdestinationBuckets\.(\d+)/g, (_, j) => `destinationAccounts.${k}.destinationBuckets.${kept[Number(j)]?.[1] ?? j}`);
      const key = `${path.join(".")}: ${message}`;
      if (seenMessages.has(key)) continue; // a shared field (backend, monitoring) is checked in every slice
      seenMessages.add(key);
      issues.push({ ...issue, path, message } as Issue);
    }
  });
  if (issues.length) return { issues };

  const destinationAccounts = raw.destinationAccounts.map((d, k): OrganizationDestinationAccount => {
    const writers = raw.sourceAccounts.filter((_, i) => destinationOf[i] === k).map((a) => a.name);
    const buckets = new Map(sourceAccounts.filter((s) => writers.includes(s.name)).flatMap((s) => s.config.destinationBuckets.map((b) => [b.bucketName, b] as const)));
    return {
      name: d.name,
      stack: `dest-${d.name}`,
      account: { accountId: d.accountId, region: d.region, ...(d.credentials ? { credentials: d.credentials } : {}) } as AccountConfig,
      destinationBuckets: d.destinationBuckets.map((b) => buckets.get(b.bucketName)!),
      writers,
    };
  });
  return { data: { shape: "organization", sourceAccounts, destinationAccounts, backend: sourceAccounts[0].config.backend } };
}

/** Every stack of an organization: its source stacks, then its destination stacks. */
export const organizationStackNames = (c: OrganizationConfig): OrganizationStackName[] => [...c.sourceAccounts.map((a) => a.stack), ...c.destinationAccounts.map((d) => d.stack)];
