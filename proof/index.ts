import type { ReplicationConfig } from "../lib/config";
import { driftFindings } from "./checks/drift";
import type { AccountClients } from "./live/clients";
import { liveFleetModel, type LiveProofOptions } from "./live/model";
import { readLiveState } from "./live/read";
import { readGuardrails } from "./live/guardrails";
import { buildFleetModel, type FleetModel } from "./synth/model";
import type { ReplicationTopology, VerifyReport } from "./report";
import { fleetRequests, runRequests } from "./requests/requests";
import { runRequestsInWorker } from "./requests/run-in-worker";
import { ALERTS_GROUP, DESTINATION_GROUP, staticChecks, type Finding } from "./checks/static-checks";
import { analyseAccess } from "./access/analysis";
import { VerifyInputError } from "./errors";
import { loadSynthOutput, type SynthOutput } from "./synth/synth-output";
import { withGuardrails } from "./guardrails/apply";
import { analyseGuardrails } from "./guardrails/analysis";
import type { Guardrails } from "./guardrails/guardrails-file";
import { findingOfWayBack, requestOfWayBack, twoWayChecks, wayBack } from "./way-back";

/** Proves a synthesized fleet or pair (the folder `cdktf synth` wrote). Throws VerifyInputError on unusable input. */
export async function verify(dir: string, options: ProofOptions = {}): Promise<VerifyReport> {
  return verifySynthOutput(loadSynthOutput(dir), options);
}

/** Who replicates where, for the report's picture. */
function topologyOf(m: FleetModel): ReplicationTopology {
  const keyName = (k?: { aliases: string[]; arn: string }) => (k ? (k.aliases[0] ?? k.arn) : undefined);
  const rulesOf = (replications: FleetModel["replications"]) =>
    replications.flatMap((r) => r.rules.map((x) => ({ from: r.sourceBucket.name, to: x.destinationName, id: x.id, replicaKey: keyName(x.replicaKey) })));
  return {
    source: m.source,
    destination: m.destination,
    sourceBuckets: m.replications.map((r) => ({ name: r.sourceBucket.name, key: keyName(r.sourceKey) })),
    destinationBuckets: m.destinationBuckets.map((d) => ({ name: d.bucket.name, key: keyName(d.key) })),
    // The way back of two-way pairs too: from Bob's buckets to Alice's.
    rules: [...rulesOf(m.replications), ...rulesOf(m.back?.replications ?? [])],
  };
}

export interface ProofOptions {
  /** The organization's SCPs and RCPs (verify --guardrails): every declared request is evaluated under them. */
  guardrails?: Guardrails;
}

/** Static checks and requests of one model, whichever source of truth it came from. */
async function prove(model: FleetModel, extraFindings: Finding[] = [], options: ProofOptions = {}) {
  // Two-way: the way back's own checks and requests, told as the way back (./way-back.ts).
  const back = wayBack(model);
  const findings = [...staticChecks(model), ...(back ? [...staticChecks(back, "way back").map(findingOfWayBack), ...twoWayChecks(model)] : []), ...extraFindings];
  const checks = [...fleetRequests(model), ...(back ? fleetRequests(back).map(requestOfWayBack) : [])];
  // The declared requests (on a worker thread for a large fleet) beside the access analysis. The
  // requests pass every policy through the engine's validation: their failure is the one reported,
  // whatever the analysis made of a policy the engine rejects. The analysis judges the stacks' own
  // policies: a guardrail only narrows, and can change without them.
  const running = runRequestsInWorker(checks);
  const analysing = analyseAccess(model, { destination: DESTINATION_GROUP, alerts: ALERTS_GROUP });
  analysing.catch(() => undefined); // awaited below, after the requests
  const plain = await running;
  const access = await analysing;
  const { guardrails: g } = options;
  const requests = g ? await runRequests(checks.map((c) => withGuardrails(c, g))) : plain;
  const guardrails = g ? await analyseGuardrails(model, checks, plain, requests, g) : undefined;
  return {
    ok: findings.every((f) => f.holds) && requests.every((q) => q.holds) && access.findings.length === 0 && !guardrails?.blocks.length,
    findings,
    requests,
    access,
    ...(guardrails ? { guardrails } : {}),
    topology: topologyOf(model),
  };
}

/** Proves synth output already read (the tests' damaged copies are built in memory). */
export async function verifySynthOutput(out: SynthOutput, options: ProofOptions = {}): Promise<VerifyReport> {
  const started = Date.now();
  const model = buildFleetModel(out);
  const proof = await prove(model, [], options);
  const { record, warning } = out.synthesizedFrom ?? {};
  return {
    dir: out.dir,
    ...(record ? { synthesizedFrom: record } : {}),
    ...(warning ? { warnings: [warning] } : {}),
    ...(model.assumptions.length ? { notes: model.assumptions } : {}),
    ...proof,
    milliseconds: Date.now() - started,
  };
}

/**
 * verify --live: reads what is deployed in both accounts with the clients given (tools/accounts.ts
 * builds them from the config's credentials, after checking they act in the configured accounts),
 * proves it as the synth output is proved, and reports every difference from the synth output in
 * `dir` as a finding with its fix.
 */
export async function verifyLive(
  dir: string,
  config: ReplicationConfig,
  connect: (stack: "source" | "dest") => Promise<AccountClients>,
  options: LiveProofOptions & ProofOptions = {},
): Promise<VerifyReport> {
  const started = Date.now();
  const expected = buildFleetModel(loadSynthOutput(dir));
  for (const [stack, placed, account] of [
    ["source", expected.source, config.sourceAccount],
    ["dest", expected.destination, config.destinationAccount],
  ] as const) {
    if (placed.account !== account.accountId || placed.region !== account.region) {
      throw new VerifyInputError(
        `stack ${stack} in ${dir} is for account ${placed.account} in ${placed.region}, but the config says ${account.accountId} in ${account.region}: run cdktf synth with this config first`,
      );
    }
  }
  const [sourceClients, destinationClients] = [await connect("source"), await connect("dest")];
  const state = await readLiveState(expected, sourceClients, destinationClients);
  const live = liveFleetModel(expected, state, options);
  const existing = [...state.sourceBuckets.values(), ...state.destinationBuckets.values()].filter((b) => b.exists).map((b) => b.name);
  // Guardrails: the file given, or what each account's credentials may read from Organizations.
  const read = options.guardrails
    ? { guardrails: options.guardrails, notes: [] }
    : await readGuardrails([
        { who: "Alice's (source)", accountId: sourceClients.accountId, organizations: sourceClients.organizations },
        { who: "Bob's (destination)", accountId: destinationClients.accountId, organizations: destinationClients.organizations },
      ]);
  const proof = await prove(live.model, driftFindings(expected, live, { buckets: new Set(existing) }), { ...options, guardrails: read.guardrails });
  return {
    dir,
    subject: `the deployed accounts ${config.sourceAccount.accountId} (source) and ${config.destinationAccount.accountId} (dest), against ${dir}`,
    notes: [...live.notes, ...read.notes],
    ...proof,
    milliseconds: Date.now() - started,
  };
}
