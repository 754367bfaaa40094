// The deployed fleet as the same plain data the synth reader builds (../model.ts), so one proof runs
// on either: what the APIs returned (./read.ts), in the synthesized stacks' shape (a replication
// rule as the provider's terraform attributes, a public access block by its terraform names).
// Terraform-only settings that AWS does not report (force_destroy, a key's deletion window, the
// providers) are taken from the synth output, and say so in the notes.
import type { ReplicationRule as ApiReplicationRule } from "@aws-sdk/client-s3";
import { defined, type ReplicationRule, type ReplicationRuleField } from "../replication-rule";
import {
  AWS_MANAGED_S3_KEY,
  awsManagedS3Key,
  locateKey,
  objectLockModel,
  type AlarmModel,
  type BucketModel,
  type FleetModel,
  type KeyModel,
  type ManagedKeyModel,
  type ReplicationModel,
  type RoleModel,
  type RuleModel,
} from "../synth/model";
import { policyDocument } from "../policy-document";
import { BACKFILL_TAGS } from "../../lib/naming";
import type { Placement } from "../synth/references";
import { keyLocatorId, roleNameOf, type LiveBucket, type LiveKey, type LiveRole, type LiveState } from "./read";

export interface LiveFleet {
  model: FleetModel;
  /** The synth output's key placeholder ARN -> the deployed key's ARN (found by the key's alias). */
  keyArns: Map<string, string>;
  /** What the model took from the synth output rather than from AWS, and why. */
  notes: string[];
}

const status = (s?: { Status?: string }) => (s ? defined({ status: s.Status }) : undefined);

/**
 * A rule of GetBucketReplication as the provider's `rule` block. A filter of prefix "" is read as
 * filter {}: both select every object, and the API reports the one as the other.
 */
