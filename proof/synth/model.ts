// The synthesized fleet as plain data: per replication configuration (one per source bucket of
// Alice's) its bucket, key, role and rules, each rule with the bucket and replica key of Bob's it
// names, and every bucket of Bob's with its key. Built from the resolved views of both stacks
// (./references.ts) of the synth output (./synth-output.ts).
import { accountRootArn, bucketArn, kmsKeyArn, s3ServiceEndpoint } from "../../lib/arns";
import type { PolicyDocument } from "../../lib/policies";
import { BATCH_OPERATIONS_SERVICE } from "../../lib/aws-facts";
import { BACKFILL_TAGS } from "../../lib/naming";
import { BUCKET_SETTING_TYPES } from "../../lib/resource-types";
import { policyDocument } from "../policy-document";
import { ruleFromTerraform, type ReplicationRule } from "../replication-rule";
import { unprovable, type Unprovable } from "./inventory";
import { tfBool } from "./read";
import { blocksAt, optionalObjectAt, optionalStringAt, stringAt } from "./read";
import { keyIdPlaceholder, StackView, type Placement } from "./references";
import { VerifyInputError } from "../errors";
import { type StackName, type SynthOutput } from "./synth-output";

export interface BucketModel {
  stack: StackName;
  resourceName: string;
  name: string;
  arn: string;
  account: string;
  region: string;
  versioning?: string;
  /** Default encryption; kmsKeyId resolved (undefined: the AWS managed key aws/s3). */
  sse?: { algorithm?: string; kmsKeyId?: string; bucketKeyEnabled: boolean };
  policy?: PolicyDocument;
  restrictPublicBuckets: boolean;
  /** The four settings of the public access block bound to this bucket; undefined without one. */
  publicAccessBlock?: Record<(typeof PUBLIC_ACCESS_BLOCK_SETTINGS)[number], unknown>;
  /** object_ownership of its ownership controls; undefined without them. */
  objectOwnership?: unknown;
  forceDestroy: unknown;
  /**
   * S3 Object Lock: on (through the bucket's object_lock_enabled or its object lock configuration,
   * which cannot be turned off again) and the default retention as written; undefined: off.
   */
  objectLock?: ObjectLockModel;
  /** Imported by an `import` block (an adopted bucket of Alice's), and its lifecycle's prevent_destroy. */
  adopted?: { preventDestroy: unknown };
}

export interface ObjectLockModel {
  mode?: unknown;
  days?: unknown;
  years?: unknown;
}

export const PUBLIC_ACCESS_BLOCK_SETTINGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] as const;

export interface KeyModel {
  /** Resource name in its stack, or undefined for an AWS managed key. */
  resourceName?: string;
  arn: string;
  account: string;
  region: string;
  policy: PolicyDocument;
  aliases: string[];
  customerManaged: boolean;
  /** KeyState as KMS reports it (verify --live); undefined in synth output, where a new key is Enabled. */
  state?: string;
  /** A key no stack manages (an adopted bucket's own): its policy is assumed, and FleetModel.assumptions says so. */
  assumed?: boolean;
}

/** A customer managed key of either stack, with the settings that keep it safe. */
export interface ManagedKeyModel {
  stack: StackName;
  resourceName: string;
  arn: string;
  aliases: string[];
  rotation: unknown;
  deletionWindowDays: unknown;
  /** KeyState as KMS reports it (verify --live); undefined in synth output. */
  state?: string;
}

/** An AWS provider of a stack and the accounts it pins. */
export interface ProviderModel {
  stack: StackName;
  alias: string;
  allowedAccountIds: unknown;
}

export interface RoleModel {
  resourceName: string;
  name: string;
  arn: string;
  trustPolicy: PolicyDocument;
  /** Its inline policies, then the customer managed policies attached to it (named by ARN). */
  policies: { name: string; document: PolicyDocument; managed?: true }[];
}

export interface RuleModel {
  /** The rule as synthesized, every string resolved. */
  rule: ReplicationRule;
  /** Its ID, or its position when it has none. */
  id: string;
  /** The destination bucket's name, from its ARN. */
  destinationName: string;
  /** That bucket, when the dest stack manages it. */
  destinationBucket?: BucketModel;
  /** The key of that bucket's default encryption. */
  destinationBucketKey?: KeyModel;
  replicaKmsKeyId?: string;
  /** The key replica_kms_key_id names, as resolved (undefined when unset or unresolvable). */
  replicaKey?: KeyModel;
}

