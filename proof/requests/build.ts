// The one builder of declared requests (./declared-requests.ts): each line, in each scope it
// applies to, becomes simulations with the principal, the policies and the context AWS would see.
import { anonymousPrincipal } from "@cloud-copilot/iam-simulate";
import { assumedRoleSessionArn, bucketArn, cloudwatchAlarmArn, kmsKeyArn, roleArn, s3ServiceEndpoint } from "../../lib/arns";
import { BATCH_OPERATIONS_SERVICE, CLOUDWATCH_SERVICE, S3_SERVICE } from "../../lib/aws-facts";
import type { PolicyDocument } from "../../lib/policies";
import { ALERTS_GROUP } from "../checks/static-checks";
import { type BucketModel, type FleetModel, type KeyModel, type ReplicationModel, type RuleModel } from "../synth/model";
import { overridesOwner } from "../replication-rule";
import { OUTSIDER_ACCOUNT } from "../synth/references";
import { DECLARED_REQUESTS, type Caller, type DeclaredRequest, type Scope, type Target } from "./declared-requests";
import type { RequestCheck } from "./request";
import { lookalikeBucket, objectIn, reportObjectIn } from "../samples";

/** The stand-in name of the role Alice deploys the source stack with (the proof cannot know the real one). */
export const ALICE_DEPLOYER_ROLE = "alice-deployer";

/** Up to this many buckets of Bob's, each role is checked against every one it has no rule for; beyond, against one. */
export const ISOLATION_ALL_PAIRS_UP_TO = 20;

const ADMINISTRATOR: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "AdministratorAccess", Effect: "Allow", Action: "*", Resource: "*" }] };

const lookalikeObject = (arn: string) => objectIn(lookalikeBucket(arn));

/**
 * The encryption context S3 sends for objects of this bucket as its default encryption writes them:
 * with Bucket Keys the bucket ARN, without them the object's ARN.
 */
const defaultEncryptionContext = (bucket: { arn: string; sse?: { bucketKeyEnabled: boolean } }): string => (bucket.sse?.bucketKeyEnabled ? bucket.arn : objectIn(bucket.arn));

type Bucket = Pick<BucketModel, "arn" | "name" | "account" | "policy" | "restrictPublicBuckets" | "sse">;

/** A key verify could not resolve: no policy, so every request on it is denied (and a check says why). */
const missingKey = (account: string, region: string): KeyModel => ({
  arn: kmsKeyArn(region, account, "unresolved"),
  account,
  region,
  policy: { Version: "2012-10-17", Statement: [] },
  aliases: [],
  customerManaged: false,
});

/** A rule's destination as the requests see it: the dest stack's bucket, or what the rule names. */
function destinationOf(m: FleetModel, rule: RuleModel): Bucket {
  return rule.destinationBucket ?? { arn: bucketArn(rule.destinationName || "unknown-destination"), name: rule.destinationName, account: m.destination.account, restrictPublicBuckets: false };
}

/** What a line is resolved against: a replication role and, in a destination or isolation scope, one of Bob's buckets. */
interface Binding {
  m: FleetModel;
  r?: ReplicationModel;
  destination?: { bucket: Bucket; key: KeyModel; label: string; ownerOverride: boolean };
}

const context = (entries: [string, string | string[] | undefined][]) => Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as Record<string, string | string[]>;

/** What a request is on, as the engine and the organization's guardrails see it. */
interface ResolvedTarget {
  resource: string;
  account: string;
  /** Where the request is sent (aws:RequestedRegion). */
  region: string;
  policy?: PolicyDocument;
  policyName: string;
  blockPublicAccess?: boolean;
  key?: KeyModel;
  bucket?: Bucket;
}

