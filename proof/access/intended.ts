// The intended-access table (proof/requests/intended-access.ts) bound to one deployment: per
// source bucket, which principal, which actions, which resources (ARNs) and which context values
// each row admits. isIntended() answers for one allowed request.
import { cloudwatchAlarmArn, s3ServiceEndpoint } from "../../lib/arns";
import { INTENDED_ACCESS, type IntendedAccess, type On, type Who } from "../requests/intended-access";
import { type FleetModel, type ReplicationModel } from "../synth/model";
import { overridesOwner } from "../replication-rule";
import { wildcardMatch } from "./catalogue";
import { reportObjectIn, type Principal, type Resource } from "./universe";

export type Context = Record<string, string | string[]>;

/** One row bound to ARNs. */
export interface BoundAccess {
  row: IntendedAccess;
  /** The source bucket whose replication the row is bound to (the report's section). */
  group: string;
  /** A principal ID of the universe, or "account:<id>" for any principal of an account. */
  principal: string;
  /** Resource ARNs; a trailing "/*" stands for every object of the bucket. */
  resources: string[];
  encryptionContext?: string[];
  sourceArns?: string[];
  sourceAccount?: string;
}

/** Which side a condition is judged on: a bucket policy promises TLS, both sides promise KMS conditions. */
export type Side = "resource" | "identity";

const objectsOf = (bucketArn: string) => `${bucketArn}/*`;

function destinationBucketsOf(m: FleetModel, r: ReplicationModel): { arn: string; keyArn?: string }[] {
  const seen = new Map<string, { arn: string; keyArn?: string }>();
  for (const rule of r.rules) {
    const arn = `arn:aws:s3:::${rule.destinationName}`;
    if (!seen.has(arn)) seen.set(arn, { arn, keyArn: rule.replicaKey?.arn ?? m.destinationBuckets.find((d) => d.bucket.arn === arn)?.key?.arn });
  }
  return [...seen.values()];
}

const ownerOverride = (r: ReplicationModel) => r.rules.some((rule) => overridesOwner(rule.rule));

/** Binds every row that applies to the deployment. */
export function bindIntendedAccess(m: FleetModel): BoundAccess[] {
  const bound: BoundAccess[] = [];
  for (const r of m.replications) {
    const src = r.sourceBucket.arn;
    const destinations = destinationBucketsOf(m, r);
    const report = r.backfill ? reportObjectIn(src, r.backfill.reportPrefix) : undefined;
    const principals: Record<Who, string> = {
      "replication-role": `replication-role:${r.sourceBucket.name}`,
      "backfill-role": `backfill-role:${r.sourceBucket.name}`,
      "s3-service": "service:s3.amazonaws.com",
      "batch-operations-service": "service:batchoperations.s3.amazonaws.com",
      "cloudwatch-service": "service:cloudwatch.amazonaws.com",
      "source-account": `account:${m.source.account}`,
    };
    const targets: Record<On, string[]> = {
      "source-bucket": [src],
      "source-objects": [objectsOf(src)],
      "report-objects": r.backfill ? [`${src}/${r.backfill.reportPrefix}*`] : [],
      "source-key": r.sourceKey ? [r.sourceKey.arn] : [],
      "destination-bucket": destinations.map((d) => d.arn),
      "destination-objects": destinations.map((d) => objectsOf(d.arn)),
      "replica-key": destinations.flatMap((d) => (d.keyArn ? [d.keyArn] : [])),
      "replication-role": [r.role.arn],
      "backfill-role": r.backfill ? [r.backfill.role.arn] : [],
      "alerts-topic": m.alerts ? [m.alerts.topicArn] : [],
      "alerts-key": m.alerts?.key ? [m.alerts.key.arn] : [],
    };
    for (const row of INTENDED_ACCESS) {
      if (row.onlyWith === "backfill" && !r.backfill) continue;
      if (row.onlyWith === "monitoring" && !m.alerts) continue;
      if (row.onlyWith === "owner-override" && !ownerOverride(r)) continue;
      if (row.onlyWith === "source-object-lock" && !r.sourceBucket.objectLock) continue;
      const when = row.when ?? {};
      const context =
        when.encryptionContext === "source"
          ? [src, objectsOf(src)]
          : when.encryptionContext === "report"
            ? report
              ? [src, `${src}/${r.backfill!.reportPrefix}*`]
              : []
            : when.encryptionContext === "destination"
              ? destinations.flatMap((d) => [d.arn, objectsOf(d.arn)])
              : undefined;
      bound.push({
        row,
        group: r.sourceBucket.name,
        principal: principals[row.who],
        resources: targets[row.on],
        ...(context ? { encryptionContext: context } : {}),
        ...(when.sourceArn === "source-bucket" ? { sourceArns: [src] } : when.sourceArn === "source-alarm" ? { sourceArns: [cloudwatchAlarmArn(m.alerts?.region ?? m.source.region, m.source.account, "*")] } : {}),
        ...(when.sourceAccount ? { sourceAccount: m.source.account } : {}),
      });
    }
  }
  return bound;
}

