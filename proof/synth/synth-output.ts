// Reads what `cdktf synth` wrote: the manifest and both stacks' cdk.tf.json, the exact JSON a
// pipeline applies. Anything missing or unparsable is a VerifyInputError that says what to run.
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { VerifyInputError } from "../errors";

export type StackName = "source" | "dest";
export const STACKS: StackName[] = ["source", "dest"];

export interface SynthOutput {
  dir: string;
  stacks: Record<StackName, any>;
}

/** Reads <dir>/manifest.json and both stacks' cdk.tf.json. */
export function loadSynthOutput(dir: string): SynthOutput {
  const rerun = "run `npx cdktf synth` first, or pass --dir <folder that cdktf synth wrote>";
  if (!existsSync(dir)) throw new VerifyInputError(`no synth output at ${dir}: ${rerun}`);
  const manifestFile = path.join(dir, "manifest.json");
  if (!existsSync(manifestFile)) throw new VerifyInputError(`${manifestFile} is missing (partial synth output?): ${rerun}`);
  const parse = (file: string) => {
    try {
      return JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      throw new VerifyInputError(`cannot parse ${file} (${(e as Error).message}): ${rerun}`);
    }
  };
  const manifest = parse(manifestFile);
  const stacks = {} as Record<StackName, any>;
  for (const name of STACKS) {
    const entry = manifest?.stacks?.[name];
    if (typeof entry?.synthesizedStackPath !== "string") throw new VerifyInputError(`stack "${name}" is not in ${manifestFile}: ${rerun}`);
    const file = path.join(dir, entry.synthesizedStackPath);
    if (!existsSync(file)) throw new VerifyInputError(`${file} is missing (partial synth output?): ${rerun}`);
    stacks[name] = parse(file);
  }
  return { dir, stacks };
}