function resolveTarget(b: Binding, on: Target): ResolvedTarget {
  const { m, r } = b;
  const src = r?.sourceBucket;
  const regionOf = (account: string) => (account === m.source.account ? m.source.region : m.destination.region);
  const onBucket = (bucket: Bucket, resource: string) => ({
    resource,
    account: bucket.account,
    region: regionOf(bucket.account),
    policy: bucket.policy,
    policyName: `bucket policy of ${bucket.name}`,
    blockPublicAccess: bucket.restrictPublicBuckets,
    bucket,
  });
  const onKey = (key: KeyModel, label: string, bucket?: Bucket) => ({ resource: key.arn, account: key.account, region: key.region, policy: key.policy, policyName: `key policy of ${label}`, key, bucket });
  switch (on) {
    case "replication-role":
      return { resource: r!.role.arn, account: m.source.account, region: m.source.region, policy: r!.role.trustPolicy, policyName: "trust policy of the replication role" };
    case "backfill-role":
      return { resource: r!.backfill!.role.arn, account: m.source.account, region: m.source.region, policy: r!.backfill!.role.trustPolicy, policyName: "trust policy of the backfill role" };
    case "source-bucket":
      return onBucket(src!, src!.arn);
    case "source-object":
      return onBucket(src!, objectIn(src!.arn));
    case "report-object":
      return onBucket(src!, reportObjectIn(src!.arn, r!.backfill!.reportPrefix));
    case "other-bucket-object":
      return { resource: lookalikeObject(src!.arn), account: m.source.account, region: m.source.region, policyName: "no bucket policy" };
    case "source-key":
      return onKey(r!.sourceKey ?? missingKey(m.source.account, m.source.region), "Alice's source key", src);
    case "destination-bucket":
      return onBucket(b.destination!.bucket, b.destination!.bucket.arn);
    case "destination-object":
      return onBucket(b.destination!.bucket, objectIn(b.destination!.bucket.arn));
    case "replica-key":
      return onKey(b.destination!.key, b.destination!.label, b.destination!.bucket);
    case "alerts-topic":
      return { resource: m.alerts!.topicArn, account: m.source.account, region: m.alerts!.region, policy: m.alerts!.policy, policyName: "policy of the alerts topic" };
    case "alerts-key": {
      const key = m.alerts!.key ?? missingKey(m.source.account, m.alerts!.region);
      return { resource: key.arn, account: m.source.account, region: key.region, policy: key.policy, policyName: "key policy of the alerts key" };
    }
  }
}