/** One replication configuration: one of Alice's buckets, its key, its role and its rules. */
export interface ReplicationModel {
  resourceName: string;
  /** Instances with the variables' defaults (0: held back). */
  count: number;
  role: RoleModel;
  sourceBucket: BucketModel;
  sourceKey?: KeyModel;
  rules: RuleModel[];
  /** The S3 Batch Replication role of this bucket (backfill on), and where its reports go. */
  backfill?: { role: RoleModel; reportPrefix: string };
}

/** The alerts topic, its key and policy, the failure notifications and the alarms (when monitoring is on). */
export interface AlertsModel {
  topicResourceName: string;
  topicArn: string;
  region: string;
  policy?: PolicyDocument;
  kmsMasterKeyId?: string;
  key?: KeyModel;
  /** Each topic configuration with its key filter (undefined: none, every object's events are sent). */
  notifications: { bucketName: string; topics: { topicArn: string; events: string[]; filter?: string }[] }[];
  /** The topic's subscriptions, as declared (verify --live takes them from the synth output). */
  subscriptions: { address: string; protocol: unknown; endpoint: unknown }[];
  alarms: AlarmModel[];
}

export interface AlarmModel {
  resourceName: string;
  name: unknown;
  namespace: unknown;
  metricName: unknown;
  dimensions: Record<string, unknown>;
  alarmActions: string[];
  /** How it decides: statistic, period, evaluation periods, threshold, comparison, missing data. */
  settings: Record<(typeof ALARM_SETTINGS)[number], unknown>;
}

export const ALARM_SETTINGS = ["statistic", "period", "evaluation_periods", "threshold", "comparison_operator", "treat_missing_data", "actions_enabled"] as const;

export interface FleetModel {
  source: Placement;
  destination: Placement;
  replications: ReplicationModel[];
  /** Every bucket of the dest stack with its key: the isolation requests reach them all. */
  destinationBuckets: { bucket: BucketModel; key?: KeyModel }[];
  /** Every customer managed key of both stacks. */
  keys: ManagedKeyModel[];
  providers: ProviderModel[];
  /** Resources whose `provider` is not one of their stack's AWS providers (address -> what it says). */
  unboundResources: { stack: StackName; address: string; provider: unknown }[];
  /** Undefined when the source stack has no SNS topic (monitoring off). */
  alerts?: AlertsModel;
  /** Two-way: the way back, Bob's buckets replicating into Alice's with roles of Bob's account (../way-back.ts proves it as a fleet of its own). */
  back?: Pick<FleetModel, "source" | "destination" | "replications" | "destinationBuckets">;
  /** What the proof assumed rather than read (an adopted bucket's own key policy), for the report's notes. */
  assumptions: string[];
  /** What verify cannot prove in the stacks (./inventory.ts): each a failed check. */
  unprovable: Unprovable[];
}

/** Whether a role's trust policy names the S3 Batch Operations service. */
function trustsBatchOperations(view: StackView, body: any, name: string): boolean {
  const trust = parsePolicy(view, body.assume_role_policy, `the trust policy of aws_iam_role.${name}`);
  return trust.Statement.some((s) => typeof s.Principal === "object" && "Service" in s.Principal && [s.Principal.Service].flat().includes(BATCH_OPERATIONS_SERVICE));
}

/** Whether the role policies of a role name a bucket (or its objects) in a Resource. */
function namesBucket(rolePolicies: { name: string; p: any; role: string }[], body: any, name: string, view: StackView, bucketName: string): boolean {
  const roleName = view.resolveString(body.name, `resource.aws_iam_role.${name}.name`);
  const arn = bucketArn(bucketName);
  return rolePolicies
    .filter((p) => p.role === roleName)
    .some((p) => parsePolicy(view, p.p.policy, `aws_iam_role_policy.${p.name}`).Statement.some((s) => [s.Resource ?? []].flat().some((r) => r === arn || r.startsWith(`${arn}/`))));
}

/** Deep-resolves every string inside a JSON value. */
function resolveDeep(view: StackView, value: any): any {
  if (typeof value === "string") return view.resolve(value);
  if (Array.isArray(value)) return value.map((v) => resolveDeep(view, v));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "//").map(([k, v]) => [k, resolveDeep(view, v)]));
  }
  return value;
}

