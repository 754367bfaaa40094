// The second plan of an emulated deploy: what terraform would still change, to the block, and the
// one difference a converged deployment may show on moto.
import { strict as assert } from "node:assert";
import type { ReplicationConfig, RuleConfig } from "../../lib/config";
import { destinationBucketNames, sourceBucketNames } from "../../lib/naming";
import { twoWayPairs } from "../../lib/topology";
import { differingPaths } from "../../proof/json-diff";
import { terraform } from "./inspect";
import type { Scratch } from "./workspace";

export interface PlannedChange {
  address: string;
  actions: string[];
  /** Changed attributes, to the block: `rule.0.filter`, not every leaf under it. */
  paths: string[];
}

/** The resource_changes of a plan of `stack` (terraform show -json), with extra plan arguments. */
export function planResourceChanges(d: Scratch, stack: string, planArgs: string[] = []): any[] {
  const planFile = "check.tfplan";
  const plan = terraform(d, stack, ["plan", "-input=false", "-no-color", "-detailed-exitcode", ...planArgs, `-out=${planFile}`]);
  assert.ok(plan.status === 0 || plan.status === 2, `terraform plan of ${stack} failed: ${plan.stderr}`);
  const show = terraform(d, stack, ["show", "-json", planFile]);
  assert.equal(show.status, 0, show.stderr);
  return (JSON.parse(show.stdout).resource_changes ?? []) as any[];
}

/** Resource changes a plan of `stack` proposes, with the attribute blocks each one changes. */
export function plannedChanges(d: Scratch, stack: string): PlannedChange[] {
  return planResourceChanges(d, stack)
    .filter((c) => !["no-op", "read"].includes(c.change.actions.join()))
    .map((c) => ({
      address: c.address,
      actions: c.change.actions,
      paths: [...new Set(differingPaths(c.change.before, c.change.after).map((p) => p.split(".").slice(0, 3).join(".")))],
    }));
}

/**
 * moto's read-back of a replication configuration drops SourceSelectionCriteria, reports every
 * filter as `Prefix = ""` and every DeleteMarkerReplication as Disabled. So the second plan of
 * source re-adds, per rule: source_selection_criteria always, the filter where the rule has one,
 * and delete_marker_replication where it is Enabled. This is the only difference a converged
 * deployment may show on moto, and exactly this, rule by rule.
 */
export function knownMotoGap(config: ReplicationConfig, stack: "source" | "dest" = "source"): PlannedChange[] {
  const gapOf = (address: string, rules: RuleConfig[]): PlannedChange => ({
    address,
    actions: ["update"],
    paths: rules.flatMap((r, i) => [
      ...(r.replicateDeleteMarkers ? [`rule.${i}.delete_marker_replication`] : []),
      ...(r.filter ? [`rule.${i}.filter`] : []),
      `rule.${i}.source_selection_criteria`,
    ]),
  });
  // dest holds the way back of each two-way pair: one rule, with the two-way rule's switches.
  if (stack === "dest") return twoWayPairs(config).map((p) => gapOf(`aws_s3_bucket_replication_configuration.${destinationBucketNames(config, p.destination.bucketName).reverseReplication}`, [p.rule]));
  return config.sourceBuckets.map((b) => gapOf(`aws_s3_bucket_replication_configuration.${sourceBucketNames(config, b.bucketName).replication}[0]`, b.rules));
}

