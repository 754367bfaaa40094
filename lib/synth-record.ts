// Which config a synth output came from: the app writes it beside the manifest; verify
// (proof/synth/synth-output.ts) names it in its header and warns when the config on disk has
// changed since (a synth that failed on a bad config leaves the older output behind). Also: each synth removes the other format's file from
// the stack folders it writes, so a folder never holds cdk.tf and cdk.tf.json together.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";

export const SYNTH_RECORD_FILE = "synthesized-from.json";

export interface SynthRecord {
  /** The config file as the app was given it (relative to the folder synth ran in). */
  config: string;
  sha256: string;
}

export const configDigest = (text: string): string => createHash("sha256").update(text).digest("hex");

/** The stack file cdktf writes in each format; the other one is stale. */
const STACK_FILES = { json: "cdk.tf.json", hcl: "cdk.tf" } as const;

/** Removes, from each stack folder of `outdir`, the file of the format this synth does not write. */
export function removeOtherFormat(outdir: string, stacks: readonly string[], hcl: boolean): void {
  for (const stack of stacks) rmSync(path.join(outdir, "stacks", stack, hcl ? STACK_FILES.json : STACK_FILES.hcl), { force: true });
}

export function writeSynthRecord(outdir: string, configFile: string): void {
  // Relative, so the output holds no machine path and verify finds the file from the same folder.
  const record: SynthRecord = { config: path.relative(process.cwd(), path.resolve(configFile)).split(path.sep).join("/"), sha256: configDigest(readFileSync(configFile, "utf8")) };
  mkdirSync(outdir, { recursive: true });
  writeFileSync(path.join(outdir, SYNTH_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** Removes `dir` if it holds nothing but empty folders (what cdktf's App makes before a synth is refused). */
export function removeIfEmpty(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return;
  for (const entry of readdirSync(dir)) removeIfEmpty(path.join(dir, entry));
  if (readdirSync(dir).length === 0) rmdirSync(dir);
}
