// One replication rule, typed, as both readers decode it: the synth reader from the provider's
// `rule` block (./synth/model.ts), the live reader from GetBucketReplication (./live/model.ts).
// The names are the provider's attribute names, so a finding or a drift names what a user edits;
// blocks are single objects and numbers are numbers, whichever form the JSON wrote them in.
import { VerifyInputError } from "./errors";
import { optionalObjectAt, optionalStringAt, tfNumber } from "./synth/read";

export interface StatusBlock {
  status?: string;
}

export interface FilterBlock {
  prefix?: string;
  tag?: { key?: string; value?: string };
  and?: { prefix?: string; tags?: Record<string, string> };
}

export interface DestinationBlock {
  /** The destination bucket's ARN. */
  bucket?: string;
  account?: string;
  storage_class?: string;
  access_control_translation?: { owner?: string };
  encryption_configuration?: { replica_kms_key_id?: string };
  replication_time?: { status?: string; time?: { minutes?: number } };
  metrics?: { status?: string; event_threshold?: { minutes?: number } };
}

export interface ReplicationRule {
  id?: string;
  priority?: number;
  status?: string;
  /** A V1 rule's prefix (a rule without a filter). */
  prefix?: string;
  filter?: FilterBlock;
  delete_marker_replication?: StatusBlock;
  existing_object_replication?: StatusBlock;
  source_selection_criteria?: { sse_kms_encrypted_objects?: StatusBlock; replica_modifications?: StatusBlock };
  destination: DestinationBlock;
}

/** The top-level fields of a rule, which verify --live may take from the synth output (an emulator's gap). */
export const REPLICATION_RULE_FIELDS = [
  "id",
  "priority",
  "status",
  "prefix",
  "filter",
  "delete_marker_replication",
  "existing_object_replication",
  "source_selection_criteria",
  "destination",
] as const satisfies readonly (keyof ReplicationRule)[];
export type ReplicationRuleField = (typeof REPLICATION_RULE_FIELDS)[number];
export const isReplicationRuleField = (name: string): name is ReplicationRuleField => (REPLICATION_RULE_FIELDS as readonly string[]).includes(name);

/** Drops undefined fields, so two decodings of one rule compare equal. */
export function defined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// An attribute the provider does not know would fail terraform's plan; an unknown one here means
// the proof would drop part of the rule, so it is refused rather than ignored.
function fields(value: unknown, where: string, known: readonly string[]): Record<string, unknown> | undefined {
  const single = Array.isArray(value) ? (value.length > 1 ? tooMany(where) : value[0]) : value;
  const o = optionalObjectAt(single, where);
  const unknown = o ? Object.keys(o).filter((k) => !known.includes(k)) : [];
  if (unknown.length) throw new VerifyInputError(`${where}: ${unknown.join(", ")} is not an attribute of the provider's replication rule`);
  return o;
}
const tooMany = (where: string): never => {
  throw new VerifyInputError(`${where}: expected one block, found several`);
};

function numberAt(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  const n = tfNumber(value);
  if (n === undefined) throw new VerifyInputError(`${where}: expected a number, found ${JSON.stringify(value)}`);
  return n;
}

function statusBlock(value: unknown, where: string): StatusBlock | undefined {
  const o = fields(value, where, ["status"]);
  return o && defined({ status: optionalStringAt(o.status, `${where}.status`) });
}

/** A block holding only `minutes` (replication_time.time, metrics.event_threshold). */
function minutesBlock(value: unknown, where: string): { minutes?: number } | undefined {
  const o = fields(value, where, ["minutes"]);
  return o && defined({ minutes: numberAt(o.minutes, `${where}.minutes`) });
}

function stringMap(value: unknown, where: string): Record<string, string> | undefined {
  const o = optionalObjectAt(value, where);
  return o && Object.fromEntries(Object.entries(o).map(([k, v]) => [k, optionalStringAt(v, `${where}.${k}`) ?? ""]));
}

/** A `rule` block of aws_s3_bucket_replication_configuration, every reference already resolved. */
export function ruleFromTerraform(value: unknown, where: string): ReplicationRule {
  const r = fields(value, where, REPLICATION_RULE_FIELDS) ?? {};
  const at = (field: string) => `${where}.${field}`;
  const filter = fields(r.filter, at("filter"), ["prefix", "tag", "and"]);
  const tag = fields(filter?.tag, at("filter.tag"), ["key", "value"]);
  const and = fields(filter?.and, at("filter.and"), ["prefix", "tags"]);
  const ssc = fields(r.source_selection_criteria, at("source_selection_criteria"), ["sse_kms_encrypted_objects", "replica_modifications"]);
  const d =
    fields(r.destination, at("destination"), ["bucket", "account", "storage_class", "access_control_translation", "encryption_configuration", "replication_time", "metrics"]) ?? {};
  const dAt = (field: string) => at(`destination.${field}`);
  const acl = fields(d.access_control_translation, dAt("access_control_translation"), ["owner"]);
  const encryption = fields(d.encryption_configuration, dAt("encryption_configuration"), ["replica_kms_key_id"]);
  const rtc = fields(d.replication_time, dAt("replication_time"), ["status", "time"]);
  const metrics = fields(d.metrics, dAt("metrics"), ["status", "event_threshold"]);
  return defined({
    id: optionalStringAt(r.id, at("id")),
    priority: numberAt(r.priority, at("priority")),
    status: optionalStringAt(r.status, at("status")),
    prefix: optionalStringAt(r.prefix, at("prefix")),
    filter:
      filter &&
      defined({
        prefix: optionalStringAt(filter.prefix, at("filter.prefix")),
        tag: tag && defined({ key: optionalStringAt(tag.key, at("filter.tag.key")), value: optionalStringAt(tag.value, at("filter.tag.value")) }),
        and: and && defined({ prefix: optionalStringAt(and.prefix, at("filter.and.prefix")), tags: stringMap(and.tags, at("filter.and.tags")) }),
      }),
    delete_marker_replication: statusBlock(r.delete_marker_replication, at("delete_marker_replication")),
    existing_object_replication: statusBlock(r.existing_object_replication, at("existing_object_replication")),
    source_selection_criteria:
      ssc &&
      defined({
        sse_kms_encrypted_objects: statusBlock(ssc.sse_kms_encrypted_objects, at("source_selection_criteria.sse_kms_encrypted_objects")),
        replica_modifications: statusBlock(ssc.replica_modifications, at("source_selection_criteria.replica_modifications")),
      }),
    destination: defined({
      bucket: optionalStringAt(d.bucket, dAt("bucket")),
      account: optionalStringAt(d.account, dAt("account")),
      storage_class: optionalStringAt(d.storage_class, dAt("storage_class")),
      access_control_translation: acl && defined({ owner: optionalStringAt(acl.owner, dAt("access_control_translation.owner")) }),
      encryption_configuration: encryption && defined({ replica_kms_key_id: optionalStringAt(encryption.replica_kms_key_id, dAt("encryption_configuration.replica_kms_key_id")) }),
      replication_time: rtc && defined({ status: optionalStringAt(rtc.status, dAt("replication_time.status")), time: minutesBlock(rtc.time, dAt("replication_time.time")) }),
      metrics: metrics && defined({ status: optionalStringAt(metrics.status, dAt("metrics.status")), event_threshold: minutesBlock(metrics.event_threshold, dAt("metrics.event_threshold")) }),
    }),
  });
}

/** Owner override: S3 makes Bob the owner of the replicas. */
export const overridesOwner = (rule: ReplicationRule): boolean => rule.destination.access_control_translation?.owner === "Destination";
