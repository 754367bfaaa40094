// npm run bring-up [-- <cdktf deploy options>]
//
// The first bring-up of a new pair of accounts has a cycle: Alice's replication configuration
// needs Bob's versioned bucket and key, and Bob's policies need Alice's role. This runs the only
// order that works: source with destination_ready=false (role, key, bucket; no replication), then
// dest, then source again (replication on). A bring-up stopped half-way resumes where source's
// state says it stands (./bring-up.ts pairState); on a pair that is already running it runs a plain
// `cdktf deploy source dest` instead, so re-running it never switches replication off.
// An organization's stacks take the same three steps, each over every stack of its kind
// (./organization-bring-up.ts). Options after `--` (e.g. --auto-approve, --skip-provider-lock) go
// to every cdktf deploy.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { DESTINATION_READY_VARIABLE, HELD_BACK_OUTPUT, HELD_BACK_VARIABLE } from "../lib/naming";
import { CONFIG_PATH_ENV, DEFAULT_CONFIG_FILE, loadAnyConfig, organizationStackNames, type OrganizationConfig, type ReplicationConfig } from "../lib/config";
import { CDKTF } from "./project-root";
import { runCommand, type RunOptions } from "./run-command";
import { TerraformProgress } from "./terraform-progress";
import { heldBackFor, type Step } from "./held-back";
import { accountStates, organizationBringUpSteps } from "./organization-bring-up";

export { heldBackFor, type Step };


/**
 * Where a pair stands, read from both stacks' state: "fresh" (dest has no outputs yet), "held back"
 * (source says its replication, or some buckets' of it, is held back: a bring-up stopped after its
 * first step, or during the second or third; dest may be half applied) or "running".
 */
export type PairState = "fresh" | "held back" | "running";

/**
 * The cdktf commands of a bring-up from where the pair stands. `heldBack`: on a running pair, new
 * source buckets whose rules name a bucket of Bob's that dest has not created yet: their replication
 * configurations wait for it (S3 refuses a destination that is not a versioned bucket).
 */
export function bringUpSteps(state: PairState, extra: string[], heldBack: string[] = []): Step[] {
  const deploy = (stacks: string[], ...args: string[]) => ["deploy", ...stacks, "--skip-synth", ...args, ...extra];
  if (state === "running" && heldBack.length) {
    return [
      { title: `1/3 source, holding back ${heldBack.join(", ")} (a bucket of Bob's their rules name is new)`, args: deploy(["source"], "--var", `${HELD_BACK_VARIABLE}=${JSON.stringify(heldBack)}`) },
      { title: "2/3 dest (creates the new buckets of Bob's)", args: deploy(["dest"], "--ignore-missing-stack-dependencies") },
      { title: "3/3 source with every replication configuration", args: deploy(["source"]) },
    ];
  }
  if (state === "running") {
    return [{ title: "converge the running pair (source, then dest)", args: deploy(["source", "dest"]) }];
  }
  const rest: Step[] = [
    { title: "2/3 dest (reads the replication role ARN from source)", args: deploy(["dest"], "--ignore-missing-stack-dependencies") },
    { title: "3/3 source with replication on", args: deploy(["source"]) },
  ];
  if (state === "held back") return rest;
  return [{ title: "1/3 source with the replication configuration held back", args: deploy(["source"], "--var", `${DESTINATION_READY_VARIABLE}=false`) }, ...rest];
}

/**
 * The state a bring-up resumes from. Dest's outputs alone do not prove it complete (an apply
 * killed half-way leaves some), so source's replication_enabled decides: false until the third
 * step has applied, which runs only after dest's apply finished. Source running without any state
 * of dest is not guessed at: a first bring-up would switch replication off.
 */
export function pairState(outputs: { source: Record<string, unknown>; dest: Record<string, unknown> }): PairState {
  const replication = outputs.source.replication_enabled;
  const destHasState = Object.keys(outputs.dest).length > 0;
  if (!destHasState) {
    if (replication === true) throw new Error("source replicates but dest has no state: check the dest stack's backend and Bob's credentials before anything is applied");
    return "fresh";
  }
  // A running fleet that was gaining buckets: some held back, dest perhaps half applied.
  const heldBack = outputs.source[HELD_BACK_OUTPUT];
  return replication === false || (Array.isArray(heldBack) && heldBack.length > 0) ? "held back" : "running";
}

export interface BringUpOptions extends RunOptions {
  /** Options for every cdktf deploy, e.g. --auto-approve. */
  extra: string[];
  log?: (line: string) => void;
  /** With logFile: print a line per resource each deploy creates, changes, destroys or imports, and a summary per step. */
  progress?: boolean;
  /** Runs after each step; throwing stops the bring-up. */
  afterStep?: (step: Step, index: number) => Promise<void>;
}

