// npm run bring-up of an organization: the pair's three steps (./bring-up.ts), each over every
// stack of its kind at once. 1: every source stack that is not running yet, with its replication
// held back (and a running one holding back only the buckets whose destination is new); 2: every
// destination stack; 3: every source stack with replication on. The stacks of a step are
// independent and run concurrently, at most `parallelism` at a time. Where each source account
// stands is read from its own state and its destination stack's, so a bring-up killed in any step
// resumes; an account added later is brought up without touching a running account's replication.
import type { OrganizationConfig } from "../lib/config";
import { DESTINATION_READY_VARIABLE, HELD_BACK_VARIABLE } from "../lib/naming";
import { heldBackFor, type Step } from "./held-back";

/** Where one source account stands: "fresh" or "held back" (not replicating yet), or running, perhaps with buckets to hold back. */
export type AccountState = { kind: "held back" } | { kind: "running"; heldBack: string[] };

/** Every stack's outputs, by stack name ({} before its first apply). */
export type StackOutputs = Record<string, Record<string, unknown>>;

/**
 * Each source account's state. Its replication_enabled output is true only once step 3 has applied
 * it, which runs only after its destination stack's apply finished; a running account whose
 * existing buckets now name a bucket of Bob's not yet created is refused (as for a fleet).
 */
export function accountStates(config: OrganizationConfig, outputs: StackOutputs): Map<string, AccountState> {
  const states = new Map<string, AccountState>();
  for (const account of config.sourceAccounts) {
    const source = outputs[account.stack] ?? {};
    if (source.replication_enabled !== true) {
      states.set(account.stack, { kind: "held back" });
      continue;
    }
    const dest = outputs[`dest-${account.destination}`] ?? {};
    const { heldBack, blocked } = heldBackFor(account.config, { source, dest });
    if (blocked.length) {
      throw new Error(
        `${account.stack}: ${blocked.join(", ")} already replicate${blocked.length > 1 ? "" : "s"} and now name${blocked.length > 1 ? "" : "s"} a bucket of Bob's that dest-${account.destination} has not created: S3 refuses the configuration until it exists. Nothing was applied; docs/fleets.md ("Adding a bucket of Bob's to a running fleet") says how to go on`,
      );
    }
    states.set(account.stack, { kind: "running", heldBack });
  }
  return states;
}

/** The cdktf commands of an organization's bring-up from where its accounts stand. */
export function organizationBringUpSteps(config: OrganizationConfig, states: Map<string, AccountState>, extra: string[], parallelism: number): Step[] {
  const deploy = (stacks: string[], ...args: string[]) => ["deploy", ...stacks, "--skip-synth", "--parallelism", String(parallelism), ...args, ...extra];
  const sources = config.sourceAccounts.map((a) => a.stack);
  const holding = sources.filter((s) => states.get(s)?.kind === "held back");
  const partly = sources.flatMap((s) => {
    const state = states.get(s);
    return state?.kind === "running" && state.heldBack.length ? [[s, state.heldBack] as const] : [];
  });
  if (!holding.length && !partly.length) {
    return [{ title: "converge the running organization (every source stack, then every destination stack)", args: deploy([...sources, ...config.destinationAccounts.map((d) => d.stack)]) }];
  }
  return [
    ...(holding.length ? [{ title: `1/3 ${holding.join(", ")} with replication held back`, args: deploy(holding, "--var", `${DESTINATION_READY_VARIABLE}=false`) }] : []),
    // A running account's new buckets wait one by one (each its own list); its other buckets keep replicating.
    ...partly.map(([stack, buckets]) => ({ title: `1/3 ${stack}, holding back ${buckets.join(", ")} (a bucket of Bob's their rules name is new)`, args: deploy([stack], "--var", `${HELD_BACK_VARIABLE}=${JSON.stringify(buckets)}`) })),
    { title: "2/3 every destination stack (each reads its writers' role ARNs)", args: deploy(config.destinationAccounts.map((d) => d.stack), "--ignore-missing-stack-dependencies") },
    { title: "3/3 every source stack with replication on", args: deploy(sources) },
  ];
}
