// What `verify --live` reads from the deployed accounts with the AWS SDK, as the APIs return it:
// every bucket, role, key, the alerts topic and alarms the synthesized stacks declare, and every key
// those deployed resources name (which may not be the stacks' keys any more). Something absent is
// recorded as absent; a read that is refused (AccessDenied) stops verify with exit 2.
import { DescribeAlarmsCommand, type MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetRolePolicyCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from "@aws-sdk/client-iam";
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand } from "@aws-sdk/client-kms";
import {
  GetBucketEncryptionCommand,
  GetObjectLockConfigurationCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  type ObjectLockConfiguration,
  type PublicAccessBlockConfiguration,
  type ReplicationConfiguration,
} from "@aws-sdk/client-s3";
import { GetTopicAttributesCommand } from "@aws-sdk/client-sns";
import type { AccountClients } from "./clients";
import { AWS_MANAGED_S3_KEY, locateKey, type FleetModel } from "../synth/model";
import type { Placement } from "../synth/references";
import { VerifyInputError } from "../errors";
import { iamDocument } from "../policy-document";

export interface LiveBucket {
  name: string;
  exists: boolean;
  versioning?: string;
  sse?: { algorithm?: string; kmsKeyId?: string; bucketKeyEnabled: boolean };
  policy?: string;
  publicAccessBlock?: PublicAccessBlockConfiguration;
  objectOwnership?: string;
  objectLock?: ObjectLockConfiguration;
  replication?: ReplicationConfiguration;
  notifications: { topicArn: string; events: string[]; filter?: string }[];
}

export interface LiveRole {
  name: string;
  arn?: string;
  trustPolicy?: string;
  /** Inline policies, then attached managed policies (their default version). */
  policies: { name: string; document: string; managed: boolean }[];
  tags: Record<string, string>;
}

export interface LiveKey {
  /** Where it was looked up: account, region, "key/<id>" or "alias/<name>". */
  locator: KeyLocator;
  arn?: string;
  state?: string;
  manager?: string;
  policy?: string;
  rotation?: boolean;
  /** Why it could not be read: no credentials for that account. */
  unreachable?: string;
}

export interface LiveTopic {
  arn: string;
  exists: boolean;
  policy?: string;
  kmsMasterKeyId?: string;
}

export interface LiveState {
  sourceBuckets: Map<string, LiveBucket>;
  destinationBuckets: Map<string, LiveBucket>;
  roles: Map<string, LiveRole>;
  /** Two-way: the roles of the way back, in Bob's account. */
  backRoles: Map<string, LiveRole>;
  /** By keyLocatorId. */
  keys: Map<string, LiveKey>;
  topic?: LiveTopic;
  alarms: MetricAlarm[];
}

export type KeyLocator = Placement & { target: string };
export const keyLocatorId = (l: KeyLocator) => `${l.account}/${l.region}/${l.target}`;

/** The value of a read, or undefined when AWS says the thing is not there (one of `absent`). */
async function unlessAbsent<T>(what: string, account: string, read: Promise<T>, ...absent: string[]): Promise<T | undefined> {
  try {
    return await read;
  } catch (e) {
    const name = (e as Error).name;
    if (absent.includes(name)) return undefined;
    throw new VerifyInputError(
      `cannot read ${what} in account ${account} (${name}: ${(e as Error).message}): the credentials need the read permissions docs/monitoring.md lists under "verify --live"`,
    );
  }
}

async function readBucket(c: AccountClients, name: string, withReplication: boolean): Promise<LiveBucket> {
  const Bucket = name;
  const read = <T>(what: string, p: Promise<T>, ...absent: string[]) => unlessAbsent(`${what} of bucket ${name}`, c.accountId, p, ...absent);
  const versioning = await read("the versioning", c.s3.send(new GetBucketVersioningCommand({ Bucket })), "NoSuchBucket");
  if (!versioning) return { name, exists: false, notifications: [] };
  const [encryption, policy, pab, ownership, objectLock, replication, notification] = await Promise.all([
    read("the default encryption", c.s3.send(new GetBucketEncryptionCommand({ Bucket })), "ServerSideEncryptionConfigurationNotFoundError"),
    read("the policy", c.s3.send(new GetBucketPolicyCommand({ Bucket })), "NoSuchBucketPolicy"),
    read("the public access block", c.s3.send(new GetPublicAccessBlockCommand({ Bucket })), "NoSuchPublicAccessBlockConfiguration"),
    read("the ownership controls", c.s3.send(new GetBucketOwnershipControlsCommand({ Bucket })), "OwnershipControlsNotFoundError"),
    read("the Object Lock configuration", c.s3.send(new GetObjectLockConfigurationCommand({ Bucket })), "ObjectLockConfigurationNotFoundError"),
    withReplication ? read("the replication configuration", c.s3.send(new GetBucketReplicationCommand({ Bucket })), "ReplicationConfigurationNotFoundError") : undefined,
    withReplication ? read("the notification configuration", c.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }))) : undefined,
  ]);
  const sseRule = encryption?.ServerSideEncryptionConfiguration?.Rules?.[0];
  const byDefault = sseRule?.ApplyServerSideEncryptionByDefault;
  return {
    name,
    exists: true,
    versioning: versioning.Status,
    sse: byDefault ? { algorithm: byDefault.SSEAlgorithm, kmsKeyId: byDefault.KMSMasterKeyID, bucketKeyEnabled: sseRule?.BucketKeyEnabled === true } : undefined,
    policy: policy?.Policy,
    publicAccessBlock: pab?.PublicAccessBlockConfiguration,
    objectOwnership: ownership?.OwnershipControls?.Rules?.[0]?.ObjectOwnership,
    objectLock: objectLock?.ObjectLockConfiguration,
    replication: replication?.ReplicationConfiguration,
    notifications: (notification?.TopicConfigurations ?? []).map((t) => ({
      topicArn: t.TopicArn ?? "",
      events: (t.Events ?? []).map(String),
      ...(t.Filter?.Key?.FilterRules?.length ? { filter: JSON.stringify(t.Filter.Key.FilterRules) } : {}),
    })),
  };
}

