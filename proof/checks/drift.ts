// verify --live: every difference between what the synthesized stacks declare and what is deployed
// (a statement removed from a policy, a key disabled or pending deletion, versioning suspended, a
// rule changed, an alarm gone) as a finding with its fix. The proof itself (static checks and
// requests) runs on the deployed model as well; these findings say what moved since the deploy.
import type { PolicyDocument, PolicyStatement } from "../../lib/policies";
import { differingPaths } from "../json-diff";
import type { LiveFleet } from "../live/model";
import type { BucketModel, FleetModel, KeyModel, ManagedKeyModel, ReplicationModel, RoleModel } from "../synth/model";
import { accountRootArn } from "../../lib/arns";
import { ALERTS_GROUP, DESTINATION_GROUP, STACKS_GROUP, type Finding } from "./static-checks";
import type { StackName } from "../synth/synth-output";

export const DRIFT_CHECK = "deployed as synthesized";
export const KEY_STATE_CHECK = "key enabled";
const ADDED_OUTSIDE = "added outside the stack";

/** Sorted keys, sorted lists of strings, a one-item list as its item, an account ID as its root ARN: equal meaning, equal form. */
export function canonical(value: unknown, inPrincipal = false): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => canonical(v, inPrincipal));
    if (items.length === 1) return items[0];
    return items.every((v) => typeof v === "string") ? [...new Set(items as string[])].sort() : items;
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as any)[k], inPrincipal || k === "Principal")]),
    );
  }
  if (inPrincipal && typeof value === "string" && /^\d{12}$/.test(value)) return accountRootArn(value);
  return value;
}

const show = (v: unknown) => (v === undefined ? "not set" : JSON.stringify(v));
const at = (v: any, path: string) => (path ? path.split(".").reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), v) : v);

/** "path: synthesized → deployed" for each leaf that differs. */
function changes(expected: unknown, deployed: unknown): string[] {
  const e = canonical(expected);
  const d = canonical(deployed);
  return differingPaths(e, d).map((p) => `${p || "value"}: ${show(at(e, p))} → ${show(at(d, p))}`);
}

/** What differs between two policies, statement by statement (by Sid). */
export function policyDrift(expected: PolicyDocument | undefined, deployed: PolicyDocument | undefined): string[] {
  if (!expected && !deployed) return [];
  if (!deployed) return ["missing"];
  if (!expected) return [`present, ${ADDED_OUTSIDE}`];
  const keyOf = (s: PolicyStatement) => s.Sid || JSON.stringify(canonical(s));
  const deployedBySid = new Map(deployed.Statement.map((s) => [keyOf(s), s]));
  const expectedKeys = new Set(expected.Statement.map(keyOf));
  return [
    ...expected.Statement.flatMap((s) => {
      const d = deployedBySid.get(keyOf(s));
      if (!d) return [`statement ${s.Sid ?? JSON.stringify(s)} removed`];
      const c = changes(s, d);
      return c.length ? [`statement ${s.Sid} changed (${c.join("; ")})`] : [];
    }),
    ...deployed.Statement.filter((s) => !expectedKeys.has(keyOf(s))).map((s) => `statement ${s.Sid ?? JSON.stringify(s)} ${ADDED_OUTSIDE}`),
  ];
}

const redeploy = (stack: StackName) => `run cdktf deploy ${stack} (terraform apply of stack ${stack}): it puts back what the stack declares`;
/** The fix for policy differences: redeploy; where something was added by hand, say it goes with the next deploy. */
const policyFix = (stack: StackName, differences: string[]) =>
  redeploy(stack) +
  (differences.some((d) => d.includes(ADDED_OUTSIDE))
    ? `; a statement or policy ${ADDED_OUTSIDE}: add it to the stack if it is meant to stay (the next deploy of ${stack} removes it)`
    : "");

type Check = (group: string, what: string, differences: string[], fix: string) => void;

function bucketDrift(check: Check, group: string, e: BucketModel, d: BucketModel, exists: boolean): void {
  const what = `bucket ${e.name}`;
  if (!exists) return check(group, what, ["does not exist"], redeploy(e.stack));
  const settings = (b: BucketModel) => ({ versioning: b.versioning, sse: b.sse, publicAccessBlock: b.publicAccessBlock, objectOwnership: b.objectOwnership, objectLock: b.objectLock });
  check(group, `${what}: settings`, changes(settings(e), settings(d)), redeploy(e.stack));
  const policy = policyDrift(e.policy, d.policy);
  check(group, `${what}: bucket policy`, policy, policyFix(e.stack, policy));
}

