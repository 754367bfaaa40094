import { buildPairModel, loadSynthOutput } from "./model";
import { replicationRequests, runRequests, staticChecks } from "./proof";
import type { VerifyReport } from "./report";

/** Proves a synthesized pair (the folder `cdktf synth` wrote). Throws VerifyInputError on unusable input. */
export async function verify(dir: string): Promise<VerifyReport> {
  const started = Date.now();
  const model = buildPairModel(loadSynthOutput(dir));
  const findings = staticChecks(model);
  const requests = await runRequests(replicationRequests(model));
  const ok = findings.every((f) => f.holds) && requests.every((q) => q.holds);
  return { dir, ok, findings, requests, milliseconds: Date.now() - started };
}