const matchesArn = (patterns: string[], arn: string) => patterns.some((p) => wildcardMatch(p, arn, false));
const value = (context: Context, key: string): string[] | undefined => {
  const v = context[key];
  return v === undefined ? undefined : [v].flat();
};

/**
 * The bound rows by whom they admit (a principal's id, or "account:<id>") and by the literal
 * prefix of each resource pattern (before its first wildcard), with their place in the table.
 */
interface RowIndex {
  byWho: Map<string, Map<string, { b: BoundAccess; at: number }[]>>;
  /** The lengths of the prefixes indexed: a row can match an ARN only through its prefix of one of them. */
  lengths: number[];
}
const indexes = new WeakMap<BoundAccess[], RowIndex>();
const literalPrefix = (pattern: string) => pattern.split(/[*?]/)[0];
const lengthsOf = (prefixes: Iterable<string>) => [...new Set([...prefixes].map((x) => x.length))].sort((x, y) => x - y);

function rowsFor(bound: BoundAccess[], p: Principal, arn: string): BoundAccess[] {
  let index = indexes.get(bound);
  if (!index) {
    const byWho: RowIndex["byWho"] = new Map();
    const prefixes = new Set<string>();
    bound.forEach((b, at) => {
      const byPrefix = byWho.get(b.principal) ?? new Map<string, { b: BoundAccess; at: number }[]>();
      byWho.set(b.principal, byPrefix);
      for (const prefix of new Set(b.resources.map(literalPrefix))) {
        prefixes.add(prefix);
        byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), { b, at }]);
      }
    });
    indexes.set(bound, (index = { byWho, lengths: lengthsOf(prefixes) }));
  }
  const found = new Map<number, BoundAccess>();
  for (const who of [p.id, ...(p.account && !p.service ? [`account:${p.account}`] : [])]) {
    const byPrefix = index.byWho.get(who);
    if (!byPrefix) continue;
    for (const length of index.lengths) {
      if (length > arn.length) break;
      for (const x of byPrefix.get(arn.slice(0, length)) ?? []) found.set(x.at, x.b);
    }
  }
  return [...found.entries()].sort((x, y) => x[0] - y[0]).map(([, b]) => b);
}

/** The principals that rows of the intended access name themselves (not as an account) on a resource. */
const byPattern = new WeakMap<BoundAccess[], { byPrefix: Map<string, { pattern: string; principal: string }[]>; lengths: number[] }>();
export function principalsNamedOn(bound: BoundAccess[], arn: string): Set<string> {
  let index = byPattern.get(bound);
  if (!index) {
    const byPrefix = new Map<string, { pattern: string; principal: string }[]>();
    for (const b of bound.filter((x) => !x.principal.startsWith("account:"))) {
      for (const pattern of b.resources) byPrefix.set(literalPrefix(pattern), [...(byPrefix.get(literalPrefix(pattern)) ?? []), { pattern, principal: b.principal }]);
    }
    byPattern.set(bound, (index = { byPrefix, lengths: lengthsOf(byPrefix.keys()) }));
  }
  const named = new Set<string>();
  for (const length of index.lengths) {
    if (length > arn.length) break;
    for (const x of index.byPrefix.get(arn.slice(0, length)) ?? []) if (matchesArn([x.pattern], arn)) named.add(x.principal);
  }
  return named;
}

/**
 * Whether one allowed request is intended: some bound row admits its principal, action, resource
 * and context. Only the rows of its principal and of its account are read: a fleet binds rows per
 * source bucket, and reading them all for every request would grow with the fleet's square.
 */
export function isIntended(bound: BoundAccess[], p: Principal, action: string, resource: Resource, context: Context, side: Side): BoundAccess | undefined {
  return rowsFor(bound, p, resource.arn).find((b) => {
    const who = b.principal.startsWith("account:") ? p.account === b.principal.slice("account:".length) && !p.service : b.principal === p.id;
    if (!who) return false;
    if (!b.row.actions.some((a) => wildcardMatch(a, action))) return false;
    if (!matchesArn(b.resources, resource.arn)) return false;
    const when = b.row.when ?? {};
    if (when.tls && side === "resource" && context["aws:SecureTransport"] !== "true") return false;
    if (when.viaS3 && value(context, "kms:ViaService")?.[0] !== s3ServiceEndpoint(resource.region)) return false;
    if (b.encryptionContext) {
      const ec = value(context, "kms:EncryptionContext:aws:s3:arn");
      if (!ec || !ec.every((v) => matchesArn(b.encryptionContext!, v))) return false;
    }
    if (b.sourceArns) {
      const arn = value(context, "aws:SourceArn");
      if (!arn || !arn.every((v) => matchesArn(b.sourceArns!, v))) return false;
    }
    if (b.sourceAccount && value(context, "aws:SourceAccount")?.[0] !== b.sourceAccount) return false;
    return true;
  });
}