/** A policy document's text as an API returned it: IAM returns documents URL-encoded, the others plain. */

async function readRole(c: AccountClients, name: string): Promise<LiveRole> {
  const read = <T>(what: string, p: Promise<T>) => unlessAbsent(`${what} of role ${name}`, c.accountId, p, "NoSuchEntityException", "NoSuchEntity");
  const role = await read("the trust policy", c.iam.send(new GetRoleCommand({ RoleName: name })));
  if (!role?.Role) return { name, policies: [], tags: {} };
  const inlineNames = (await read("the inline policy names", c.iam.send(new ListRolePoliciesCommand({ RoleName: name }))))?.PolicyNames ?? [];
  const attached = (await read("the attached policies", c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }))))?.AttachedPolicies ?? [];
  const inline = await Promise.all(
    inlineNames.map(async (policyName) => {
      const p = await read(`policy ${policyName}`, c.iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName })));
      return { name: policyName, document: iamDocument(p?.PolicyDocument ?? "{}"), managed: false };
    }),
  );
  // Managed policies attached outside the stack still grant: the proof reads them too.
  const managed = await Promise.all(
    attached.map(async (a) => {
      const policy = await read(`policy ${a.PolicyArn}`, c.iam.send(new GetPolicyCommand({ PolicyArn: a.PolicyArn })));
      const version = await read(
        `policy ${a.PolicyArn}`,
        c.iam.send(new GetPolicyVersionCommand({ PolicyArn: a.PolicyArn, VersionId: policy?.Policy?.DefaultVersionId })),
      );
      return { name: a.PolicyArn ?? a.PolicyName ?? "?", document: iamDocument(version?.PolicyVersion?.Document ?? "{}"), managed: true };
    }),
  );
  return {
    name,
    arn: role.Role.Arn,
    trustPolicy: iamDocument(role.Role.AssumeRolePolicyDocument ?? "{}"),
    policies: [...inline, ...managed],
    tags: Object.fromEntries((role.Role.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""])),
  };
}

async function readKey(clientsByAccount: Map<string, AccountClients>, locator: KeyLocator): Promise<LiveKey> {
  const c = clientsByAccount.get(locator.account);
  if (!c) return { locator, unreachable: `account ${locator.account} is neither Alice's nor Bob's` };
  // A key of another region than the clients': KMS is regional.
  const kms = (await c.kms.config.region()) === locator.region ? c.kms : undefined;
  if (!kms) return { locator, unreachable: `region ${locator.region} is not the region of account ${locator.account} in the config` };
  const KeyId = locator.target.startsWith("alias/") ? locator.target : locator.target.slice("key/".length);
  const what = `key ${locator.target}`;
  const described = await unlessAbsent(what, c.accountId, kms.send(new DescribeKeyCommand({ KeyId })), "NotFoundException");
  const key = described?.KeyMetadata;
  if (!key) return { locator };
  const [policy, rotation] = await Promise.all([
    unlessAbsent(`the policy of ${what}`, c.accountId, kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: "default" }))),
    // AWS managed keys, and keys pending deletion, refuse the rotation query.
    key.KeyManager === "CUSTOMER" && (key.KeyState === "Enabled" || key.KeyState === "Disabled")
      ? unlessAbsent(`the rotation status of ${what}`, c.accountId, kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId })))
      : undefined,
  ]);
  return { locator, arn: key.Arn, state: key.KeyState, manager: key.KeyManager, policy: policy?.Policy, rotation: rotation?.KeyRotationEnabled };
}

