// Which source buckets a bring-up holds back on a running pair or account: those whose rules name
// a bucket of Bob's that the destination stack's state does not hold yet. Shared by the pair's
// bring-up (./bring-up.ts) and the organization's (./organization-bring-up.ts).
import type { ReplicationConfig } from "../lib/config";

/** One cdktf command of a bring-up, and what it does. */
export interface Step {
  title: string;
  args: string[];
}

/** The values of a stack's outputs whose names begin with `name` (the pair's `name`, a fleet's `name_<bucket>`). */
const outputValues = (outputs: Record<string, unknown>, name: string): Set<string> =>
  new Set(Object.entries(outputs).flatMap(([key, value]) => (key === name || key.startsWith(`${name}_`)) && typeof value === "string" ? [value] : []));

/**
 * On a running pair, the source buckets whose rules name a bucket of Bob's that dest's state does
 * not hold: new ones are held back until dest has created it; an existing one cannot be, without
 * pausing its replication, so the bring-up stops before it applies anything (docs/fleets.md).
 */
export function heldBackFor(config: ReplicationConfig, outputs: { source: Record<string, unknown>; dest: Record<string, unknown> }): { heldBack: string[]; blocked: string[] } {
  const existingDestinations = outputValues(outputs.dest, "destination_bucket_name");
  const existingSources = outputValues(outputs.source, "source_bucket_name");
  const waiting = config.sourceBuckets.filter((b) => b.rules.some((r) => !existingDestinations.has(r.destinationBucket))).map((b) => b.bucketName);
  return { heldBack: waiting.filter((name) => !existingSources.has(name)), blocked: waiting.filter((name) => existingSources.has(name)) };
}

