import { buildFleetModel } from "./model";
import type { VerifyReport } from "./report";
import { fleetRequests, runRequests } from "./requests";
import { staticChecks } from "./static-checks";
import { loadSynthOutput, type SynthOutput } from "./synth-output";

/** Proves a synthesized fleet or pair (the folder `cdktf synth` wrote). Throws VerifyInputError on unusable input. */
export async function verify(dir: string): Promise<VerifyReport> {
  return verifySynthOutput(loadSynthOutput(dir));
}

/** Proves synth output already read (the tests' damaged copies are built in memory). */
export async function verifySynthOutput(out: SynthOutput): Promise<VerifyReport> {
  const { dir } = out;
  const started = Date.now();
  const model = buildFleetModel(out);
  const findings = staticChecks(model);
  const requests = await runRequests(fleetRequests(model));
  const ok = findings.every((f) => f.holds) && requests.every((q) => q.holds);
  return { dir, ok, findings, requests, milliseconds: Date.now() - started };
}
