// Mutated copies of synth output: what a hand edit, a bad merge or a pipeline patch does to the JSON.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

export type Stacks = { source: any; dest: any };

/** A copy of the synth output in `from` with `change` applied to the stacks' JSON. */
export function mutated(from: string, change: (stacks: Stacks) => void): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), "mutated-")), "cdktf.out");
  cpSync(from, dir, { recursive: true });
  const file = (s: string) => path.join(dir, "stacks", s, "cdk.tf.json");
  const stacks = { source: JSON.parse(readFileSync(file("source"), "utf8")), dest: JSON.parse(readFileSync(file("dest"), "utf8")) };
  change(stacks);
  for (const s of ["source", "dest"] as const) writeFileSync(file(s), JSON.stringify(stacks[s]));
  return dir;
}

/** Edits the policy JSON string held in `resource[attribute]`. */
export function editPolicy(resource: any, edit: (doc: any) => void, attribute = "policy"): void {
  const doc = JSON.parse(resource[attribute]);
  edit(doc);
  resource[attribute] = JSON.stringify(doc);
}

export const statementOf = (doc: any, sid: string) => doc.Statement.find((s: any) => s.Sid === sid);