function roleDrift(check: Check, group: string, stack: StackName, e: RoleModel, d: RoleModel): void {
  const role = `role ${e.name}`;
  check(group, `${role}: trust policy`, policyDrift(e.trustPolicy, d.trustPolicy), redeploy(stack));
  const policies = [...new Set([...e.policies.map((p) => p.name), ...d.policies.map((p) => p.name)])];
  for (const name of policies) {
    const differences = policyDrift(e.policies.find((p) => p.name === name)?.document, d.policies.find((p) => p.name === name)?.document);
    check(group, `${role}: policy ${name}`, differences, policyFix(stack, differences));
  }
}

/** A replication's roles and its configuration, rule by rule; `stack` holds them (dest: the way back of a two-way pair). */
function replicationDrift(check: Check, stack: StackName, e: ReplicationModel, r: ReplicationModel): void {
  const group = e.sourceBucket.name;
  roleDrift(check, group, stack, e.role, r.role);
  if (e.backfill && r.backfill) roleDrift(check, group, stack, e.backfill.role, r.backfill.role);
  const what = `replication configuration of ${e.sourceBucket.name}`;
  if (e.count > 0 && r.count === 0) {
    check(group, what, ["missing: nothing replicates"], redeploy(stack));
  } else if (e.count > 0) {
    const ruleIds = [...new Set([...e.rules.map((x) => x.id), ...r.rules.map((x) => x.id)])];
    const differences = [
      ...(e.role.arn !== r.role.arn ? [`role: ${e.role.arn} → ${r.role.arn}`] : []),
      ...ruleIds.flatMap((id) => {
        const synthRule = e.rules.find((x) => x.id === id)?.rule;
        const deployedRule = r.rules.find((x) => x.id === id)?.rule;
        if (!deployedRule) return [`rule ${id} removed`];
        if (!synthRule) return [`rule ${id} ${ADDED_OUTSIDE}`];
        // S3 reads a rule without a priority as priority 0.
        return changes({ priority: 0, ...synthRule }, { priority: 0, ...deployedRule }).map((c) => `rule ${id} ${c}`);
      }),
    ];
    check(group, what, differences, redeploy(stack));
  }
}

function keyDrift(check: Check, group: string, stack: StackName, label: string, e: KeyModel | undefined, d: KeyModel | undefined): void {
  if (!e) return;
  const what = `${label} (${e.aliases[0] ?? e.arn})`;
  if (!d) return check(group, what, ["not found"], redeploy(stack));
  const policy = policyDrift(e.policy, d.policy);
  check(group, `${what}: key policy`, policy, policyFix(stack, policy));
}

/** Enabled, or the command that makes it so. A key pending deletion must be recovered before terraform touches it. */
function keyStateFinding(group: string, e: ManagedKeyModel, d: ManagedKeyModel): Finding {
  const what = `aws_kms_key.${e.resourceName} (${e.aliases[0] ?? "no alias"}${d.arn !== e.arn ? `, ${d.arn}` : ""})`;
  const holds = d.state === "Enabled";
  const fixes: Record<string, string> = {
    Disabled: `aws kms enable-key --key-id ${d.arn} (or ${redeploy(e.stack)}): S3 cannot encrypt or decrypt with a disabled key, so every object fails to replicate`,
    PendingDeletion: `aws kms cancel-key-deletion --key-id ${d.arn}, then aws kms enable-key --key-id ${d.arn}, before any deploy: terraform would otherwise plan a new key, and every object encrypted with this one becomes unreadable when the window ends`,
    NotFound: `${redeploy(e.stack)}; objects encrypted with a deleted key cannot be recovered`,
  };
  return {
    group,
    check: KEY_STATE_CHECK,
    holds,
    detail: `${what}: ${d.state === "NotFound" ? "no key behind the alias" : d.state}${d.rotation === false ? "; rotation off" : ""}`,
    ...(holds ? {} : { fix: fixes[d.state ?? ""] ?? `make the key Enabled: ${redeploy(e.stack)}` }),
  };
}

