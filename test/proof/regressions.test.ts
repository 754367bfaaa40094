// verify against an attacker: for every shipped config, every one-step widening of every policy
// statement and every resource the stacks do not have (test/support/regressions.ts) must fail
// the proof, and every harmless variant must pass it. The backend examples synthesize the same
// resources as the default config (checked below), so their widenings are the default's.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { verifySynthOutput } from "../../proof/index";
import { VerifyInputError } from "../../proof/errors";
import { loadSynthOutput, manifestStackNames, readStacks, type SynthOutput } from "../../proof/synth/synth-output";
import { organizationSlices } from "../../proof/organization/slices";
import type { VerifyReport } from "../../proof/report";
import { runApp } from "../support/app";
import { PROJECT_ROOT } from "../support/fixtures";
import { mutated } from "../support/mutate";
import { additions, harmlessVariants, widenings, type Stacks, type Variant } from "../support/regressions";

const CONFIGS = ["replication.config.json", ...readdirSync(path.join(PROJECT_ROOT, "examples")).filter((f) => f.endsWith(".json")).map((f) => `examples/${f}`)];
const synths = new Map<string, SynthOutput>();
/** A config's synth output; an organization's is one entry per slice, "<file>#<source stack>". */
const synthOf = (entry: string): SynthOutput => {
  if (!synths.has(entry)) {
    const [config, sliceOf] = entry.split("#");
    const run = runApp(path.join(PROJECT_ROOT, config));
    if (run.status !== 0) throw new Error(`${config} does not synthesize: ${run.stderr}`);
    if (sliceOf === undefined) synths.set(entry, loadSynthOutput(run.outdir));
    else for (const slice of organizationSlices(run.outdir, readStacks(run.outdir, manifestStackNames(run.outdir)).stacks)) synths.set(`${config}#${slice.source}`, slice.out);
  }
  return synths.get(entry)!;
};
const rawConfig = (config: string) => JSON.parse(readFileSync(path.join(PROJECT_ROOT, config), "utf8"));
/** An organization's slices are entries of their own, one per source account: the proof judges each apart. */
const slicesOf = (config: string): string[] | undefined => rawConfig(config).sourceAccounts?.map((a: { name: string }) => `${config}#source-${a.name}`);
const CORPUS = CONFIGS.flatMap((c) => slicesOf(c) ?? [c]);

/** What verify says about a copy with `variant` applied: its report, or the unusable-input error. */
async function verdict(config: string, variant: Variant): Promise<{ ok: boolean; why: string }> {
  const out = synthOf(config);
  const stacks: Stacks = JSON.parse(JSON.stringify(out.stacks));
  variant.apply(stacks);
  // Policies travel as JSON text through a parse, as verify reads them from the file.
  const copy = { dir: out.dir, stacks: JSON.parse(JSON.stringify(stacks)), ...(out.peers ? { peers: out.peers } : {}) };
  try {
    const report: VerifyReport = await verifySynthOutput(copy);
    const why = [
      ...report.findings.filter((f) => !f.holds).map((f) => `check "${f.check}"`),
      ...report.requests.filter((q) => !q.holds).map((q) => `request "${q.title}"`),
      ...report.access.findings.map((a) => `unintended: ${a.principal} ${a.actions[0]} on ${a.resource}`),
    ];
    return { ok: report.ok, why: why.slice(0, 2).join("; ") };
  } catch (e) {
    if (e instanceof VerifyInputError) return { ok: false, why: `exit 2: ${e.message}` };
    throw e;
  }
}

const WIDENED = CORPUS.filter((c) => !/backend-/.test(c));

test("the backend examples synthesize the default config's resources and policies", () => {
  for (const config of CONFIGS.filter((c) => /backend-/.test(c))) {
    for (const stack of ["source", "dest"] as const) {
      expect(synthOf(config).stacks[stack].resource).toEqual(synthOf("replication.config.json").stacks[stack].resource);
    }
  }
});

describe.each(WIDENED)("%s", (config) => {
  const stacks = () => synthOf(config).stacks as Stacks;

  test("passes as synthesized", async () => {
    expect(await verdict(config, { name: "as synthesized", apply: () => undefined })).toEqual({ ok: true, why: "" });
  });

  test("fails on every one-step widening of every policy statement", async () => {
    const variants = widenings(stacks());
    expect(variants.length).toBeGreaterThan(20);
    const passed: string[] = [];
    for (const v of variants) if ((await verdict(config, v)).ok) passed.push(v.name);
    expect(passed).toEqual([]);
  });

  test("fails on every added resource, block or setting verify cannot prove", async () => {
    const passed: string[] = [];
    for (const v of additions(stacks())) if ((await verdict(config, v)).ok) passed.push(v.name);
    expect(passed).toEqual([]);
  });

  test("passes every harmless variant", async () => {
    const failed: string[] = [];
    for (const v of harmlessVariants()) {
      const r = await verdict(config, v);
      if (!r.ok) failed.push(`${v.name}: ${r.why}`);
    }
    expect(failed).toEqual([]);
  });
});