/** The caller's principal, identity policies and the context it sends (before the line's changes). */
function resolveCaller(b: Binding, caller: Caller, q: DeclaredRequest) {
  const { m, r } = b;
  const sourceAccount = m.source.account;
  const tls = { "aws:SecureTransport": "true" };
  const admin = (name: string) => [{ name, policy: ADMINISTRATOR }];
  // What a service says it acts for: its own bucket or alarm and account, or (in a must-deny) another's.
  const ownSource = q.on === "alerts-topic" || q.on === "alerts-key" ? (caller === "cloudwatch-service" ? cloudwatchAlarmArn(m.alerts!.region, sourceAccount, "s3-replication-failed") : r?.sourceBucket.arn) : r?.sourceBucket.arn;
  const firstSource = m.replications[0]?.sourceBucket.arn ?? bucketArn("unknown");
  const source = {
    undefined: [ownSource, sourceAccount],
    "lookalike-bucket": [lookalikeBucket(firstSource), sourceAccount],
    "another-account-bucket": ["arn:aws:s3:::a-bucket-of-another-account", OUTSIDER_ACCOUNT],
    "another-account-alarm": [cloudwatchAlarmArn(m.alerts?.region ?? m.source.region, OUTSIDER_ACCOUNT, "x"), OUTSIDER_ACCOUNT],
  }[String(q.context?.source) as "undefined"];
  const service = (principal: string, withArn: boolean) => ({
    principal,
    identity: [],
    identityName: "identity policies",
    context: context([...Object.entries(tls), ["aws:SourceArn", withArn ? source[0] : undefined], ["aws:SourceAccount", source[1]]]),
  });
  const roleSession = (role: { name: string; arn: string; policies: { name: string; document: PolicyDocument }[] }, session: string) => ({
    principal: assumedRoleSessionArn(sourceAccount, role.name, session),
    identity: role.policies.map((p) => ({ name: p.name, policy: p.document })),
    identityName: `role policy ${role.policies.map((p) => p.name).join(", ") || "(none)"}`,
    context: { ...tls, "aws:PrincipalArn": role.arn, "aws:PrincipalAccount": sourceAccount } as Record<string, string | string[]>,
  });
  switch (caller) {
    case "s3-service":
      return service(S3_SERVICE, true);
    case "cloudwatch-service":
      return service(CLOUDWATCH_SERVICE, true);
    case "batch-operations-service":
      return { ...service(BATCH_OPERATIONS_SERVICE, false), context: { ...tls, "aws:SourceAccount": sourceAccount } };
    case "batch-operations-service-of-another-account":
      return { ...service(BATCH_OPERATIONS_SERVICE, false), context: { ...tls, "aws:SourceAccount": OUTSIDER_ACCOUNT } };
    case "replication-role":
      return roleSession(r!.role, "s3-replication");
    case "backfill-role":
      return roleSession(r!.backfill!.role, "s3-batch-operations");
    case "alice-deployer":
      return {
        principal: assumedRoleSessionArn(sourceAccount, ALICE_DEPLOYER_ROLE, "cdktf"),
        identity: admin("administrator"),
        identityName: "Alice's deployer (assumed administrator)",
        context: { ...tls, "aws:PrincipalArn": roleArn(sourceAccount, ALICE_DEPLOYER_ROLE), "aws:PrincipalAccount": sourceAccount },
      };
    case "another-principal-of-alice":
      return {
        principal: assumedRoleSessionArn(sourceAccount, "some-other-role-of-alice", "session"),
        identity: admin("administrator"),
        identityName: "another principal of Alice (assumed administrator)",
        context: { ...tls, "aws:PrincipalArn": roleArn(sourceAccount, "some-other-role-of-alice"), "aws:PrincipalAccount": sourceAccount },
      };
    case "administrator-of-another-account":
      return {
        principal: assumedRoleSessionArn(OUTSIDER_ACCOUNT, "admin", "session"),
        identity: admin("administrator"),
        identityName: "administrator of another account",
        context: { ...tls, "aws:PrincipalArn": roleArn(OUTSIDER_ACCOUNT, "admin"), "aws:PrincipalAccount": OUTSIDER_ACCOUNT },
      };
    case "anonymous":
      return { principal: anonymousPrincipal, identity: [], identityName: "identity policies", context: tls };
  }
}

/** One line in one binding: a simulation per action. */
function build(b: Binding, q: DeclaredRequest, group: string): RequestCheck[] {
  const target = resolveTarget(b, q.on);
  const caller = resolveCaller(b, q.caller, q);
  const ctx: Record<string, string | string[]> = { ...caller.context };
  if (q.context?.noTls) ctx["aws:SecureTransport"] = "false";
  if (target.key && typeof caller.principal === "string" && !q.caller.endsWith("-service")) {
    const key = target.key;
    const bucket = target.bucket ?? { arn: bucketArn("unknown") };
    const src = b.r?.sourceBucket.arn ?? bucket.arn;
    const encryptionContext = {
      undefined: defaultEncryptionContext(bucket),
      object: objectIn(bucket.arn),
      "lookalike-bucket": lookalikeObject(bucket.arn),
      report: reportObjectIn(src, b.r?.backfill?.reportPrefix ?? ""),
    }[String(q.context?.encryptionContext) as "undefined"];
    Object.assign(ctx, {
      "kms:CallerAccount": b.m.source.account,
      "kms:ViaService": q.context?.viaService ? `${q.context.viaService}.${key.region}.amazonaws.com` : s3ServiceEndpoint(key.region),
      "kms:EncryptionContext:aws:s3:arn": encryptionContext,
      ...(key.aliases.length ? { "kms:ResourceAliases": key.aliases } : {}),
    });
  }
  const title = q.title.replace("{source}", b.r?.sourceBucket.name ?? "");
  return q.actions.map((action) => ({
    id: q.id,
    group,
    title,
    expected: q.expected,
    principal: typeof caller.principal === "string" ? caller.principal : "anonymous",
    action,
    resource: target.resource,
    region: target.region,
    ...(target.key && !target.key.customerManaged ? { awsManagedKey: true } : {}),
    policyNames: { identity: caller.identityName, resource: target.policyName },
    simulation: {
      request: { principal: caller.principal, action, resource: { resource: target.resource, accountId: target.account }, contextVariables: ctx },
      identityPolicies: caller.identity,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: target.policy,
      ...(target.blockPublicAccess !== undefined ? { additionalSettings: { s3: { blockPublicAccess: target.blockPublicAccess } } } : {}),
    },
  }));
}