/**
 * A policy document held as JSON text in an attribute, with every reference resolved. Its shape is
 * checked as far as the proof reads it (statements, conditions); the IAM engine checks the rest.
 */
function parsePolicy(view: StackView, text: unknown, what: string): PolicyDocument {
  return policyDocument(view.resolveString(text, what), `stack ${view.name}: ${what}`);
}

/** A nested block as cdktf writes it: an object, or a one-element list. */
export const block = (v: any) => (Array.isArray(v) ? v[0] : v);

/** The key policy AWS gives its managed key aws/s3: only callers of its own account, only through S3. */
export function awsManagedS3KeyPolicy(account: string, region: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowAccessThroughS3ForPrincipalsOfTheAccount",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: "*",
        Condition: { StringEquals: { "kms:CallerAccount": account, "kms:ViaService": s3ServiceEndpoint(region) } },
      },
    ],
  };
}

/** The alias of the AWS managed key S3 uses when a bucket names no key. */
export const AWS_MANAGED_S3_KEY = "alias/aws/s3";

export function awsManagedS3Key(where: Placement): KeyModel {
  return {
    arn: kmsKeyArn(where.region, where.account, "aws-managed-s3"),
    ...where,
    policy: awsManagedS3KeyPolicy(where.account, where.region),
    aliases: [AWS_MANAGED_S3_KEY],
    customerManaged: false,
  };
}

/**
 * Where a key ARN, alias ARN, bare alias or key ID points: account, region and "key/<id>" or
 * "alias/<name>". A bare alias or ID resolves in the caller's account and region.
 */
export function locateKey(keyRef: string, caller: Placement): Placement & { target: string } {
  const arn = keyRef.match(/^arn:aws:kms:([a-z0-9-]+):(\d{12}):(key\/.+|alias\/.+)$/);
  if (arn) return { region: arn[1], account: arn[2], target: arn[3] };
  return { ...caller, target: keyRef.startsWith("alias/") ? keyRef : `key/${keyRef}` };
}

/**
 * A key ARN of Alice's account that no stack manages (an adopted bucket keeping its own key): the
 * proof assumes the policy KMS gives a key by default, which lets the account's IAM policies grant
 * its use. Anything else unresolved stays undefined (and fails the checks that need it).
 */
function assumedExistingKey(keyRef: string, caller: Placement): KeyModel | undefined {
  const { target, account, region } = locateKey(keyRef, caller);
  if (!target.startsWith("key/") || !keyRef.startsWith("arn:") || account !== caller.account) return undefined;
  return { arn: keyRef, account, region, policy: defaultKeyPolicy(account), aliases: [], customerManaged: true, assumed: true };
}

/** What KMS applies when a key is created without a policy. */
export const defaultKeyPolicy = (account: string): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: accountRootArn(account) }, Action: "kms:*", Resource: "*" }],
});

const BUCKET_SETTINGS = BUCKET_SETTING_TYPES;

/** A bucket's Object Lock: its configuration's object_lock_enabled defaults to "Enabled"; the bucket's own flag turns it on without a retention. */
function objectLockOf(bucket: any, configuration: any): { objectLock?: ObjectLockModel } {
  const enabled = (configuration && (configuration.object_lock_enabled ?? "Enabled") === "Enabled") || tfBool(bucket.object_lock_enabled) === true;
  if (!enabled) return {};
  const retention = block(block(configuration?.rule)?.default_retention);
  return { objectLock: objectLockModel(retention?.mode, retention?.days, retention?.years) };
}

/** Object Lock as verify compares it: only the parts that are set (a synthesized and a deployed lock read alike). */
export const objectLockModel = (mode: unknown, days: unknown, years: unknown): ObjectLockModel =>
  Object.fromEntries(Object.entries({ mode, days, years }).filter(([, v]) => v !== undefined && v !== null));

/** The buckets of one stack and their settings resources, indexed once by bucket name. */
class BucketIndex {
  private readonly buckets = new Map<string, [string, any]>();
  private readonly settings = new Map<string, Map<string, any>>();

  /** The addresses the stack's import blocks bring in. */
  private readonly imported: Set<string>;

