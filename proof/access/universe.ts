// The universe the access analysis asks about: every principal that could knock (the deployment's
// roles, each account's root and an administrator, a role whose name shares the replication
// roles' prefix, a third account, anonymous, the AWS services), every resource the stacks govern
// with the policy that governs it, and probe resources outside the deployment that a role must not
// reach. Built from the model alone.
import { wildcardMatch } from "./catalogue";
import { anonymousPrincipal, type AnonymousRequestPrincipal } from "@cloud-copilot/iam-simulate";
import { accountRootArn, assumedRoleSessionArn, bucketArn, kmsKeyArn, roleArn, snsTopicArn } from "../../lib/arns";
import { BATCH_OPERATIONS_SERVICE, CLOUDWATCH_SERVICE, S3_SERVICE } from "../../lib/aws-facts";
import type { PolicyDocument, PolicyStatement } from "../../lib/policies";
import { OUTSIDER_ACCOUNT } from "../synth/references";
import type { FleetModel, KeyModel, ReplicationModel } from "../synth/model";
import type { Service } from "./catalogue";
import { lookalikeBucket, objectIn, reportObjectIn } from "../samples";

export interface Principal {
  id: string;
  label: string;
  /** What the engine is told makes the request. */
  request: string | AnonymousRequestPrincipal;
  /** Its account; undefined for AWS services and anonymous. */
  account?: string;
  /** aws:PrincipalArn (a role's ARN for its sessions). */
  arn?: string;
  service?: string;
  /** The source bucket whose replication (or backfill) role this is. */
  replication?: ReplicationModel;
  role?: "replication" | "backfill";
}

export type ResourceKind = "bucket" | "object" | "key" | "role" | "topic";

export interface Resource {
  arn: string;
  label: string;
  account: string;
  region: string;
  kind: ResourceKind;
  service: Service;
  /** The policy that governs it, as deployed (undefined: none). */
  policy?: PolicyDocument;
  policyLabel: string;
  /** The report section it belongs to. */
  group: string;
  blockPublicAccess?: boolean;
  /** A key's aliases (kms:ResourceAliases). */
  aliases?: string[];
  /** For a key: the buckets (ARNs) whose objects it encrypts, and report objects. */
  encrypts?: string[];
  /** Not the deployment's: a stand-in outside it, probed by the roles. */
  probe?: boolean;
}

/** The services whose principals the universe holds, beyond those any policy names. */
export const UNIVERSE_SERVICES = [S3_SERVICE, BATCH_OPERATIONS_SERVICE, "sns.amazonaws.com", CLOUDWATCH_SERVICE, "events.amazonaws.com", "lambda.amazonaws.com"];

export { lookalikeBucket, objectIn, reportObjectIn };