export function driftFindings(expected: FleetModel, live: LiveFleet, existing: { buckets: Set<string> }): Finding[] {
  const findings: Finding[] = [];
  // The deployed model names the deployed keys; the synth output names them by placeholders.
  const placeholders = [...live.keyArns].map(([placeholder, arn]) => [arn, placeholder, arn.split("/").pop()!, placeholder.split("/").pop()!]);
  const asSynthesized = <T>(v: T): T => {
    if (v === undefined) return v;
    let text = JSON.stringify(v);
    for (const [arn, placeholder, id, placeholderId] of placeholders) text = text.split(arn).join(placeholder).split(id).join(placeholderId);
    return JSON.parse(text);
  };
  const check: Check = (group, what, differences, fix) => {
    const holds = differences.length === 0;
    findings.push({ group, check: DRIFT_CHECK, holds, detail: `${what}: ${holds ? "as synthesized" : differences.join("; ")}`, ...(holds ? {} : { fix }) });
  };
  const d = asSynthesized(live.model);

  expected.replications.forEach((e, i) => {
    const r = d.replications[i];
    const group = e.sourceBucket.name;
    bucketDrift(check, group, e.sourceBucket, r.sourceBucket, existing.buckets.has(e.sourceBucket.name));
    // An adopted bucket's own key: its policy was assumed, not synthesized; --live proves the real one.
    if (!e.sourceKey?.assumed) keyDrift(check, group, "source", "Alice's key", e.sourceKey, r.sourceKey);
    replicationDrift(check, "source", e, r);
  });
  // Two-way: the way back's roles and configurations, in Bob's account (its buckets and keys are compared above and below).
  expected.back?.replications.forEach((e, i) => replicationDrift(check, "dest", e, d.back!.replications[i]));

  expected.destinationBuckets.forEach((e, i) => {
    const live = d.destinationBuckets[i];
    bucketDrift(check, DESTINATION_GROUP, e.bucket, live.bucket, existing.buckets.has(e.bucket.name));
    keyDrift(check, DESTINATION_GROUP, "dest", `Bob's key of ${e.bucket.name}`, e.key, live.key);
  });

  const bucketKeys = new Set([...expected.replications.map((r) => r.sourceKey?.arn), ...expected.destinationBuckets.map((b) => b.key?.arn)]);
  expected.keys.forEach((e, i) => {
    const group = bucketKeys.has(e.arn)
      ? e.stack === "dest"
        ? DESTINATION_GROUP
        : expected.replications.find((r) => r.sourceKey?.arn === e.arn)!.sourceBucket.name
      : expected.alerts?.key?.arn === e.arn
        ? ALERTS_GROUP
        : STACKS_GROUP;
    findings.push(keyStateFinding(group, e, live.model.keys[i]));
  });

  if (expected.alerts && d.alerts) alertsDrift(check, expected.alerts, d.alerts);
  return findings;
}

function alertsDrift(check: Check, e: NonNullable<FleetModel["alerts"]>, d: NonNullable<FleetModel["alerts"]>): void {
  const topic = `topic ${e.topicArn}`;
  check(ALERTS_GROUP, `${topic}: topic policy`, policyDrift(e.policy, d.policy), redeploy("source"));
  check(ALERTS_GROUP, `${topic}: encryption`, changes({ kms_master_key_id: e.kmsMasterKeyId }, { kms_master_key_id: d.kmsMasterKeyId }), redeploy("source"));
  keyDrift(check, ALERTS_GROUP, "source", "the alerts key", e.key, d.key);
  for (const n of e.notifications) {
    const deployed = d.notifications.find((x) => x.bucketName === n.bucketName)?.topics ?? [];
    check(ALERTS_GROUP, `notifications of ${n.bucketName}`, changes(n.topics, deployed), redeploy("source"));
  }
  for (const alarm of e.alarms) {
    const deployed = d.alarms.find((a) => a.name === alarm.name);
    const shape = (a: typeof alarm) => ({ namespace: a.namespace, metricName: a.metricName, dimensions: a.dimensions, alarmActions: a.alarmActions, ...a.settings });
    check(ALERTS_GROUP, `alarm ${String(alarm.name)}`, deployed ? changes(shape(alarm), shape(deployed)) : ["missing"], redeploy("source"));
  }
}
