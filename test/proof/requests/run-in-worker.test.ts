// The declared requests on a worker thread (proof/requests/run-in-worker.ts) answer exactly as in
// this thread, and a failure there arrives here as the same kind of error. The worker runs compiled
// code, so this test loads the compiled module (npm test builds dist/ first).
import * as path from "node:path";
import { fleetRequests, runRequests } from "../../../proof/requests/requests";
import type { RequestCheck, RequestOutcome } from "../../../proof/requests/request";
import { buildFleetModel } from "../../../proof/synth/model";
import { loadSynthOutput } from "../../../proof/synth/synth-output";
import { runApp } from "../../support/app";
import { PROJECT_ROOT } from "../../support/fixtures";

const compiled = (m: string) => require(path.join(PROJECT_ROOT, "dist", "proof", m));
const { runRequestsInWorker } = compiled("requests/run-in-worker.js") as { runRequestsInWorker: (c: RequestCheck[], worthAWorker?: number) => Promise<RequestOutcome[]> };
const { EngineGapError } = compiled("engine.js") as { EngineGapError: new (m: string) => Error };
const { Worker } = require("node:worker_threads") as typeof import("node:worker_threads");

const checks = fleetRequests(buildFleetModel(loadSynthOutput(runApp(path.join(PROJECT_ROOT, "examples", "fleet.json")).outdir)));

/** Counts the worker threads started while `run` runs. */
async function workersStartedBy<T>(run: () => Promise<T>): Promise<{ result: T; started: number }> {
  const threads = require("node:worker_threads");
  let started = 0;
  threads.Worker = class extends Worker {
    constructor(...args: ConstructorParameters<typeof Worker>) {
      super(...args);
      started++;
    }
  };
  try {
    return { result: await run(), started };
  } finally {
    threads.Worker = Worker;
  }
}

test("on a worker thread, every declared request of the fleet example has the outcome it has here", async () => {
  const { result, started } = await workersStartedBy(() => runRequestsInWorker(checks, 0));
  expect(started).toBe(1);
  expect(result).toEqual(await runRequests(checks));
  expect(result.length).toBe(checks.length);
});

test("few requests stay in this thread", async () => {
  const { result, started } = await workersStartedBy(() => runRequestsInWorker(checks.slice(0, 5)));
  expect(started).toBe(0);
  expect(result).toEqual(await runRequests(checks.slice(0, 5)));
});

test("a request the engine cannot evaluate there is an EngineGapError here, with its message", async () => {
  const damaged = checks.map((c, i) => (i === 3 ? { ...c, simulation: { ...c.simulation, request: { ...c.simulation.request, contextVariables: { "s3:prefix": "x" } } } } : c));
  const { started, result } = await workersStartedBy(() => runRequestsInWorker(damaged, 0).then(() => undefined, (e: Error) => e));
  expect(started).toBe(1);
  expect(result).toBeInstanceOf(EngineGapError);
  expect((result as Error).message).toMatch(/ignored context key\(s\) s3:prefix/);
});