  constructor(private readonly view: StackView) {
    this.imported = new Set(blocksAt(view.json.import, `stack ${view.name}: import`).map((i, n) => stringAt(i.to, `stack ${view.name}: import[${n}].to`)));
    for (const [name, r] of view.present("aws_s3_bucket")) this.buckets.set(view.resolveString(r.bucket, `resource.aws_s3_bucket.${name}.bucket`), [name, r]);
    for (const type of BUCKET_SETTINGS) {
      const byBucket = new Map<string, any>();
      for (const [name, r] of view.present(type)) {
        const bucket = view.resolveString(r.bucket, `resource.${type}.${name}.bucket`);
        if (!byBucket.has(bucket)) byBucket.set(bucket, r);
      }
      this.settings.set(type, byBucket);
    }
  }

  names(): string[] {
    return [...this.buckets.keys()];
  }

  model(bucketName: string): BucketModel | undefined {
    const found = this.buckets.get(bucketName);
    if (!found) return undefined;
    const [resourceName, r] = found;
    const view = this.view;
    const { account, region } = view.placement(r);
    const setting = (type: (typeof BUCKET_SETTINGS)[number]) => this.settings.get(type)?.get(bucketName);
    const sseRule = block(setting("aws_s3_bucket_server_side_encryption_configuration")?.rule);
    const byDefault = block(sseRule?.apply_server_side_encryption_by_default);
    const policy = setting("aws_s3_bucket_policy");
    const pab = setting("aws_s3_bucket_public_access_block");
    return {
      stack: view.name,
      resourceName,
      name: bucketName,
      arn: bucketArn(bucketName),
      account,
      region,
      versioning: block(setting("aws_s3_bucket_versioning")?.versioning_configuration)?.status,
      sse: byDefault
        ? {
            algorithm: optionalStringAt(byDefault.sse_algorithm, `stack ${view.name}: the default encryption of ${bucketName}: sse_algorithm`),
            kmsKeyId:
              byDefault.kms_master_key_id === undefined
                ? undefined
                : view.resolveString(byDefault.kms_master_key_id, `the default encryption of ${bucketName}: kms_master_key_id`),
            bucketKeyEnabled: tfBool(sseRule.bucket_key_enabled) === true,
          }
        : undefined,
      policy: policy ? parsePolicy(view, policy.policy, `the bucket policy of ${bucketName}`) : undefined,
      restrictPublicBuckets: tfBool(pab?.restrict_public_buckets) === true,
      publicAccessBlock: pab ? Object.fromEntries(PUBLIC_ACCESS_BLOCK_SETTINGS.map((k) => [k, pab[k]])) as BucketModel["publicAccessBlock"] : undefined,
      objectOwnership: setting("aws_s3_bucket_ownership_controls") ? block(setting("aws_s3_bucket_ownership_controls").rule)?.object_ownership : undefined,
      forceDestroy: r.force_destroy,
      ...objectLockOf(r, setting("aws_s3_bucket_object_lock_configuration")),
      ...(this.imported.has(`aws_s3_bucket.${resourceName}`) ? { adopted: { preventDestroy: optionalObjectAt(r.lifecycle, `stack ${view.name}: resource.aws_s3_bucket.${resourceName}.lifecycle`)?.prevent_destroy } } : {}),
    };
  }
}

/** Every customer managed key of both stacks with its aliases, indexed once. */
class KeyIndex {
  private readonly keys: { view: StackView; name: string; body: any; placed: Placement; arn: string; aliases: string[] }[] = [];

  constructor(views: StackView[]) {
    for (const view of views) {
      const aliasesByTarget = new Map<string, string[]>();
      for (const [, a] of view.present("aws_kms_alias")) {
        const target = view.resolveString(a.target_key_id, "an aws_kms_alias's target_key_id");
        aliasesByTarget.set(target, [...(aliasesByTarget.get(target) ?? []), view.resolveString(a.name, "an aws_kms_alias's name")]);
      }
      for (const [name, body] of view.present("aws_kms_key")) {
        const arn = view.resolve(`\${aws_kms_key.${name}.arn}`);
        const aliases = [...(aliasesByTarget.get(keyIdPlaceholder(name)) ?? []), ...(aliasesByTarget.get(arn) ?? [])];
        this.keys.push({ view, name, body, placed: view.placement(body), arn, aliases });
      }
    }
  }

  all(): ManagedKeyModel[] {
    return this.keys.map((k) => ({
      stack: k.view.name,
      resourceName: k.name,
      arn: k.arn,
      aliases: k.aliases,
      rotation: k.body.enable_key_rotation,
      deletionWindowDays: k.body.deletion_window_in_days,
    }));
  }