/** The stacks' outputs from their state ({} before a stack's first apply), in one cdktf call. If they cannot be read at all, stop: guessing "fresh" would switch replication off. */
async function outputsOf(stacks: string[], opts: BringUpOptions): Promise<Record<string, Record<string, unknown>>> {
  const dir = mkdtempSync(path.join(tmpdir(), "bring-up-"));
  const file = path.join(dir, "outputs.json");
  try {
    const passThrough = opts.extra.filter((a) => a === "--skip-provider-lock" || a === "--no-color");
    const status = await runCommand(CDKTF, ["output", ...stacks, "--skip-synth", "--outputs-file", file, ...passThrough], opts);
    if (status !== 0) {
      throw new Error(`cannot read the stacks' outputs (cdktf output exit ${status}): check the backends and every account's credentials`);
    }
    const outputs = JSON.parse(readFileSync(file, "utf8"));
    return Object.fromEntries(stacks.map((s) => [s, outputs?.[s] ?? {}]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How many stacks of one step an organization's bring-up applies at once (each a terraform process). */
export const ORGANIZATION_PARALLELISM = 4;

/** The steps of a pair's or fleet's bring-up, from both stacks' state. */
async function pairSteps(config: ReplicationConfig, opts: BringUpOptions, log: (line: string) => void): Promise<Step[]> {
  const { source, dest } = await outputsOf(["source", "dest"], opts);
  const outputs = { source, dest };
  const state = pairState(outputs);
  const { heldBack, blocked } = state === "running" ? heldBackFor(config, outputs) : { heldBack: [], blocked: [] };
  if (blocked.length) {
    throw new Error(
      `${blocked.join(", ")} already replicate${blocked.length > 1 ? "" : "s"} and now name${blocked.length > 1 ? "" : "s"} a bucket of Bob's that dest has not created: S3 refuses the configuration until it exists, and holding it back would pause that bucket's replication. Nothing was applied; docs/fleets.md ("Adding a bucket of Bob's to a running fleet") says how to go on`,
    );
  }
  log(
    {
      fresh: "bring-up: first bring-up",
      "held back": "bring-up: source's replication is held back (a first bring-up stopped after step 1/3): resuming at step 2/3",
      running: "bring-up: the pair is running; converging instead of a first bring-up",
    }[state],
  );
  return bringUpSteps(state, opts.extra, heldBack);
}

/** The steps of an organization's bring-up, from every stack's state. */
async function organizationSteps(config: OrganizationConfig, opts: BringUpOptions, log: (line: string) => void): Promise<Step[]> {
  const states = accountStates(config, await outputsOf(organizationStackNames(config), opts));
  const waiting = [...states].filter(([, s]) => s.kind === "held back").map(([stack]) => stack);
  log(`bring-up: an organization of ${config.sourceAccounts.length} source and ${config.destinationAccounts.length} destination accounts; ${waiting.length ? `not replicating yet: ${waiting.join(", ")}` : "every source account replicates"}`);
  return organizationBringUpSteps(config, states, opts.extra, ORGANIZATION_PARALLELISM);
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Runs the bring-up; resolves with what each step did ("1/3 ...: 12 created"), when progress is on. */
export async function bringUp(opts: BringUpOptions): Promise<string[]> {
  const log = opts.log ?? console.log;
  const started = Date.now();
  log("bring-up: synthesizing");
  const synth = await runCommand(CDKTF, ["synth", ...opts.extra.filter((a) => a === "--no-color")], opts);
  if (synth !== 0) throw new Error(`cdktf synth failed (exit ${synth})`);
  // The config the synth above read: the commands' environment and folder, not necessarily this process's.
  const configFile = path.resolve(opts.cwd ?? process.cwd(), (opts.env ?? process.env)[CONFIG_PATH_ENV] || DEFAULT_CONFIG_FILE);
  const config = loadAnyConfig(configFile);
  const steps = config.shape === "organization" ? await organizationSteps(config, opts, log) : await pairSteps(config, opts, log);
  const done: string[] = [];
  for (const [index, step] of steps.entries()) {
    const t = Date.now();
    log(`bring-up: ${step.title}: cdktf ${step.args.join(" ")}`);
    const progress = opts.progress && opts.logFile ? new TerraformProgress(log) : undefined;
    const status = await runCommand(CDKTF, step.args, { ...opts, ...(progress ? { onOutput: (chunk: string) => progress.write(chunk) } : {}) });
    if (status !== 0) throw new Error(`step "${step.title}" failed (exit ${status})${opts.logFile ? `; its output is in ${opts.logFile}` : ""}`);
    log(`bring-up: ${step.title}: done in ${seconds(t)}${progress ? ` (${progress.summary()})` : ""}`);
    if (progress) done.push(`${step.title}: ${progress.summary()}`);
    await opts.afterStep?.(step, index);
  }
  log(`bring-up: complete in ${seconds(started)}`);
  for (const line of done) log(`  ${line}`);
  return done;
}

if (require.main === module) {
  const extra = process.argv.slice(2);
  // Unattended, terraform's full output goes to a log and each resource is shown as it is done;
  // asking before each apply needs the terminal, so cdktf then shows its own screen.
  const unattended = extra.includes("--auto-approve");
  const logFile = unattended ? path.join(mkdtempSync(path.join(tmpdir(), "bring-up-")), "bring-up.log") : undefined;
  if (logFile) console.log(`bring-up: terraform's output goes to ${logFile}`);
  bringUp({ extra, ...(logFile ? { logFile, progress: true } : {}) }).catch((e: Error) => {
    console.error(`bring-up: ${e.message}`);
    process.exit(1);
  });
}