/** The lines of the table, in runs of one scope, in table order. */
function runs(): { scope: Scope; lines: DeclaredRequest[] }[] {
  const out: { scope: Scope; lines: DeclaredRequest[] }[] = [];
  for (const q of DECLARED_REQUESTS) {
    const last = out.at(-1);
    if (last?.scope === q.scope) last.lines.push(q);
    else out.push({ scope: q.scope, lines: [q] });
  }
  return out;
}

/** Every declared request of the fleet: per source bucket its role's (and backfill role's), then the alerts'. */
export function declaredRequests(m: FleetModel): RequestCheck[] {
  const checks: RequestCheck[] = [];
  const tableRuns = runs();
  for (const r of m.replications) {
    const group = r.sourceBucket.name;
    const byDestination = new Map<string, RuleModel[]>();
    for (const rule of r.rules) byDestination.set(rule.destinationName, [...(byDestination.get(rule.destinationName) ?? []), rule]);
    const destinations = [...byDestination.values()].map((rules) => ({
      bucket: destinationOf(m, rules[0]),
      key: rules[0].replicaKey ?? missingKey(m.destination.account, m.destination.region),
      label: "Bob's replica key",
      ownerOverride: rules.some((rule) => overridesOwner(rule.rule)),
    }));
    const others = m.destinationBuckets.filter((d) => !byDestination.has(d.bucket.name));
    const isolated = (m.destinationBuckets.length <= ISOLATION_ALL_PAIRS_UP_TO ? others : others.slice(0, 1)).map((o) => ({
      bucket: o.bucket,
      key: o.key ?? missingKey(m.destination.account, m.destination.region),
      label: `Bob's key of ${o.bucket.name}`,
      ownerOverride: false,
    }));
    for (const run of tableRuns) {
      const bindings: Binding[] =
        run.scope === "replication"
          ? [{ m, r }]
          : run.scope === "destination"
            ? destinations.map((destination) => ({ m, r, destination }))
            : run.scope === "isolation"
              ? isolated.map((destination) => ({ m, r, destination }))
              : run.scope === "backfill" && r.backfill
                ? [{ m, r }]
                : [];
      for (const binding of bindings) {
        for (const q of run.lines) {
          if (q.onlyWith === "owner-override" && !binding.destination?.ownerOverride) continue;
          if (q.onlyWith === "source-object-lock" && !binding.r?.sourceBucket.objectLock) continue;
          checks.push(...build(binding, q, group));
        }
      }
    }
  }
  if (m.alerts) {
    for (const run of tableRuns) {
      const bindings: Binding[] = run.scope === "alerts-per-source" ? m.replications.map((r) => ({ m, r })) : run.scope === "alerts" ? [{ m }] : [];
      for (const binding of bindings) for (const q of run.lines) checks.push(...build(binding, q, ALERTS_GROUP));
    }
  }
  return checks;
}