  /**
   * The key a key ARN, alias ARN, bare alias or key ID names (see locateKey); alias/aws/s3 is the
   * AWS managed key.
   */
  find(keyRef: string, caller: Placement): KeyModel | undefined {
    const { target, ...where } = locateKey(keyRef, caller);
    if (target === AWS_MANAGED_S3_KEY) return awsManagedS3Key(where);
    const key = this.keys.find(
      (k) =>
        k.placed.account === where.account &&
        k.placed.region === where.region &&
        (target === `key/${keyIdPlaceholder(k.name)}` || k.aliases.includes(target)),
    );
    if (!key) return undefined;
    return {
      resourceName: key.name,
      arn: key.arn,
      ...key.placed,
      policy: key.body.policy !== undefined ? parsePolicy(key.view, key.body.policy, `the key policy of aws_kms_key.${key.name}`) : defaultKeyPolicy(key.placed.account),
      aliases: key.aliases,
      customerManaged: true,
    };
  }
}

function alertsModel(source: StackView, keys: KeyIndex): AlertsModel | undefined {
  const [topic] = source.present("aws_sns_topic");
  if (!topic) return undefined;
  const [topicResourceName, body] = topic;
  const placed = source.placement(body);
  const topicArn = source.resolve(`\${aws_sns_topic.${topicResourceName}.arn}`);
  const policy = source.present("aws_sns_topic_policy").find(([name, p]) => source.resolveString(p.arn, `resource.aws_sns_topic_policy.${name}.arn`) === topicArn);
  const kmsMasterKeyId =
    body.kms_master_key_id === undefined ? undefined : source.resolveString(body.kms_master_key_id, `resource.aws_sns_topic.${topicResourceName}.kms_master_key_id`);
  return {
    topicResourceName,
    topicArn,
    region: placed.region,
    policy: policy ? parsePolicy(source, policy[1].policy, `the policy of aws_sns_topic_policy.${policy[0]}`) : undefined,
    kmsMasterKeyId,
    key: kmsMasterKeyId ? keys.find(kmsMasterKeyId, placed) : undefined,
    notifications: source.present("aws_s3_bucket_notification").map(([name, n]) => ({
      bucketName: source.resolveString(n.bucket, `resource.aws_s3_bucket_notification.${name}.bucket`),
      topics: blocksAt(n.topic, `stack source: resource.aws_s3_bucket_notification.${name}.topic`).map((t, i) => ({
        topicArn: source.resolveString(t.topic_arn, `resource.aws_s3_bucket_notification.${name}.topic[${i}].topic_arn`),
        events: (Array.isArray(t.events) ? t.events : []).filter((e: unknown): e is string => typeof e === "string"),
        ...(t.filter_prefix !== undefined || t.filter_suffix !== undefined ? { filter: JSON.stringify({ prefix: t.filter_prefix, suffix: t.filter_suffix }) } : {}),
      })),
    })),
    subscriptions: source.present("aws_sns_topic_subscription").map(([name, s]) => ({ address: `aws_sns_topic_subscription.${name}`, protocol: s.protocol, endpoint: s.endpoint })),
    alarms: source.present("aws_cloudwatch_metric_alarm").map(([name, a]): AlarmModel => ({
      resourceName: name,
      name: a.alarm_name,
      // actions_enabled left out is Terraform's default, true: as CloudWatch reports it.
      settings: Object.fromEntries(ALARM_SETTINGS.map((k) => [k, k === "actions_enabled" && a[k] === undefined ? true : a[k]])) as AlarmModel["settings"],
      namespace: a.namespace,
      metricName: a.metric_name,
      dimensions: optionalObjectAt(a.dimensions, `stack source: resource.aws_cloudwatch_metric_alarm.${name}.dimensions`) ?? {},
      alarmActions: (Array.isArray(a.alarm_actions) ? a.alarm_actions : []).map((x: unknown, i: number) =>
        source.resolveString(x, `resource.aws_cloudwatch_metric_alarm.${name}.alarm_actions[${i}]`),
      ),
    })),
  };
}

/** What one direction of replication is built from: the stack its configurations are in, and the stack they write into. */
interface DirectionInputs {
  from: StackView;
  to: StackView;
  fromBuckets: BucketIndex;
  toBuckets: BucketIndex;
  keys: KeyIndex;
}

