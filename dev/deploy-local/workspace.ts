// The scratch workspace of an emulated deploy: finding the tools, a temporary copy of the project
// whose config points at moto, the emulated accounts' SDK clients, and cleaning up.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseConfig, type ReplicationConfig } from "../../lib/config";
import { clientsFor, type AccountClients } from "../../tools/accounts";
import { startMoto, type Moto } from "../emulator";
import { PROJECT_ROOT } from "../../tools/project-root";
import { seedExistingBuckets } from "./seed";
import { findMotoServer, findProviderMirror, findTerraform, writeTerraformCliConfig, type Found } from "../toolchain";

/** Every cdktf or terraform command is killed after this long: a hang fails the run instead of CI. */
export const COMMAND_TIMEOUT_MS = 5 * 60_000;
/** Offline: no `terraform providers lock` (it asks the public registry); no prompts; plain output. */
export const CDKTF_FLAGS = ["--auto-approve", "--skip-provider-lock", "--no-color"];

export interface Tools {
  terraform: string;
  motoServer: string;
  /** A filesystem mirror of the AWS provider; without one, terraform downloads it. */
  mirror?: string;
}

/** The scratch project terraform runs in: its folder, environment and log. */
export type Scratch = Pick<LocalDeployment, "work" | "env" | "logFile">;

/**
 * A fresh project folder running the built app (dist and node_modules linked), with an environment
 * that reaches no real account: no config, profile or keys of the caller's, terraform from `tools`.
 */
export function scratchProject(tools: Tools, prefix: string): Scratch {
  const work = mkdtempSync(path.join(tmpdir(), prefix));
  copyFileSync(path.join(PROJECT_ROOT, "cdktf.json"), path.join(work, "cdktf.json"));
  symlinkSync(path.join(PROJECT_ROOT, "dist"), path.join(work, "dist"));
  symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(work, "node_modules"));
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
  for (const name of ["REPLICATION_CONFIG", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]) delete env[name];
  if (tools.mirror) env.TF_CLI_CONFIG_FILE = writeTerraformCliConfig(work, tools.mirror);
  env.PATH = `${path.dirname(tools.terraform)}${path.delimiter}${env.PATH ?? ""}`;
  return { work, logFile: path.join(work, "deploy.log"), env };
}

export interface LocalDeployment {
  work: string;
  logFile: string;
  config: ReplicationConfig;
  moto: Moto;
  env: NodeJS.ProcessEnv;
  sourceClients: AccountClients;
  destinationClients: AccountClients;
  /** Alice's buckets that existed before bring-up (seed.ts), to be adopted. */
  adopted: string[];
  /** What the deploy did, a line per apply or destroy, for the summary at the end. */
  done: string[];
  /** Progress as it happens (npm run deploy:local prints it; the tests keep it in the log only). */
  print: (line: string) => void;
  /** withTwoWay: the config once the running fleet has gained its two-way pair (the first bring-up runs without it). */
  grown?: { raw: any; config: ReplicationConfig };
}

/** The buckets withTwoWay adds to a fleet. */
const TWO_WAY_PAIR = /^(alice|bob)-dr-\d{12}$/;
const withoutTwoWayPair = (raw: any): any => ({
  ...raw,
  sourceBuckets: raw.sourceBuckets.filter((b: any) => !TWO_WAY_PAIR.test(b.bucketName)),
  destinationBuckets: raw.destinationBuckets.filter((b: any) => !TWO_WAY_PAIR.test(b.bucketName)),
});

export function findTools(): { tools?: Tools; missing: string[]; notes: string[] } {
  const terraform = findTerraform();
  const moto = findMotoServer();
  const mirror = findProviderMirror();
  const missing = [terraform, moto].flatMap((f: Found) => ("missing" in f ? [f.missing] : []));
  const notes = "missing" in mirror ? [`${mirror.missing}: terraform will try to download the AWS provider`] : [];
  if (missing.length || !("path" in terraform) || !("path" in moto)) return { missing, notes };
  return { tools: { terraform: terraform.path, motoServer: moto.path, mirror: "path" in mirror ? mirror.path : undefined }, missing, notes };
}

