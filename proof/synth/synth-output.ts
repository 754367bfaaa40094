// Reads what `cdktf synth` wrote: the manifest and both stacks' cdk.tf.json, the exact JSON a
// pipeline applies. Anything missing or unparsable is a VerifyInputError that says what to run.
// Fail closed: a stack folder holding any other file Terraform would load with it (another
// *.tf.json or *.tf, an override file) is refused, since verify would prove something else than
// Terraform applies; so is a duplicate key (lib/strict-json.ts).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { STACK_NAMES, type StackName } from "../../lib/naming";
import { configDigest, SYNTH_RECORD_FILE, type SynthRecord } from "../../lib/synth-record";
import { VerifyInputError } from "../errors";
import { parseStrictJson } from "./read";

/** The file names Terraform loads from a configuration folder (configuration and override files). */
export const loadedByTerraform = (name: string): boolean => /\.tf(\.json)?$/.test(name);

export type { StackName };

export interface SynthOutput {
  dir: string;
  stacks: Record<StackName, any>;
  /**
   * An organization's other stacks (proof/organization/): not proved here, only read where these
   * stacks' terraform_remote_state data sources name their state.
   */
  peers?: { name: string; json: unknown }[];
  /** The config it was synthesized from, and a warning when that is not the config on disk now. */
  synthesizedFrom?: { record?: SynthRecord; warning?: string };
}

/** Which config the output names, and whether the file on disk is still that config. */
export function synthRecordStatus(outdir: string): { record?: SynthRecord; warning?: string } {
  const file = path.join(outdir, SYNTH_RECORD_FILE);
  if (!existsSync(file)) return { warning: `${outdir} does not say which config it was synthesized from (written by an older version?): run npx cdktf synth again` };
  const record = parseStrictJson(readFileSync(file, "utf8"), file) as Partial<SynthRecord>;
  if (typeof record?.config !== "string" || typeof record.sha256 !== "string") return { warning: `${file} does not name a config and its digest: run npx cdktf synth again` };
  const named = { config: record.config, sha256: record.sha256 };
  if (!existsSync(named.config)) return { record: named, warning: `${named.config}, which ${outdir} was synthesized from, is not here: the proof is of that config as it was` };
  if (configDigest(readFileSync(named.config, "utf8")) !== named.sha256) {
    return { record: named, warning: `${named.config} has changed since ${outdir} was synthesized (or its last synth failed): this proves the older config; run npx cdktf synth again` };
  }
  return { record: named };
}

/** Reads <dir>/manifest.json and both stacks' cdk.tf.json. */
export function loadSynthOutput(dir: string): SynthOutput {
  const { stacks } = readStacks(dir, STACK_NAMES);
  return { dir, stacks: stacks as Record<StackName, any>, synthesizedFrom: synthRecordStatus(dir) };
}

const RERUN = "run `npx cdktf synth` first, or pass --dir <folder that cdktf synth wrote>";

/** The stack names <dir>/manifest.json lists, in its order. */
export function manifestStackNames(dir: string): string[] {
  return Object.keys(readManifest(dir)?.stacks ?? {});
}

function readManifest(dir: string): any {
  if (!existsSync(dir)) throw new VerifyInputError(`no synth output at ${dir}: ${RERUN}`);
  const manifestFile = path.join(dir, "manifest.json");
  if (!existsSync(manifestFile)) throw new VerifyInputError(`${manifestFile} is missing (partial synth output?): ${RERUN}`);
  return parseFile(manifestFile);
}

function parseFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new VerifyInputError(`cannot read ${file} (${(e as Error).message}): ${RERUN}`);
  }
  return parseStrictJson(text, file);
}

/** Reads the cdk.tf.json of each stack named, as the manifest places it. */
export function readStacks(dir: string, names: readonly string[]): { stacks: Record<string, any> } {
  const manifestFile = path.join(dir, "manifest.json");
  const manifest = readManifest(dir);
  const stacks: Record<string, any> = {};
  for (const name of names) {
    const entry = manifest?.stacks?.[name];
    if (typeof entry?.synthesizedStackPath !== "string") throw new VerifyInputError(`stack "${name}" is not in ${manifestFile}: ${RERUN}`);
    const file = path.join(dir, entry.synthesizedStackPath);
    if (!existsSync(file)) throw new VerifyInputError(`${file} is missing (partial synth output?): ${RERUN}`);
    const others = readdirSync(path.dirname(file)).filter((f) => loadedByTerraform(f) && f !== path.basename(file));
    if (others.length) {
      throw new VerifyInputError(
        `${path.dirname(file)} holds ${others.map((f) => `"${f}"`).join(", ")} beside ${path.basename(file)}: Terraform loads every such file (override files last), so verify would not prove what it applies; remove ${others.length > 1 ? "them" : "it"} or synthesize into a clean folder`,
      );
    }
    stacks[name] = parseFile(file);
  }
  return { stacks };
}
