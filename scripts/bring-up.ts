// npm run bring-up [-- <cdktf deploy options>]
//
// The first bring-up of a new pair of accounts has a cycle: Alice's replication configuration
// needs Bob's versioned bucket and key, and Bob's policies need Alice's role. This runs the only
// order that works: source with destination_ready=false (role, key, bucket; no replication), then
// dest, then source again (replication on). On a pair that is already running it runs a plain
// `cdktf deploy source dest` instead, so re-running it never switches replication off.
// Options after `--` (e.g. --auto-approve, --skip-provider-lock) go to every cdktf deploy.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { DESTINATION_READY_VARIABLE } from "../stacks/source-stack";

// dist/scripts/bring-up.js -> <project>/node_modules/.bin/cdktf
const CDKTF = path.resolve(__dirname, "..", "..", "node_modules", ".bin", "cdktf");

export interface Step {
  title: string;
  args: string[];
}

/** The cdktf commands of a bring-up; `destRunning` says whether dest already has outputs. */
export function bringUpSteps(destRunning: boolean, extra: string[]): Step[] {
  const deploy = (stacks: string[], ...args: string[]) => ["deploy", ...stacks, "--skip-synth", ...args, ...extra];
  if (destRunning) {
    return [{ title: "converge the running pair (source, then dest)", args: deploy(["source", "dest"]) }];
  }
  return [
    {
      title: "1/3 source with the replication configuration held back",
      args: deploy(["source"], "--var", `${DESTINATION_READY_VARIABLE}=false`),
    },
    { title: "2/3 dest (reads the replication role ARN from source)", args: deploy(["dest"], "--ignore-missing-stack-dependencies") },
    { title: "3/3 source with replication on", args: deploy(["source"]) },
  ];
}

function cdktf(args: string[], timeoutMs?: number): number {
  const r = spawnSync(CDKTF, args, { stdio: "inherit", timeout: timeoutMs, killSignal: "SIGKILL" });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

/**
 * Whether the dest stack's state already holds its outputs (the pair has been brought up).
 * If the state cannot be read at all, stop: guessing "new" would switch replication off.
 */
function destIsRunning(extra: string[]): boolean {
  const dir = mkdtempSync(path.join(tmpdir(), "bring-up-"));
  const file = path.join(dir, "outputs.json");
  try {
    const passThrough = extra.filter((a) => a === "--skip-provider-lock" || a === "--no-color");
    const status = cdktf(["output", "dest", "--skip-synth", "--outputs-file", file, ...passThrough]);
    if (status !== 0) {
      throw new Error(`cannot read the dest stack's outputs (cdktf output exit ${status}): check the backend and Bob's credentials`);
    }
    const outputs = JSON.parse(readFileSync(file, "utf8"));
    return Boolean(outputs?.dest?.destination_bucket_arn);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function bringUp(extra: string[], log: (line: string) => void = console.log): void {
  const started = Date.now();
  log("bring-up: synthesizing");
  if (cdktf(["synth", ...extra.filter((a) => a === "--no-color")]) !== 0) throw new Error("cdktf synth failed");
  const running = destIsRunning(extra);
  log(running ? "bring-up: dest already has state; converging instead of a first bring-up" : "bring-up: first bring-up");
  for (const step of bringUpSteps(running, extra)) {
    const t = Date.now();
    log(`bring-up: ${step.title}: cdktf ${step.args.join(" ")}`);
    const status = cdktf(step.args);
    if (status !== 0) throw new Error(`step "${step.title}" failed (exit ${status})`);
    log(`bring-up: ${step.title}: done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  log(`bring-up: complete in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (require.main === module) {
  try {
    bringUp(process.argv.slice(2));
  } catch (e) {
    console.error(`bring-up: ${(e as Error).message}`);
    process.exit(1);
  }
}
