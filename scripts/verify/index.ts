import { buildFleetModel } from "./model";
import type { VerifyReport } from "./report";
import { fleetRequests, runRequests } from "./requests";
import { staticChecks } from "./static-checks";
import { loadSynthOutput } from "./synth-output";

/** Proves a synthesized fleet or pair (the folder `cdktf synth` wrote). Throws VerifyInputError on unusable input. */
export async function verify(dir: string): Promise<VerifyReport> {
  const started = Date.now();
  const model = buildFleetModel(loadSynthOutput(dir));
  const findings = staticChecks(model);
  const requests = await runRequests(fleetRequests(model));
  const ok = findings.every((f) => f.holds) && requests.every((q) => q.holds);
  return { dir, ok, findings, requests, milliseconds: Date.now() - started };
}
