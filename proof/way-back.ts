// The way back of a two-way pair (Bob's buckets replicating into Alice's, with roles of Bob's
// account), proved as a fleet of its own: the same declared requests, intended access and rule
// checks, with the accounts' parts swapped. The forward model checks every bucket and key already.
import type { Finding } from "./checks/static-checks";
import type { RequestCheck } from "./requests/request";
import type { FleetModel } from "./synth/model";

/** The model of the way back: Bob's account as the source, Alice's as the destination; undefined without two-way rules. */
export function wayBack(m: FleetModel): FleetModel | undefined {
  if (!m.back) return undefined;
  return { ...m, ...m.back, alerts: undefined, back: undefined, assumptions: [], unprovable: [] };
}

/** Text written for the forward direction, told of the way back: Alice's parts are Bob's, and Bob's Alice's. */
export const swapOwners = (text: string): string => text.replace(/\b(Alice|Bob)\b/g, (who) => (who === "Alice" ? "Bob" : "Alice"));

export const findingOfWayBack = (f: Finding): Finding => ({ ...f, detail: swapOwners(f.detail), ...(f.fix ? { fix: swapOwners(f.fix) } : {}) });

export const requestOfWayBack = (q: RequestCheck): RequestCheck => ({
  ...q,
  title: `${swapOwners(q.title)} (the way back)`,
  policyNames: { identity: swapOwners(q.policyNames.identity), resource: swapOwners(q.policyNames.resource) },
});

/**
 * Both ends of every two-way pair sync replica modifications: metadata changed on a replica (tags,
 * ACLs, Object Lock retention) flows back only where the rule of that end asks for it.
 */
export function twoWayChecks(m: FleetModel): Finding[] {
  const enabled = (rule: { source_selection_criteria?: { replica_modifications?: { status?: unknown } } }) => rule.source_selection_criteria?.replica_modifications?.status === "Enabled";
  return (m.back?.replications ?? []).flatMap((back) =>
    back.rules.map((backRule): Finding => {
      const forward = m.replications.find((r) => r.sourceBucket.name === backRule.destinationName);
      const there = forward?.rules.find((x) => x.destinationName === back.sourceBucket.name);
      const holds = Boolean(there) && enabled(there!.rule) && enabled(backRule.rule);
      return {
        group: backRule.destinationName,
        check: "replica modification sync at both ends of a two-way pair",
        holds,
        detail: there
          ? `${backRule.destinationName} -> ${back.sourceBucket.name} (rule ${there.id}): ${enabled(there.rule) ? "on" : "off"}; back (rule ${backRule.id}): ${enabled(backRule.rule) ? "on" : "off"}`
          : `${back.sourceBucket.name} replicates back into ${backRule.destinationName} (rule ${backRule.id}), but no rule of ${backRule.destinationName} replicates into ${back.sourceBucket.name}`,
        ...(holds
          ? {}
          : {
              fix: there
                ? 'set source_selection_criteria { replica_modifications { status = "Enabled" } } on both rules: metadata changed on a replica would not flow back otherwise'
                : `a way back needs its way there: add the rule into ${back.sourceBucket.name} (twoWay in the config), or remove the replication configuration of ${back.sourceBucket.name}`,
            }),
      };
    }),
  );
}