/**
 * One direction: the replication configurations of `from`, each with its role (of `from`), source
 * bucket and rules into buckets of `to`; and what of `from`'s IAM no configuration accounts for.
 * Forward, `from` is the source stack; on the way back of a two-way pair, the dest stack.
 */
function buildDirection(d: DirectionInputs): Pick<FleetModel, "replications" | "destination" | "destinationBuckets" | "assumptions"> & { source?: Placement; strays: Unprovable[] } {
  const { from: source, to: dest, fromBuckets: sourceBuckets, toBuckets: destinationIndex, keys } = d;
  const configurations = source.resources("aws_s3_bucket_replication_configuration");
  const roles = source.present("aws_iam_role").map(([name, body]) => ({ name, body, arn: source.resolve(`\${aws_iam_role.${name}.arn}`) }));
  const rolePolicies = source.present("aws_iam_role_policy").map(([name, p]) => ({ name, p, role: source.resolveString(p.role, `resource.aws_iam_role_policy.${name}.role`) }));
  // Customer managed policies (a role whose grants outgrow the inline limit, lib/role-grants.ts),
  // by ARN, and what each attachment attaches to which role.
  const managedPolicies = new Map(
    source.present("aws_iam_policy").map(([name, p]) => [source.resolve(`\${aws_iam_policy.${name}.arn}`), { name, document: parsePolicy(source, p.policy, `aws_iam_policy.${name}`) }] as const),
  );
  const attachments = source.present("aws_iam_role_policy_attachment").map(([name, a]) => ({
    name,
    role: source.resolveString(a.role, `resource.aws_iam_role_policy_attachment.${name}.role`),
    policyArn: source.resolveString(a.policy_arn, `resource.aws_iam_role_policy_attachment.${name}.policy_arn`),
  }));
  const destinationPlace = dest.placement(dest.present("aws_s3_bucket")[0]?.[1]);

  // Each role's trust policy is read once, not once per replication configuration.
  const trusted = new Map<string, boolean>();
  const batchTrusted = (x: (typeof roles)[number]) => {
    if (!trusted.has(x.name)) trusted.set(x.name, trustsBatchOperations(source, x.body, x.name));
    return trusted.get(x.name)!;
  };
  const assumptions: string[] = [];
  const strays: Unprovable[] = [];
  const replications = configurations.map(([resourceName, body]): ReplicationModel => {
    const sourcePlace = source.placement(body);
    // -1: verify cannot tell (a finding of its own, ./inventory.ts).
    const count = source.countOf(body) ?? -1;
    const bucketName = source.resolveString(body.bucket, `resource.aws_s3_bucket_replication_configuration.${resourceName}.bucket`);
    const sourceBucket = sourceBuckets.model(bucketName);
    if (!sourceBucket) throw new VerifyInputError(`the bucket ${bucketName} of aws_s3_bucket_replication_configuration.${resourceName} is not an aws_s3_bucket of stack ${source.name}`);

    const roleArn = source.resolveString(body.role, `resource.aws_s3_bucket_replication_configuration.${resourceName}.role`);
    const role = roles.find((r) => r.arn === roleArn);
    if (!role) throw new VerifyInputError(`the replication role ${roleArn} of aws_s3_bucket_replication_configuration.${resourceName} is not an aws_iam_role of stack ${source.name}`);
    const roleName = source.resolveString(role.body.name, `resource.aws_iam_role.${role.name}.name`);

    const rules = blocksAt(body.rule, `stack ${source.name}: resource.aws_s3_bucket_replication_configuration.${resourceName}.rule`).map((ruleBody, i): RuleModel => {
      const rule = ruleFromTerraform(resolveDeep(source, ruleBody), `stack ${source.name}: resource.aws_s3_bucket_replication_configuration.${resourceName}.rule[${i}]`);
      const destinationName = (rule.destination.bucket ?? "").replace(/^arn:aws:s3:::/, "");
      const destinationBucket = destinationIndex.model(destinationName);
      const replicaKmsKeyId = rule.destination.encryption_configuration?.replica_kms_key_id;
      return {
        rule,
        id: rule.id ?? `#${i}`,
        destinationName,
        destinationBucket,
        destinationBucketKey: destinationBucket?.sse ? keys.find(destinationBucket.sse.kmsKeyId ?? AWS_MANAGED_S3_KEY, destinationPlace) : undefined,
        replicaKmsKeyId,
        // S3 resolves the replica key as the replication role, i.e. from Alice's account.
        replicaKey: replicaKmsKeyId ? keys.find(replicaKmsKeyId, sourcePlace) : undefined,
      };
    });

    const roleModel = (r: (typeof roles)[number], name: string): RoleModel => ({
      resourceName: r.name,
      name,
      arn: r.arn,
      trustPolicy: parsePolicy(source, r.body.assume_role_policy, `the trust policy of aws_iam_role.${r.name}`),
      policies: [
        ...rolePolicies
          .filter((p) => p.role === name)
          .map((p) => ({ name: p.p.name !== undefined ? source.resolveString(p.p.name, `resource.aws_iam_role_policy.${p.name}.name`) : p.name, document: parsePolicy(source, p.p.policy, `aws_iam_role_policy.${p.name}`) })),
        // Named by ARN, as the live reader names an attached policy.
        ...attachments
          .filter((a) => a.role === name && managedPolicies.has(a.policyArn))
          .map((a) => ({ name: a.policyArn, document: managedPolicies.get(a.policyArn)!.document, managed: true as const })),
      ],
    });
    // The backfill role is found by what it is: a role S3 Batch Operations may assume whose
    // policies name this bucket (its tags only say which report prefix it writes to).
    const backfillRole = roles.find((x) => x.arn !== roleArn && batchTrusted(x) && namesBucket(rolePolicies, x.body, x.name, source, bucketName));
    // Where its reports go is the design's (the config's), which only the tag records: without it,
    // no object counts as a report, and the role's report grant is then unintended access.
    const reportPrefixOf = (x: (typeof roles)[number]): string => {
      const prefix = optionalObjectAt(x.body.tags, `stack ${source.name}: resource.aws_iam_role.${x.name}.tags`)?.[BACKFILL_TAGS.reportPrefix];
      if (typeof prefix === "string" && prefix) return prefix;
      strays.push({ stack: source.name, address: `aws_iam_role.${x.name}`, what: `the backfill role of ${bucketName} lacks its tag ${BACKFILL_TAGS.reportPrefix}: verify cannot tell which objects are its reports`, fix: "restore the tag the stack writes" });
      return "(no report prefix)/";
    };
    const sourceKeyRef = sourceBucket.sse?.kmsKeyId ?? AWS_MANAGED_S3_KEY;
    const sourceKey = keys.find(sourceKeyRef, sourcePlace) ?? assumedExistingKey(sourceKeyRef, sourcePlace);
    if (sourceKey?.assumed) {
      assumptions.push(
        `${bucketName} keeps its own key ${sourceKey.arn}, which no stack manages: the proof assumes its key policy lets IAM policies of account ${sourcePlace.account} grant its use (the KMS default policy); docs/existing-buckets.md ("Adopting an existing bucket") lists the statements to add otherwise, and verify --live reads the real policy`,
      );
    }
    return {
      resourceName,
      count,
      role: roleModel(role, roleName),
      sourceBucket,
      sourceKey,
      rules,
      ...(backfillRole
        ? {
            backfill: {
              role: roleModel(backfillRole, source.resolveString(backfillRole.body.name, `resource.aws_iam_role.${backfillRole.name}.name`)),
              reportPrefix: reportPrefixOf(backfillRole),
            },
          }
        : {}),
    };
  });

  // A role that is neither a replication nor a backfill role, or a role policy for a role the
  // stack does not create, grants what no intended access has: each is unprovable.
  const modelled = new Set(replications.flatMap((r) => [r.role.resourceName, ...(r.backfill ? [r.backfill.role.resourceName] : [])]));
  const modelledNames = new Set(replications.flatMap((r) => [r.role.name, ...(r.backfill ? [r.backfill.role.name] : [])]));
  strays.push(
    ...roles.filter((x) => !modelled.has(x.name)).map((x) => ({ stack: source.name, address: `aws_iam_role.${x.name}`, what: "a role that is neither a replication role nor a backfill role: verify proves nothing about who uses it", fix: "remove it from the stack" })),
    ...rolePolicies.filter((p) => !modelledNames.has(p.role)).map((p) => ({ stack: source.name, address: `aws_iam_role_policy.${p.name}`, what: `grants to role ${p.role}, which is neither a replication nor a backfill role of this stack`, fix: "remove it from the stack" })),
    ...attachments
      .filter((a) => !modelledNames.has(a.role))
      .map((a) => ({ stack: source.name, address: `aws_iam_role_policy_attachment.${a.name}`, what: `attaches a policy to role ${a.role}, which is neither a replication nor a backfill role of this stack`, fix: "remove it from the stack" })),
    ...attachments
      .filter((a) => !managedPolicies.has(a.policyArn))
      .map((a) => ({ stack: source.name, address: `aws_iam_role_policy_attachment.${a.name}`, what: `attaches ${a.policyArn}, which is not an aws_iam_policy of this stack: verify cannot read what it grants`, fix: "attach only the stack's own managed policies" })),
    ...[...managedPolicies]
      .filter(([arn]) => !attachments.some((a) => a.policyArn === arn && modelledNames.has(a.role)))
      .map(([arn, p]) => ({ stack: source.name, address: `aws_iam_policy.${p.name}`, what: `${arn} is attached to no replication or backfill role of this stack: whoever it is attached to elsewhere, verify proves nothing about it`, fix: "remove it from the stack" })),
  );
  return {
    replications,
    strays,
    assumptions,
    ...(configurations.length ? { source: source.placement(configurations[0][1]) } : {}),
    destination: destinationPlace,
    destinationBuckets: destinationIndex.names().map((name) => {
      const bucket = destinationIndex.model(name)!;
      return { bucket, key: bucket.sse ? keys.find(bucket.sse.kmsKeyId ?? AWS_MANAGED_S3_KEY, destinationPlace) : undefined };
    }),
  };
}