export function ruleFromApi(r: ApiReplicationRule): ReplicationRule {
  const f = r.Filter;
  const tags = (list?: { Key?: string; Value?: string }[]) => Object.fromEntries((list ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
  const filter =
    f === undefined
      ? undefined
      : defined({
          prefix: f.Prefix || undefined,
          tag: f.Tag ? defined({ key: f.Tag.Key, value: f.Tag.Value }) : undefined,
          and: f.And
            ? defined({
                prefix: f.And.Prefix || undefined,
                tags: f.And.Tags?.length ? tags(f.And.Tags) : undefined,
              })
            : undefined,
        });
  const d = r.Destination;
  const ssc = r.SourceSelectionCriteria;
  return defined({
    id: r.ID,
    priority: r.Priority,
    status: r.Status,
    prefix: r.Prefix,
    filter,
    delete_marker_replication: status(r.DeleteMarkerReplication),
    existing_object_replication: status(r.ExistingObjectReplication),
    source_selection_criteria: ssc
      ? defined({
          sse_kms_encrypted_objects: status(ssc.SseKmsEncryptedObjects),
          replica_modifications: status(ssc.ReplicaModifications),
        })
      : undefined,
    destination: defined({
      bucket: d?.Bucket,
      account: d?.Account,
      storage_class: d?.StorageClass,
      access_control_translation: d?.AccessControlTranslation ? { owner: d.AccessControlTranslation.Owner } : undefined,
      encryption_configuration: d?.EncryptionConfiguration
        ? defined({
            replica_kms_key_id: d.EncryptionConfiguration.ReplicaKmsKeyID,
          })
        : undefined,
      replication_time: d?.ReplicationTime
        ? defined({
            status: d.ReplicationTime.Status,
            time: d.ReplicationTime.Time ? { minutes: d.ReplicationTime.Time.Minutes } : undefined,
          })
        : undefined,
      metrics: d?.Metrics
        ? defined({
            status: d.Metrics.Status,
            event_threshold: d.Metrics.EventThreshold ? { minutes: d.Metrics.EventThreshold.Minutes } : undefined,
          })
        : undefined,
    }),
  });
}

export interface LiveProofOptions {
  /**
   * Rule fields read from the synth output instead of the account: an emulator that does not keep
   * them (the emulated deploy passes moto's gap). Empty on AWS, where every field is read.
   */
  ruleFieldsFromSynth?: readonly ReplicationRuleField[];
}

/** A retention period as deployed: S3 leaves the unset one out, moto reports it as 0; a real period is positive. */
const setPeriod = (n: number | undefined): number | undefined => (n ? n : undefined);

export function liveFleetModel(expected: FleetModel, state: LiveState, options: LiveProofOptions): LiveFleet {
  const gap = options.ruleFieldsFromSynth ?? [];
  const notes: string[] = [
    "force_destroy, prevent_destroy, each key's deletion window and the providers are Terraform settings AWS does not report: they are checked as synthesized",
  ];
  // The stacks' own keys, found by alias: their deployed ARNs stand in for the synth placeholders.
  const keyArns = new Map<string, string>();
  const keys = expected.keys.map((k): ManagedKeyModel => {
    const live = k.aliases[0] ? state.keys.get(keyLocatorId(locateKey(k.aliases[0], locateKey(k.arn, expected.source)))) : undefined;
    if (live?.arn) keyArns.set(k.arn, live.arn);
    // A key pending deletion (or gone) reports no rotation: the "key enabled" finding speaks for it.
    return {
      ...k,
      arn: live?.arn ?? k.arn,
      rotation: live?.rotation ?? k.rotation,
      state: live?.state ?? "NotFound",
    };
  });

  const keyOf = (ref: string | undefined, caller: Placement): KeyModel | undefined => {
    const l = locateKey(ref ?? AWS_MANAGED_S3_KEY, caller);
    if (l.target === AWS_MANAGED_S3_KEY) return awsManagedS3Key(l);
    return keyModel(state.keys.get(keyLocatorId(l)), expected, keyArns);
  };

  const bucketModel = (expectedBucket: BucketModel, live: LiveBucket | undefined): BucketModel => {
    const pab = live?.publicAccessBlock;
    return {
      stack: expectedBucket.stack,
      resourceName: expectedBucket.resourceName,
      name: expectedBucket.name,
      arn: expectedBucket.arn,
      account: expectedBucket.account,
      region: expectedBucket.region,
      versioning: live?.versioning,
      sse: live?.sse,
      policy: live?.policy ? policyDocument(live.policy, `the deployed policy of bucket ${expectedBucket.name}`) : undefined,
      restrictPublicBuckets: pab?.RestrictPublicBuckets === true,
      publicAccessBlock: pab
        ? {
            block_public_acls: pab.BlockPublicAcls,
            block_public_policy: pab.BlockPublicPolicy,
            ignore_public_acls: pab.IgnorePublicAcls,
            restrict_public_buckets: pab.RestrictPublicBuckets,
          }
        : undefined,
      objectOwnership: live?.objectOwnership,
      ...(live?.objectLock?.ObjectLockEnabled === "Enabled"
        ? { objectLock: objectLockModel(live.objectLock.Rule?.DefaultRetention?.Mode, setPeriod(live.objectLock.Rule?.DefaultRetention?.Days), setPeriod(live.objectLock.Rule?.DefaultRetention?.Years)) }
        : {}),
      forceDestroy: expectedBucket.forceDestroy,
      ...(expectedBucket.adopted ? { adopted: expectedBucket.adopted } : {}),
    };
  };

  const destinationBuckets = expected.destinationBuckets.map(({ bucket }) => {
    const model = bucketModel(bucket, state.destinationBuckets.get(bucket.name));
    return {
      bucket: model,
      key: model.sse ? keyOf(model.sse.kmsKeyId, expected.destination) : undefined,
    };
  });

  /**
   * One direction's replications as deployed: each source bucket's configuration, its role (read
   * in the source account) and its rules into `destinations`.
   */
  const replicationsOf = (
    direction: Pick<FleetModel, "replications" | "source">,
    liveBuckets: Map<string, LiveBucket>,
    roles: Map<string, LiveRole>,
    destinations: { bucket: BucketModel; key?: KeyModel }[],
  ): ReplicationModel[] =>
    direction.replications.map((r): ReplicationModel => {
      const live = liveBuckets.get(r.sourceBucket.name);
      const sourceBucket = bucketModel(r.sourceBucket, live);
      const configuration = live?.replication;
      // The role read (./read.ts): the one the deployed configuration names, when it is in the bucket's own account.
      const roleName = roleNameOf(live, r.role.name, direction.source.account);
      const role = roles.get(roleName);
      const rules = (configuration?.Rules ?? []).map((apiRule, i): RuleModel => {
        const read = ruleFromApi(apiRule);
        const synthRule = r.rules.find((x) => x.rule.id === read.id)?.rule;
        const rule: ReplicationRule = synthRule
          ? defined({
              ...read,
              ...Object.fromEntries(gap.map((field) => [field, synthRule[field]])),
            })
          : read;
        const destinationName = (rule.destination.bucket ?? "").replace(/^arn:aws:s3:::/, "");
        const destinationBucket = destinations.find((d) => d.bucket.name === destinationName);
        const replicaKmsKeyId = rule.destination.encryption_configuration?.replica_kms_key_id;
        return {
          rule,
          id: rule.id ?? `#${i}`,
          destinationName,
          destinationBucket: destinationBucket?.bucket,
          destinationBucketKey: destinationBucket?.key,
          replicaKmsKeyId,
          replicaKey: replicaKmsKeyId ? keyOf(replicaKmsKeyId, direction.source) : undefined,
        };
      });
      if (gap.length && rules.length) {
        notes.push(`${r.sourceBucket.name}: ${gap.join(", ")} of every rule taken from the synth output, as asked (--rule-fields-from-synth): the account read does not keep them`);
      }
      const backfillRole = r.backfill && roles.get(r.backfill.role.name);
      return {
        resourceName: r.resourceName,
        count: configuration ? 1 : 0,
        role: roleModel(r.role.resourceName, roleName, role, configuration?.Role ?? r.role.arn),
        sourceBucket,
        sourceKey: keyOf(sourceBucket.sse?.kmsKeyId, direction.source),
        rules,
        ...(r.backfill
          ? {
              backfill: {
                role: roleModel(r.backfill.role.resourceName, r.backfill.role.name, backfillRole, r.backfill.role.arn),
                reportPrefix: backfillRole?.tags[BACKFILL_TAGS.reportPrefix] ?? r.backfill.reportPrefix,
              },
            }
          : {}),
      };
    });
  const replications = replicationsOf(expected, state.sourceBuckets, state.roles, destinationBuckets);
  // Two-way: the way back, from Bob's buckets (read above) into Alice's, with Bob's roles.
  const backDestinations = (expected.back?.destinationBuckets ?? []).map(({ bucket }) => {
    const model = bucketModel(bucket, state.sourceBuckets.get(bucket.name));
    return { bucket: model, key: model.sse ? keyOf(model.sse.kmsKeyId, expected.source) : undefined };
  });
  const back = expected.back && {
    source: expected.back.source,
    destination: expected.back.destination,
    replications: replicationsOf(expected.back, state.destinationBuckets, state.backRoles, backDestinations),
    destinationBuckets: backDestinations,
  };

  for (const key of state.keys.values()) {
    if (key.unreachable) notes.push(`key ${key.locator.target} of account ${key.locator.account} not read: ${key.unreachable}; the checks that need it fail`);
  }
  return {
    model: {
      source: expected.source,
      // Terraform-only matters (providers, provisioners, counts) are as synthesized.
      unprovable: expected.unprovable,
      destination: expected.destination,
      replications,
      destinationBuckets,
      ...(back ? { back } : {}),
      keys,
      providers: expected.providers,
      unboundResources: expected.unboundResources,
      alerts: expected.alerts && liveAlerts(expected, state, keyOf),
      // Nothing assumed: every key is read.
      assumptions: [],
    },
    keyArns,
    notes,
  };
}

function roleModel(resourceName: string, name: string, live: LiveRole | undefined, arn: string): RoleModel {
  return {
    resourceName,
    name,
    arn: live?.arn ?? arn,
    trustPolicy: policyDocument(live?.trustPolicy ?? '{"Statement":[]}', `the deployed trust policy of role ${name}`),
    policies: (live?.policies ?? []).map((p) => ({
      name: p.name,
      document: policyDocument(p.document, `the deployed policy ${p.name} of role ${name}`),
      ...(p.managed ? { managed: true as const } : {}),
    })),
  };
}

function keyModel(live: LiveKey | undefined, expected: FleetModel, keyArns: Map<string, string>): KeyModel | undefined {
  if (!live?.arn) return undefined;
  const { account, region } = live.locator;
  const managed = expected.keys.find((k) => keyArns.get(k.arn) === live.arn);
  return {
    resourceName: managed?.resourceName,
    arn: live.arn,
    account,
    region,
    policy: policyDocument(live.policy ?? '{"Statement":[]}', `the deployed policy of key ${live.arn}`),
    aliases: managed?.aliases ?? [],
    customerManaged: live.manager === "CUSTOMER",
    state: live.state,
  };
}

function liveAlerts(expected: FleetModel, state: LiveState, keyOf: (ref: string | undefined, caller: Placement) => KeyModel | undefined): FleetModel["alerts"] {
  const alerts = expected.alerts!;
  const topic = state.topic;
  return {
    topicResourceName: alerts.topicResourceName,
    topicArn: alerts.topicArn,
    region: alerts.region,
    policy: topic?.policy ? policyDocument(topic.policy, `the deployed policy of topic ${alerts.topicArn}`) : undefined,
    kmsMasterKeyId: topic?.kmsMasterKeyId,
    key: topic?.kmsMasterKeyId ? keyOf(topic.kmsMasterKeyId, expected.source) : undefined,
    notifications: [...state.sourceBuckets.values()].map((b) => ({
      bucketName: b.name,
      topics: b.notifications,
    })),
    subscriptions: alerts.subscriptions,
    alarms: alerts.alarms.flatMap((a): AlarmModel[] => {
      const live = state.alarms.find((x) => x.AlarmName === a.name);
      if (!live) return [];
      return [
        {
          resourceName: a.resourceName,
          name: live.AlarmName,
          namespace: live.Namespace,
          metricName: live.MetricName,
          dimensions: Object.fromEntries((live.Dimensions ?? []).map((d) => [d.Name, d.Value])),
          alarmActions: live.AlarmActions ?? [],
          settings: {
            statistic: live.Statistic,
            period: live.Period,
            evaluation_periods: live.EvaluationPeriods,
            threshold: live.Threshold,
            comparison_operator: live.ComparisonOperator,
            treat_missing_data: live.TreatMissingData,
            actions_enabled: live.ActionsEnabled,
          },
        },
      ];
    }),
  };
}