/**
 * The config as the emulator needs it: no credentials (each provider assumes a role in its own
 * emulated account instead), local state, the emulator's endpoint. The pair also turns Replication
 * Time Control on: the richest rule it can ask for (RTC brings metrics and the event threshold).
 * `withMonitoring` turns monitoring on with an email subscription, whatever the file says;
 * `withTwoWay` adds to a fleet a two-way pair with Object Lock on both buckets (GOVERNANCE, one
 * day), so one deploy proves the way back and the locks beside everything else.
 */
export function emulatedConfig(raw: any, endpoint: string, withMonitoring = false, withTwoWay = false): any {
  const copy = JSON.parse(JSON.stringify(raw));
  const fleet = "sourceBuckets" in copy;
  for (const account of fleet ? [copy.sourceAccount, copy.destinationAccount] : [copy.source, copy.destination]) delete account.credentials;
  if (!fleet) copy.replication = { ...copy.replication, replicationTimeControl: true };
  if (withTwoWay && fleet) {
    const lock = { mode: "GOVERNANCE", days: 1 };
    const bob = `bob-dr-${copy.destinationAccount.accountId}`;
    copy.sourceBuckets.push({ bucketName: `alice-dr-${copy.sourceAccount.accountId}`, kmsKeyAlias: "alice-dr", objectLock: lock, rules: [{ id: "dr", destinationBucket: bob, twoWay: true }] });
    copy.destinationBuckets.push({ bucketName: bob, kmsKeyAlias: "bob-dr", objectLock: lock });
  }
  if (withMonitoring) copy.monitoring = { ...copy.monitoring, enabled: true, subscriptions: [{ protocol: "email", endpoint: "e2e@example.com" }] };
  copy.backend = { type: "local", stateDir: "." };
  copy.emulator = { endpoint };
  return copy;
}

/**
 * A scratch project (cdktf.json, the compiled app, a config pointing at moto) in a temporary
 * folder, so state and cdktf.out never touch the real project.
 */
export async function prepare(
  tools: Tools,
  configFile = path.join(PROJECT_ROOT, "replication.config.json"),
  options: { withMonitoring?: boolean; withTwoWay?: boolean; print?: (line: string) => void } = {},
): Promise<LocalDeployment> {
  const { work, logFile, env } = scratchProject(tools, "deploy-local-");
  const moto = await startMoto(tools.motoServer, path.join(work, "moto.log"));
  try {
    const raw = emulatedConfig(JSON.parse(readFileSync(configFile, "utf8")), moto.endpoint, options.withMonitoring, options.withTwoWay);
    const accounts = parseConfig(raw, configFile);
    const sourceClients = await clientsFor(moto.endpoint, accounts.sourceAccount.accountId, accounts.sourceAccount.region);
    const destinationClients = await clientsFor(moto.endpoint, accounts.destinationAccount.accountId, accounts.destinationAccount.region);
    // Buckets to adopt exist before bring-up, with data; the config then names their real keys.
    const adopted = await seedExistingBuckets(raw, sourceClients);
    // withTwoWay: the fleet is brought up without its two-way pair, which it gains once running.
    const grows = options.withTwoWay && raw.sourceBuckets?.some((b: any) => TWO_WAY_PAIR.test(b.bucketName));
    const first = grows ? withoutTwoWayPair(raw) : raw;
    writeFileSync(path.join(work, "replication.config.json"), JSON.stringify(first, null, 2));
    const config = parseConfig(first, configFile);

    return {
      work,
      logFile,
      config,
      moto,
      env,
      sourceClients,
      destinationClients,
      adopted,
      done: [],
      print: options.print ?? (() => undefined),
      ...(grows ? { grown: { raw, config: parseConfig(raw, configFile) } } : {}),
    };
  } catch (e) {
    await moto.stop();
    throw e;
  }
}

/** Stops moto; removes the scratch folder unless asked to keep it for a post-mortem. */
export async function cleanup(d: Pick<LocalDeployment, "moto" | "work">, keepWork: boolean): Promise<void> {
  await d.moto.stop();
  if (!keepWork) rmSync(d.work, { recursive: true, force: true });
}