export function buildFleetModel(out: SynthOutput): FleetModel {
  const views: StackView[] = [];
  // An organization's other stacks are read only to resolve remote state; they are proved in their own slices.
  const peers: StackView[] = [];
  const source: StackView = new StackView("source", out.stacks.source, (): StackView[] => [...views, ...peers].filter((v) => v !== source));
  const dest: StackView = new StackView("dest", out.stacks.dest, (): StackView[] => [...views, ...peers].filter((v) => v !== dest));
  views.push(source, dest);
  for (const p of out.peers ?? []) peers.push(new StackView(p.name as StackName, p.json, () => [...views, ...peers]));
  const keys = new KeyIndex(views);
  const sourceBuckets = new BucketIndex(source);
  const destinationIndex = new BucketIndex(dest);
  if (source.resources("aws_s3_bucket_replication_configuration").length === 0) {
    throw new VerifyInputError("stack source holds no aws_s3_bucket_replication_configuration: there is nothing to prove");
  }
  const forward = buildDirection({ from: source, to: dest, fromBuckets: sourceBuckets, toBuckets: destinationIndex, keys });
  // Two-way: Bob's buckets that replicate back into Alice's, a direction of its own (its roles are
  // Bob's; any other IAM role or policy in Bob's stack is unprovable, as in Alice's).
  const back = buildDirection({ from: dest, to: source, fromBuckets: destinationIndex, toBuckets: sourceBuckets, keys });

  const providers = views.flatMap((view) =>
    ((view.json.provider?.aws ?? []) as any[]).map((p): ProviderModel => ({ stack: view.name, alias: p?.alias ?? "", allowedAccountIds: p?.allowed_account_ids })),
  );
  const unboundResources = views.flatMap((view) =>
    Object.entries((view.json.resource ?? {}) as Record<string, Record<string, any>>).flatMap(([type, byName]) =>
      Object.entries(byName ?? {})
        .filter(([, r]) => !providers.some((p) => p.stack === view.name && r?.provider === (p.alias ? `aws.${p.alias}` : "aws")))
        .map(([name, r]) => ({ stack: view.name, address: `${type}.${name}`, provider: r?.provider })),
    ),
  );

  return {
    assumptions: [...forward.assumptions, ...back.assumptions],
    unprovable: [...views.flatMap(unprovable), ...forward.strays, ...back.strays],
    alerts: alertsModel(source, keys),
    source: forward.source!,
    destination: forward.destination,
    replications: forward.replications,
    destinationBuckets: forward.destinationBuckets,
    ...(back.replications.length ? { back: { source: back.source!, destination: back.destination, replications: back.replications, destinationBuckets: back.destinationBuckets } } : {}),
    keys: keys.all(),
    providers,
    unboundResources,
  };
}
