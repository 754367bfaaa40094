// Damaged input never crashes verify: every attribute of both synthesized stacks (and of every
// policy document in them), removed or given another type, one at a time. Generated from the
// synth output, not hand-picked: each copy must give a report (exit 0 or 1) or an unusable-input
// error naming the value (exit 2), never a TypeError.
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { EngineGapError } from "../../proof/engine";
import { verifySynthOutput } from "../../proof/index";
import { VerifyInputError } from "../../proof/errors";
import { loadSynthOutput, type SynthOutput } from "../../proof/synth/synth-output";
import { runApp } from "../support/app";
import { PROJECT_ROOT } from "../support/fixtures";
import { mutated } from "../support/mutate";

type Json = any;

/** Another value of a different type than `value`. */
const otherType = (value: Json): Json =>
  typeof value === "string" ? 42 : typeof value === "number" ? "42" : typeof value === "boolean" ? "yes" : Array.isArray(value) ? "not a list" : value === null ? 1 : "not an object";

interface Damage {
  name: string;
  apply(stacks: Json): void;
}

/** Every path below `value` (metadata "//" left out), as a list of keys. */
function paths(value: Json, at: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value).filter((k) => k !== "//");
  return keys.flatMap((k) => [[...at, k], ...paths(value[k], [...at, k])]);
}

const parentOf = (root: Json, p: (string | number)[]) => p.slice(0, -1).reduce((v, k) => v[k], root);

/** A policy document, as JSON text in an attribute. */
const isPolicyText = (value: Json) => typeof value === "string" && /^\{"Version"/.test(value);

function damages(stacks: Json): Damage[] {
  const out: Damage[] = [];
  for (const p of paths(stacks)) {
    const name = p.join(".");
    out.push({ name: `${name} removed`, apply: (s) => (Array.isArray(parentOf(s, p)) ? parentOf(s, p).splice(Number(p.at(-1)), 1) : delete parentOf(s, p)[p.at(-1)!]) });
    out.push({ name: `${name} of another type`, apply: (s) => (parentOf(s, p)[p.at(-1)!] = otherType(parentOf(s, p)[p.at(-1)!])) });
    const value = parentOf(stacks, p)[p.at(-1)!];
    if (isPolicyText(value)) {
      for (const q of paths(JSON.parse(value))) {
        const edit = (s: Json, change: (doc: Json) => void) => {
          const doc = JSON.parse(parentOf(s, p)[p.at(-1)!]);
          change(doc);
          parentOf(s, p)[p.at(-1)!] = JSON.stringify(doc);
        };
        const inner = `${name} -> ${q.join(".")}`;
        out.push({ name: `${inner} removed`, apply: (s) => edit(s, (d) => (Array.isArray(parentOf(d, q)) ? parentOf(d, q).splice(Number(q.at(-1)), 1) : delete parentOf(d, q)[q.at(-1)!])) });
        out.push({ name: `${inner} of another type`, apply: (s) => edit(s, (d) => (parentOf(d, q)[q.at(-1)!] = otherType(parentOf(d, q)[q.at(-1)!]))) });
      }
    }
  }
  return out;
}

const synth = runApp().outdir;
const original = loadSynthOutput(synth);
const corpus = damages(original.stacks);

test(`the corpus covers every attribute: ${corpus.length} damaged copies of the pair`, () => {
  // two per path; a pair's stacks and policies hold several hundred paths
  expect(corpus.length).toBeGreaterThan(500);
  expect(corpus.some((d) => d.name.includes("sse_algorithm of another type"))).toBe(true);
  expect(corpus.some((d) => d.name.includes("-> Statement.0.Condition removed"))).toBe(true);
});

/** Verifies every damaged copy; returns the ones that crashed, and how the others ended. */
async function runCorpus(from: SynthOutput, damaged: Damage[]) {
  const crashes: string[] = [];
  const outcomes = { report: 0, unusable: 0 };
  for (const damage of damaged) {
    const stacks = JSON.parse(JSON.stringify(from.stacks));
    damage.apply(stacks);
    try {
      await verifySynthOutput({ dir: from.dir, stacks });
      outcomes.report++;
    } catch (e) {
      if ((e instanceof VerifyInputError || e instanceof EngineGapError) && e.message.length > 0) outcomes.unusable++;
      else crashes.push(`${damage.name}: ${(e as Error).stack?.split("\n").slice(0, 2).join(" ")}`);
    }
  }
  return { crashes, outcomes };
}

test("no damaged copy of the pair crashes verify: each gives a report or an unusable-input error with a message", async () => {
  const { crashes, outcomes } = await runCorpus(original, corpus);
  expect(crashes).toEqual([]);
  // Both ends are reached: some damage still gives a report, some is unusable input.
  expect(outcomes.report).toBeGreaterThan(0);
  expect(outcomes.unusable).toBeGreaterThan(0);
}, 300_000);

test("nor of the fleet example (several buckets, rules and destinations per stack)", async () => {
  const fleet = loadSynthOutput(runApp(path.join(PROJECT_ROOT, "examples", "fleet.json")).outdir);
  const fleetCorpus = damages(fleet.stacks);
  expect(fleetCorpus.length).toBeGreaterThan(corpus.length * 2);
  const { crashes } = await runCorpus(fleet, fleetCorpus);
  expect(crashes).toEqual([]);
}, 300_000);

describe("the command on damaged input: exit 2, the value's path and what was expected, no stack trace", () => {
  const cli = (dir: string) =>
    spawnSync(process.execPath, [path.join(PROJECT_ROOT, "dist", "tools", "verify.js"), "--dir", dir], { cwd: PROJECT_ROOT, encoding: "utf8" });

  test.each<[string, (s: Json) => void, RegExp]>([
    [
      "a non-string SSE algorithm",
      (s) => (s.dest.resource.aws_s3_bucket_server_side_encryption_configuration.destination_bucket.rule[0].apply_server_side_encryption_by_default.sse_algorithm = 42),
      /^verify: stack dest: the default encryption of bob-replication-destination-222222222222: sse_algorithm: expected a string, found number 42\n$/,
    ],
    ["a bucket name that is an object", (s) => (s.source.resource.aws_s3_bucket.source_bucket.bucket = { x: 1 }), /^verify: stack source: resource\.aws_s3_bucket\.source_bucket\.bucket: expected a string, found an object\n$/],
    [
      "a policy whose Condition is a string",
      (s) => {
        const doc = JSON.parse(s.dest.resource.aws_kms_key.replica_key.policy);
        doc.Statement[1].Condition = "yes";
        s.dest.resource.aws_kms_key.replica_key.policy = JSON.stringify(doc);
      },
      /^verify: stack dest: the key policy of aws_kms_key\.replica_key: Statement\[1\]\.Condition: expected an object, found string "yes"\n$/,
    ],
  ])("%s", (_name, change, message) => {
    const r = cli(mutated(synth, change));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