test("the verdicts name what is wrong: a trust policy open to everyone", async () => {
  const r = await verdict("replication.config.json", {
    name: "trust *",
    apply: (s) => {
      const role = s.source.resource.aws_iam_role.replication_role;
      const doc = JSON.parse(role.assume_role_policy);
      doc.Statement[0].Principal = { AWS: "*" };
      role.assume_role_policy = JSON.stringify(doc);
    },
  });
  expect(r.ok).toBe(false);
  expect(r.why).toMatch(/unintended: .* sts:AssumeRole on the replication role of alice-replication-source-111111111111/);
});

test("the corpus covers every shipped config", () => {
  expect(CONFIGS).toEqual(expect.arrayContaining(["replication.config.json", "examples/fleet.json", "examples/monitoring.json", "examples/adopt-existing.json"]));
  // A config added to examples/ is in the corpus without editing this test.
  expect(CONFIGS.length).toBe(1 + readdirSync(path.join(PROJECT_ROOT, "examples")).filter((f) => f.endsWith(".json")).length);
});

describe("input Terraform would read differently, or that could hang or crash a reader: exit 2 naming it (or a failed check, where it is valid Terraform), never a stack trace", () => {
  const cli = (dir: string) => spawnSync(process.execPath, [path.join(PROJECT_ROOT, "dist", "tools", "verify.js"), "--dir", dir], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 10_000 });
  const stackFile = (dir: string, stack: string) => path.join(dir, "stacks", stack, "cdk.tf.json");
  // Exit 2 naming the input, or (where the input is valid Terraform verify cannot evaluate) exit 1
  // with a failed check naming it.
  const cases: [string, (dir: string) => void, RegExp, number?][] = [
    [
      'a duplicate top-level "resource" key (JSON.parse keeps the last; Terraform merges both)',
      (dir) => {
        const text = readFileSync(stackFile(dir, "dest"), "utf8");
        writeFileSync(stackFile(dir, "dest"), text.replace(/\}\s*$/, ',"resource":{"aws_kms_grant":{"g":{"key_id":"x","grantee_principal":"*","operations":["Decrypt"]}}}}'));
      },
      /the key "resource" appears twice in the top-level object/,
    ],
    ["an override file beside the stack", (dir) => writeFileSync(path.join(dir, "stacks", "dest", "main_override.tf.json"), "{}"), /holds "main_override\.tf\.json" beside cdk\.tf\.json/],
    ["an HCL file beside the JSON", (dir) => writeFileSync(path.join(dir, "stacks", "source", "cdk.tf"), ""), /holds "cdk\.tf" beside cdk\.tf\.json/],
    ["nesting 3,000 levels deep", (dir) => writeFileSync(stackFile(dir, "source"), `${"[".repeat(3000)}${"]".repeat(3000)}`), /nesting deeper than 200 levels/],
    [
      "a megabyte of nested conditionals in a reference",
      (dir) => {
        const json = JSON.parse(readFileSync(stackFile(dir, "source"), "utf8"));
        json.resource.aws_s3_bucket_replication_configuration.replication.count = `\${${"var.destination_ready ? ".repeat(50_000)}1}`;
        writeFileSync(stackFile(dir, "source"), JSON.stringify(json));
      },
      /unused for exit 1/,
      1,
    ],
    [
      "a reference to __proto__",
      (dir) => {
        const json = JSON.parse(readFileSync(stackFile(dir, "source"), "utf8"));
        json.resource.aws_iam_role_policy.replication_role_policy.role = "${aws_iam_role.replication_role.__proto__}";
        writeFileSync(stackFile(dir, "source"), JSON.stringify(json));
      },
      /cannot resolve \$\{aws_iam_role\.replication_role\.__proto__\}/,
    ],
  ];
  test.each(cases)("%s", (_name, damage, message, status = 2) => {
    const dir = mutated(synthOf("replication.config.json").dir, () => undefined);
    damage(dir);
    const r = cli(dir);
    if (status === 2) expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(message)]);
    else expect([r.status, r.stdout]).toEqual([1, expect.stringMatching(/FAIL \[both stacks\] verify can prove everything in the stack: stack source: aws_s3_bucket_replication_configuration\.replication: verify cannot tell whether it exists/)]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    rmSync(path.dirname(dir), { recursive: true, force: true });
  });
});