function accountPrincipals(who: string, account: string): Principal[] {
  return [
    { id: `${who}-root`, label: `${who}'s account root`, request: accountRootArn(account), account, arn: accountRootArn(account) },
    {
      id: `${who}-admin`,
      label: `an administrator of ${who}'s account`,
      request: assumedRoleSessionArn(account, "administrator", "admin"),
      account,
      arn: roleArn(account, "administrator"),
    },
  ];
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/([\w+=,.@/-]+)$/;

/**
 * Every role a policy names (as a principal, or as the exact aws:PrincipalArn of a condition) that
 * is none of `known`: a grant to a role the deployment does not hold (a way back removed from Bob's
 * stack, a role added by hand) is then asked about like any other caller, and fails unless intended.
 */
export function namedRolePrincipals(docs: (PolicyDocument | undefined)[], known: Principal[]): Principal[] {
  const seen = new Set(known.map((p) => p.arn).filter(Boolean));
  const arns = docs.flatMap((d) =>
    (d?.Statement ?? []).flatMap((st: PolicyStatement) => [
      ...(typeof st.Principal === "object" && "AWS" in st.Principal ? [st.Principal.AWS].flat() : []),
      ...Object.values(st.Condition ?? {}).flatMap((byKey) => Object.entries(byKey ?? {}).flatMap(([key, values]) => (key.toLowerCase() === "aws:principalarn" ? [values].flat() : []))),
    ]),
  );
  const out: Principal[] = [];
  for (const arn of arns.map(String)) {
    const match = ROLE_ARN.exec(arn);
    if (!match || seen.has(arn)) continue;
    seen.add(arn);
    const [, account, name] = match;
    out.push({ id: `named-role:${arn}`, label: `the role ${arn} (a policy names it; the deployment holds no such role)`, request: assumedRoleSessionArn(account, name, "session"), account, arn });
  }
  return out;
}

/** Every policy document of a model (its roles', buckets', keys' and the alerts'). */
export const policiesOf = (m: FleetModel): (PolicyDocument | undefined)[] => [
  ...m.replications.flatMap((r) => [r.role.trustPolicy, r.backfill?.role.trustPolicy, r.sourceBucket.policy, r.sourceKey?.policy, ...r.rules.map((x) => x.replicaKey?.policy)]),
  ...m.destinationBuckets.flatMap((d) => [d.bucket.policy, d.key?.policy]),
  m.alerts?.policy,
  m.alerts?.key?.policy,
];

/** Every service principal any policy of the model names. */
function namedServices(docs: (PolicyDocument | undefined)[]): string[] {
  const services = docs.flatMap((d) =>
    (d?.Statement ?? []).flatMap((s: PolicyStatement) => (typeof s.Principal === "object" && "Service" in s.Principal ? [s.Principal.Service].flat() : [])),
  );
  return services.map(String);
}

/** The roles of one direction's replications (and backfills), as principals of its source account. */
export function rolePrincipalsOf(m: FleetModel): Principal[] {
  const sourceAccount = m.source.account;
  return m.replications.flatMap((r): Principal[] => [
    {
      id: `replication-role:${r.sourceBucket.name}`,
      label: `the replication role of ${r.sourceBucket.name}`,
      request: assumedRoleSessionArn(sourceAccount, r.role.name, "s3-replication"),
      account: sourceAccount,
      arn: r.role.arn,
      replication: r,
      role: "replication",
    },
    ...(r.backfill
      ? [
          {
            id: `backfill-role:${r.sourceBucket.name}`,
            label: `the backfill role of ${r.sourceBucket.name}`,
            request: assumedRoleSessionArn(sourceAccount, r.backfill.role.name, "s3-batch-operations"),
            account: sourceAccount,
            arn: r.backfill.role.arn,
            replication: r,
            role: "backfill" as const,
          },
        ]
      : []),
  ]);
}

/** A role of the source account whose name begins like the first replication role's: a policy must not admit it by a wildcard. */
export function lookalikeRoleOf(m: FleetModel, who: "Alice" | "Bob"): Principal {
  const account = m.source.account;
  const firstRole = m.replications[0]?.role.name ?? "s3-replication";
  return {
    id: `${who.toLowerCase()}-lookalike-role`,
    label: `another role of ${who}'s whose name begins like a replication role's (${firstRole}-lookalike)`,
    request: assumedRoleSessionArn(account, `${firstRole}-lookalike`, "session"),
    account,
    arn: roleArn(account, `${firstRole}-lookalike`),
  };
}

export function principalsOf(m: FleetModel): Principal[] {
  const sourceAccount = m.source.account;
  const roles = rolePrincipalsOf(m);
  const lookalike = lookalikeRoleOf(m, "Alice");
  const services = [...new Set([...UNIVERSE_SERVICES, ...namedServices(policiesOf(m))])];
  return [
    ...roles,
    ...accountPrincipals("Alice", sourceAccount),
    lookalike,
    ...accountPrincipals("Bob", m.destination.account),
    ...accountPrincipals("a third account", OUTSIDER_ACCOUNT),
    { id: "anonymous", label: "anyone (anonymous)", request: anonymousPrincipal },
    ...services.map((service): Principal => ({ id: `service:${service}`, label: `the AWS service ${service}`, request: service, service })),
  ];
}

const keyResource = (key: KeyModel, label: string, group: string, encrypts: string[]): Resource => ({
  arn: key.arn,
  label,
  account: key.account,
  region: key.region,
  kind: "key",
  service: "kms",
  policy: key.policy,
  policyLabel: `key policy of ${label}`,
  group,
  aliases: key.aliases,
  encrypts,
});

/** Every resource the stacks govern, once each, with its policy. */
export function governedResources(m: FleetModel, groups: { destination: string; alerts: string }): Resource[] {
  const out = new Map<string, Resource>();
  const add = (r: Resource) => {
    const seen = out.get(r.arn);
    if (seen) seen.encrypts = [...new Set([...(seen.encrypts ?? []), ...(r.encrypts ?? [])])];
    else out.set(r.arn, r);
  };
  for (const r of m.replications) {
    const b = r.sourceBucket;
    const group = b.name;
    const onBucket = { account: b.account, region: b.region, service: "s3" as const, policy: b.policy, policyLabel: `bucket policy of ${b.name}`, group, blockPublicAccess: b.restrictPublicBuckets };
    add({ ...onBucket, arn: b.arn, label: `Alice's bucket ${b.name}`, kind: "bucket" });
    add({ ...onBucket, arn: objectIn(b.arn), label: `an object of ${b.name}`, kind: "object" });
    if (r.backfill) add({ ...onBucket, arn: reportObjectIn(b.arn, r.backfill.reportPrefix), label: `a backfill report in ${b.name}`, kind: "object" });
    if (r.sourceKey) {
      const reports = r.backfill ? [reportObjectIn(b.arn, r.backfill.reportPrefix)] : [];
      add(keyResource(r.sourceKey, `Alice's key of ${b.name}`, group, [b.arn, ...reports]));
    }
    const trust = (role: { arn: string; trustPolicy: PolicyDocument }, what: string): Resource => ({
      arn: role.arn,
      label: `the ${what} role of ${b.name}`,
      account: b.account,
      region: b.region,
      kind: "role",
      service: "sts",
      policy: role.trustPolicy,
      policyLabel: `trust policy of the ${what} role of ${b.name}`,
      group,
    });
    add(trust(r.role, "replication"));
    if (r.backfill) add(trust(r.backfill.role, "backfill"));
  }
  for (const { bucket: b, key } of m.destinationBuckets) {
    const onBucket = { account: b.account, region: b.region, service: "s3" as const, policy: b.policy, policyLabel: `bucket policy of ${b.name}`, group: groups.destination, blockPublicAccess: b.restrictPublicBuckets };
    add({ ...onBucket, arn: b.arn, label: `Bob's bucket ${b.name}`, kind: "bucket" });
    add({ ...onBucket, arn: objectIn(b.arn), label: `an object of ${b.name}`, kind: "object" });
    if (key) add(keyResource(key, `Bob's key of ${b.name}`, groups.destination, [b.arn]));
  }
  // A replica key the rules name that is not a destination bucket's own key is still governed.
  for (const r of m.replications) for (const rule of r.rules) if (rule.replicaKey && !out.has(rule.replicaKey.arn)) add(keyResource(rule.replicaKey, `the replica key of rule ${rule.id}`, groups.destination, []));
  const alerts = m.alerts;
  if (alerts) {
    add({
      arn: alerts.topicArn,
      label: "the alerts topic",
      account: m.source.account,
      region: alerts.region,
      kind: "topic",
      service: "sns",
      policy: alerts.policy,
      policyLabel: "policy of the alerts topic",
      group: groups.alerts,
    });
    if (alerts.key) add(keyResource(alerts.key, "the alerts topic's key", groups.alerts, []));
  }
  return [...out.values()];
}

/** A pattern's wildcards filled in: one resource the pattern names. */
const instanceOf = (pattern: string) => pattern.replace(/[*?]/g, "x");

/**
 * One resource of every Resource pattern the statements name (an object under
 * "bucket/customers/*", a key of "arn:aws:kms:*:*:key/*"), so that a grant on a narrower prefix or
 * a wider pattern than the probes' is asked about too. A bucket the deployment holds keeps its
 * account and policy; anything else is taken to be a third account's.
 */
export function resourcesNamedBy(statements: PolicyStatement[], known: Resource[] | ReadonlyMap<string, Resource>): Resource[] {
  const byArn = known instanceof Map ? known : new Map((known as Resource[]).map((r) => [r.arn, r]));
  const out = new Map<string, Resource>();
  for (const pattern of statements.flatMap((s) => [s.Resource ?? []].flat()).map(String)) {
    const arn = instanceOf(pattern);
    if (byArn.has(arn) || out.has(arn)) continue;
    const base = { policyLabel: "(named by a policy)", group: "", probe: true };
    const s3 = arn.match(/^arn:aws:s3:::([^/]+)(\/.*)?$/);
    if (s3) {
      const bucket = byArn.get(`arn:aws:s3:::${s3[1]}`);
      const where = bucket ? { account: bucket.account, region: bucket.region, policy: bucket.policy, policyLabel: bucket.policyLabel, group: bucket.group, blockPublicAccess: bucket.blockPublicAccess, probe: false } : { account: OUTSIDER_ACCOUNT, region: "us-east-1" };
      out.set(arn, { ...base, ...where, arn, label: s3[2] ? `an object ${arn}` : `the bucket ${arn}`, kind: s3[2] ? "object" : "bucket", service: "s3" });
      continue;
    }
    const kms = arn.match(/^arn:aws:kms:([a-z0-9-]+):(\d{12}):key\/.+$/);
    if (kms) out.set(arn, { ...base, arn, label: `the key ${arn}`, account: kms[2], region: kms[1], kind: "key", service: "kms", aliases: [], encrypts: [] });
  }
  return [...out.values()];
}

/**
 * Stand-ins outside the deployment, one of each kind per account (Alice's, Bob's, a third's). The
 * probe keys carry every alias the deployment's keys have (anyone may name a key so in their own
 * account), and Bob's has a twin in another region, where his aliases may exist again.
 */
export function probeResources(m: FleetModel): Resource[] {
  const aliases = [...new Set(m.keys.flatMap((k) => k.aliases))];
  const otherRegion = m.destination.region === "eu-west-1" ? "eu-central-1" : "eu-west-1";
  const firstSource = m.replications[0]?.sourceBucket.arn ?? bucketArn("alice-bucket");
  const firstDestination = m.destinationBuckets[0]?.bucket.arn ?? bucketArn("bob-bucket");
  const accounts = [
    { who: "Alice's", account: m.source.account, region: m.source.region, bucket: lookalikeBucket(firstSource) },
    { who: "Bob's", account: m.destination.account, region: m.destination.region, bucket: lookalikeBucket(firstDestination) },
    { who: "a third account's", account: OUTSIDER_ACCOUNT, region: m.destination.region, bucket: bucketArn(`outsider-bucket-${OUTSIDER_ACCOUNT}`) },
  ];
  return accounts.flatMap(({ who, account, region, bucket }): Resource[] => {
    const base = { account, region, policyLabel: "(a probe outside the deployment)", group: "", probe: true };
    return [
      { ...base, arn: bucket, label: `another bucket of ${who}`, kind: "bucket", service: "s3" },
      { ...base, arn: objectIn(bucket), label: `an object in another bucket of ${who}`, kind: "object", service: "s3" },
      { ...base, arn: kmsKeyArn(region, account, "probe-key"), label: `another key of ${who}`, kind: "key", service: "kms", aliases: ["alias/probe-key", ...(account === m.destination.account ? [] : aliases)], encrypts: [bucket] },
      ...(account === m.destination.account
        ? [{ ...base, arn: kmsKeyArn(otherRegion, account, "probe-key"), label: `a key of ${who} in ${otherRegion}, with the same aliases`, kind: "key" as const, service: "kms" as const, region: otherRegion, aliases, encrypts: [bucket] }]
        : []),
      { ...base, arn: roleArn(account, "probe-role"), label: `another role of ${who}`, kind: "role", service: "sts" },
      { ...base, arn: snsTopicArn(region, account, "probe-topic"), label: `a topic of ${who}`, kind: "topic", service: "sns" },
    ];
  });
}

/**
 * The resources a Resource pattern can match, found by the pattern's literal prefix (ARNs sorted
 * once) rather than by trying every resource: a fleet's roles each name a few ARNs, and trying all
 * of them for every role would grow with the fleet's square.
 */
export class ResourceIndex {
  private readonly sorted: Resource[];

  constructor(resources: Resource[]) {
    this.sorted = [...resources].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  }

  /** Every indexed resource whose ARN `pattern` matches (IAM's * and ?, case-sensitive). */
  matching(pattern: string): Resource[] {
    const prefix = pattern.split(/[*?$]/)[0];
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid].arn < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: Resource[] = [];
    const exact = prefix === pattern;
    for (let i = lo; i < this.sorted.length && this.sorted[i].arn.startsWith(prefix); i++) {
      const r = this.sorted[i];
      if (exact ? r.arn === pattern : wildcardMatch(pattern, r.arn, false)) out.push(r);
    }
    return out;
  }
}
