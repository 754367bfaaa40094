// The declared requests of a large fleet on the machine's other core. On 1,000 buckets they are
// 37,000 engine calls (about 4.5 s), independent of the access analysis's 94,000: a worker thread
// runs them while the analysis runs here. Few requests (a pair, a test's fleet) are run in this
// thread, where starting a worker would cost more than it saves; so are they when this module
// runs from TypeScript sources (under jest), which a worker thread cannot load.
import { existsSync } from "node:fs";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { EngineGapError } from "../engine";
import type { RequestCheck, RequestOutcome } from "./request";
import { runRequests } from "./requests";

/** Below this many requests they run in this thread. */
const REQUESTS_WORTH_A_WORKER = 2_000;

const WORKER_SCRIPT = path.join(__dirname, "requests-worker.js");

/** runRequests(checks), on a worker thread when there are at least `worthAWorker` of them and the compiled worker is there (not beside TypeScript sources). */
export function runRequestsInWorker(checks: RequestCheck[], worthAWorker = REQUESTS_WORTH_A_WORKER): Promise<RequestOutcome[]> {
  if (checks.length < worthAWorker || !existsSync(WORKER_SCRIPT)) return runRequests(checks);
  return new Promise((resolve, reject) => {
    // The checks share their policy documents; one structured clone keeps them shared in the worker.
    const worker = new Worker(WORKER_SCRIPT, { workerData: checks });
    let settled = false;
    worker.once("message", (m: { outcomes?: RequestOutcome[]; failure?: { engineGap: boolean; message: string } }) => {
      settled = true;
      if (m.outcomes) resolve(m.outcomes);
      else reject(m.failure!.engineGap ? new EngineGapError(m.failure!.message) : new Error(m.failure!.message));
    });
    worker.once("error", (e) => {
      settled = true;
      reject(e);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`the worker thread running the declared requests exited with code ${code} before it answered`));
    });
  });
}
