import type { ReplicationConfig } from "../../lib/config";
import { driftFindings } from "./drift";
import { liveClients } from "../accounts";
import { liveFleetModel } from "./live/model";
import { readLiveState } from "./live/read";
import { buildFleetModel, type FleetModel } from "./model";
import type { VerifyReport } from "./report";
import { fleetRequests, runRequests } from "./requests";
import { staticChecks, type Finding } from "./static-checks";
import { loadSynthOutput, VerifyInputError, type SynthOutput } from "./synth-output";

/** Proves a synthesized fleet or pair (the folder `cdktf synth` wrote). Throws VerifyInputError on unusable input. */
export async function verify(dir: string): Promise<VerifyReport> {
  return verifySynthOutput(loadSynthOutput(dir));
}

/** Static checks and requests of one model, whichever source of truth it came from. */
async function prove(model: FleetModel, extraFindings: Finding[] = []) {
  const findings = [...staticChecks(model), ...extraFindings];
  const requests = await runRequests(fleetRequests(model));
  return { ok: findings.every((f) => f.holds) && requests.every((q) => q.holds), findings, requests };
}

/** Proves synth output already read (the tests' damaged copies are built in memory). */
export async function verifySynthOutput(out: SynthOutput): Promise<VerifyReport> {
  const started = Date.now();
  const model = buildFleetModel(out);
  const proof = await prove(model);
  return { dir: out.dir, ...(model.assumptions.length ? { notes: model.assumptions } : {}), ...proof, milliseconds: Date.now() - started };
}

/**
 * verify --live: reads what is deployed in both accounts (the config's credentials, or the
 * emulator), proves it as the synth output is proved, and reports every difference from the synth
 * output in `dir` as a finding with its fix.
 */
export async function verifyLive(dir: string, config: ReplicationConfig): Promise<VerifyReport> {
  const started = Date.now();
  const expected = buildFleetModel(loadSynthOutput(dir));
  for (const [stack, placed, account] of [
    ["source", expected.source, config.sourceAccount],
    ["dest", expected.dest, config.destinationAccount],
  ] as const) {
    if (placed.account !== account.accountId || placed.region !== account.region) {
      throw new VerifyInputError(
        `stack ${stack} in ${dir} is for account ${placed.account} in ${placed.region}, but the config says ${account.accountId} in ${account.region}: run cdktf synth with this config first`,
      );
    }
  }
  const [alice, bob] = [await liveClients(config, "source"), await liveClients(config, "dest")];
  const state = await readLiveState(expected, alice, bob);
  const live = liveFleetModel(expected, state, { emulator: Boolean(config.emulator) });
  const existing = [...state.sourceBuckets.values(), ...state.destinationBuckets.values()].filter((b) => b.exists).map((b) => b.name);
  const proof = await prove(live.model, driftFindings(expected, live, { buckets: new Set(existing) }));
  return {
    dir,
    subject: `the deployed accounts ${config.sourceAccount.accountId} (source) and ${config.destinationAccount.accountId} (dest), against ${dir}`,
    notes: live.notes,
    ...proof,
    milliseconds: Date.now() - started,
  };
}
