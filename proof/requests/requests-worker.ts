// The thread that runs the declared requests beside the access analysis (./run-in-worker.ts): it
// receives them as workerData, runs them as runRequests does, and posts back the outcomes, or the
// failure with its kind, so that the caller can raise it as its own.
import { parentPort, workerData } from "node:worker_threads";
import { EngineGapError } from "../engine";
import type { RequestCheck } from "./request";
import { runRequests } from "./requests";

runRequests(workerData as RequestCheck[]).then(
  (outcomes) => parentPort!.postMessage({ outcomes }),
  (e: Error) => parentPort!.postMessage({ failure: { engineGap: e instanceof EngineGapError, message: e.message } }),
);