async function readTopic(c: AccountClients, arn: string): Promise<LiveTopic> {
  const got = await unlessAbsent(`topic ${arn}`, c.accountId, c.sns.send(new GetTopicAttributesCommand({ TopicArn: arn })), "NotFoundException", "NotFound");
  if (!got?.Attributes) return { arn, exists: false };
  return { arn, exists: true, policy: got.Attributes.Policy, kmsMasterKeyId: got.Attributes.KmsMasterKeyId };
}

async function readAlarms(c: AccountClients, names: string[]): Promise<MetricAlarm[]> {
  const alarms: MetricAlarm[] = [];
  for (let i = 0; i < names.length; i += 100) {
    const page = await unlessAbsent("the alarms", c.accountId, c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: names.slice(i, i + 100), MaxRecords: 100 })));
    alarms.push(...(page?.MetricAlarms ?? []));
  }
  return alarms;
}

/** The role a deployed replication configuration names, when it is in the bucket's own account; else the stack's. */
export function roleNameOf(bucket: LiveBucket | undefined, expectedName: string, sourceAccount: string): string {
  const arn = bucket?.replication?.Role?.match(/^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/);
  return arn && arn[1] === sourceAccount ? arn[2] : expectedName;
}

/**
 * Reads everything the synthesized model declares, then every key the deployed resources name
 * (where they name a bare alias or key ID, it resolves in the caller's account, as in synth).
 */
export async function readLiveState(expected: FleetModel, sourceClients: AccountClients, destinationClients: AccountClients): Promise<LiveState> {
  const sourceBuckets = new Map<string, LiveBucket>();
  const destinationBuckets = new Map<string, LiveBucket>();
  const roles = new Map<string, LiveRole>();
  const backRoles = new Map<string, LiveRole>();
  await Promise.all([
    ...expected.replications.map(async (r) => {
      const bucket = await readBucket(sourceClients, r.sourceBucket.name, true);
      sourceBuckets.set(bucket.name, bucket);
      const roleName = roleNameOf(bucket, r.role.name, expected.source.account);
      roles.set(roleName, await readRole(sourceClients, roleName));
      if (r.backfill) roles.set(r.backfill.role.name, await readRole(sourceClients, r.backfill.role.name));
    }),
    ...expected.destinationBuckets.map(async ({ bucket }) => {
      // Two-way: a bucket of Bob's that replicates back has a configuration and a role of Bob's.
      const back = expected.back?.replications.find((r) => r.sourceBucket.name === bucket.name);
      const read = await readBucket(destinationClients, bucket.name, back !== undefined);
      destinationBuckets.set(bucket.name, read);
      if (back) {
        const roleName = roleNameOf(read, back.role.name, expected.back!.source.account);
        backRoles.set(roleName, await readRole(destinationClients, roleName));
      }
    }),
  ]);
  const alerts = expected.alerts;
  const topic = alerts ? await readTopic(sourceClients, alerts.topicArn) : undefined;
  const alarms = alerts ? await readAlarms(sourceClients, alerts.alarms.map((a) => a.name).filter((n): n is string => typeof n === "string")) : [];

  const locators = new Map<string, KeyLocator>();
  const want = (ref: string | undefined, caller: Placement) => {
    const l = locateKey(ref ?? AWS_MANAGED_S3_KEY, caller);
    if (l.target !== AWS_MANAGED_S3_KEY) locators.set(keyLocatorId(l), l);
  };
  for (const b of sourceBuckets.values()) {
    if (b.sse) want(b.sse.kmsKeyId, expected.source);
    for (const rule of b.replication?.Rules ?? []) {
      const replicaKey = rule.Destination?.EncryptionConfiguration?.ReplicaKmsKeyID;
      if (replicaKey) want(replicaKey, expected.source);
    }
  }
  for (const b of destinationBuckets.values()) {
    if (b.sse) want(b.sse.kmsKeyId, expected.destination);
    for (const rule of b.replication?.Rules ?? []) {
      const replicaKey = rule.Destination?.EncryptionConfiguration?.ReplicaKmsKeyID;
      if (replicaKey) want(replicaKey, expected.destination);
    }
  }
  if (topic?.kmsMasterKeyId) want(topic.kmsMasterKeyId, expected.source);
  // The stacks' own keys, by alias, whether or not anything still uses them.
  for (const k of expected.keys) if (k.aliases[0]) want(k.aliases[0], locateKey(k.arn, expected.source));

  const clientsByAccount = new Map([
    [sourceClients.accountId, sourceClients],
    [destinationClients.accountId, destinationClients],
  ]);
  const keys = new Map<string, LiveKey>();
  await Promise.all([...locators].map(async ([id, l]) => keys.set(id, await readKey(clientsByAccount, l))));
  return { sourceBuckets, destinationBuckets, roles, backRoles, keys, topic, alarms };
}
