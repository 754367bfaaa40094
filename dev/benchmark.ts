// npm run bench [-- --runs N] [--fleet 1,10,100] [--shape fleet|fan-in|fan-out|organization]
//
// Measures what users wait for: the app alone (what `cdktf synth` runs), `npx cdktf synth` as a
// whole, and `npm run verify`. Median wall time and peak memory over N runs, with GNU time when
// the machine has it. With --fleet, the app and verify on generated fleets of each size (each
// source bucket with a destination of its own; fan-in: N sources into one of Bob's buckets;
// fan-out: one source into N of Bob's), how many requests verify simulates, and each stack's
// largest policy beside its AWS limit. Speed is measured here, never asserted in tests.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { fanInFleet, fanOutFleet, generatedFleet, generatedOrganization } from "./generate-fleet";
import { parseArgv, UsageError } from "../tools/cli";
import { CDKTF, PROJECT_ROOT } from "../tools/project-root";
import { buildApp } from "../main";
import { parseAnyConfig } from "../lib/config";
import { measuredPolicies } from "../lib/policy-size";

export const BENCH_ARGS = {
  usage: "usage: npm run bench [-- --runs N] [--fleet 1,10,100] [--shape fleet|fan-in|fan-out|organization]",
  switches: [],
  options: ["runs", "fleet", "shape"],
} as const;
// organization: N source accounts of 10 buckets each into one archive account.
const SHAPES = { fleet: generatedFleet, "fan-in": fanInFleet, "fan-out": fanOutFleet, organization: generatedOrganization } as const;

/** Each stack's largest policy beside its limit, as the app measures it ("source 4,210/10,240 IAM inline"). */
function largestPolicies(raw: unknown): string {
  // cdktf's App makes its output folder at once, though nothing is synthesized into it.
  const scratch = mkdtempSync(path.join(tmpdir(), "bench-policies-"));
  const measured = measuredPolicies(buildApp(parseAnyConfig(raw), new App({ outdir: scratch })));
  rmSync(scratch, { recursive: true, force: true });
  // An organization's stacks by kind: the largest of any source-<name>, of any dest-<name>.
  const kind = (stack: string) => stack.replace(/-.*/, "");
  return ["source", "dest"]
    .map((stack) => {
      const top = measured.filter((p) => kind(p.stack) === stack).sort((a, b) => b.size / b.limit - a.size / a.limit)[0];
      return top ? `${stack} ${top.size.toLocaleString("en-US")}/${top.limit.toLocaleString("en-US")} ${top.service}${top.unit ? ` ${top.unit} per role` : ""}` : `${stack} -`;
    })
    .join(", ");
}

const GNU_TIME = "/usr/bin/time";

interface Sample {
  seconds: number;
  peakMb?: number;
}

function measure(command: string[], env: NodeJS.ProcessEnv): Sample {
  const scratch = mkdtempSync(path.join(tmpdir(), "bench-"));
  const stats = path.join(scratch, "time.txt");
  const withTime = existsSync(GNU_TIME) ? [GNU_TIME, "-f", "%e %M", "-o", stats, ...command] : command;
  const started = process.hrtime.bigint();
  const r = spawnSync(withTime[0], withTime.slice(1), { cwd: PROJECT_ROOT, env, stdio: "ignore" });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`${command.join(" ")} exited ${r.status}`);
  const [, kb] = existsSync(stats) ? readFileSync(stats, "utf8").trim().split(/\s+/).map(Number) : [];
  rmSync(scratch, { recursive: true, force: true });
  return { seconds, peakMb: kb ? kb / 1024 : undefined };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function samplesOf(command: string[], env: NodeJS.ProcessEnv, runs: number): { seconds: number; peakMb?: number } {
  const samples = Array.from({ length: runs }, () => measure(command, env));
  const peaks = samples.map((s) => s.peakMb).filter((m): m is number => m !== undefined);
  return { seconds: median(samples.map((s) => s.seconds)), peakMb: peaks.length ? Math.max(...peaks) : undefined };
}

const formatted = (s: { seconds: number; peakMb?: number }) =>
  `${s.seconds.toFixed(2).padStart(6)} s${s.peakMb !== undefined ? `  ${s.peakMb.toFixed(0).padStart(5)} MB` : ""}`;

function benchPair(runs: number): void {
  const outdir = path.join(mkdtempSync(path.join(tmpdir(), "bench-out-")), "cdktf.out");
  const env = { ...process.env, CHECKPOINT_DISABLE: "1", CDKTF_OUTDIR: outdir };
  const cases: [string, string[]][] = [
    ["app alone (node dist/main.js)", [process.execPath, "dist/main.js"]],
    ["npx cdktf synth (CLI + app)", [CDKTF, "synth", "--output", outdir]],
    ["npm run verify (after synth)", [process.execPath, "dist/tools/verify.js", "--dir", outdir]],
  ];
  const examples = ["fleet", "monitoring", "adopt-existing"].map((name): [string, string[], NodeJS.ProcessEnv] => {
    const dir = path.join(path.dirname(outdir), name);
    return [`npm run verify (examples/${name}.json)`, [process.execPath, "dist/tools/verify.js", "--dir", dir], { ...env, REPLICATION_CONFIG: `examples/${name}.json`, CDKTF_OUTDIR: dir }];
  });
  const medians: number[] = [];
  for (const [name, command] of cases) {
    const s = samplesOf(command, env, runs);
    medians.push(s.seconds);
    console.log(`${name.padEnd(36)} ${formatted(s)}`);
  }
  console.log(`${"the cdktf CLI's own share of synth".padEnd(36)} ${(medians[1] - medians[0]).toFixed(2).padStart(6)} s`);
  for (const [name, command, exampleEnv] of examples) {
    measure([process.execPath, "dist/main.js"], exampleEnv);
    console.log(`${name.padEnd(36)} ${formatted(samplesOf(command, exampleEnv, runs))}  ${simulationsOf(command, exampleEnv)} requests analysed`);
  }
  console.log(`${"npm run verify (the pair)".padEnd(36)} requests analysed: ${simulationsOf(cases[2][1], env)}`);
  rmSync(path.dirname(outdir), { recursive: true, force: true });
}

/** How many requests the access analysis asked, from verify's JSON report. */
function simulationsOf(command: string[], env: NodeJS.ProcessEnv): number {
  const r = spawnSync(command[0], [...command.slice(1), "--json"], { cwd: PROJECT_ROOT, env, encoding: "utf8", maxBuffer: 1 << 30 });
  return JSON.parse(r.stdout).access.simulations;
}

function benchFleets(sizes: number[], runs: number, shape: keyof typeof SHAPES): void {
  console.log(`${shape.padStart(14)}  ${"app synth".padStart(17)}  ${"verify".padStart(17)}  requests  access analysis  largest policy / limit`);
  for (const n of sizes) {
    const scratch = mkdtempSync(path.join(tmpdir(), `bench-fleet-${n}-`));
    const configFile = path.join(scratch, "fleet.json");
    const raw = SHAPES[shape](n);
    writeFileSync(configFile, JSON.stringify(raw));
    const outdir = path.join(scratch, "cdktf.out");
    const env = { ...process.env, CHECKPOINT_DISABLE: "1", CDKTF_OUTDIR: outdir, REPLICATION_CONFIG: configFile };
    const largest = largestPolicies(raw);
    const refused = spawnSync(process.execPath, ["dist/main.js"], { cwd: PROJECT_ROOT, env, encoding: "utf8" });
    if (refused.status !== 0) {
      console.log(`${String(n).padStart(14)}  refused by the app: ${refused.stderr.split("\n").slice(1).join(" ").trim()}  (${largest})`);
      rmSync(scratch, { recursive: true, force: true });
      continue;
    }
    const synth = samplesOf([process.execPath, "dist/main.js"], env, runs);
    const verify = samplesOf([process.execPath, "dist/tools/verify.js", "--dir", outdir], env, runs);
    const report = spawnSync(process.execPath, ["dist/tools/verify.js", "--dir", outdir, "--json"], { cwd: PROJECT_ROOT, env, encoding: "utf8", maxBuffer: 1 << 30 });
    const parsed = JSON.parse(report.stdout);
    // An organization's report is one per source account: its figures are their sums.
    const reports: { requests: unknown[]; access: { simulations: number } }[] = parsed.slices ? parsed.slices.map((x: any) => x.report) : [parsed];
    const requests = reports.flatMap((r) => r.requests);
    const access = { simulations: reports.reduce((n, r) => n + r.access.simulations, 0) };
    console.log(`${String(n).padStart(14)}  ${formatted(synth)}  ${formatted(verify)}  ${String(requests.length).padStart(8)}  ${String(access.simulations).padStart(15)}  ${largest}`);
    rmSync(scratch, { recursive: true, force: true });
  }
}

function main(): void {
  const { options } = parseArgv(process.argv.slice(2), BENCH_ARGS);
  const runs = Number(options.runs ?? 5);
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs takes a whole number of runs, e.g. 3: ${BENCH_ARGS.usage}`);
  const fleet = options.fleet;
  const shape = options.shape ?? "fleet";
  if (!(shape in SHAPES)) throw new UsageError(`--shape must be one of ${Object.keys(SHAPES).join(", ")}: ${BENCH_ARGS.usage}`);
  const sizes = fleet?.split(",").map(Number);
  if (sizes?.some((n) => !Number.isInteger(n) || n < 1)) throw new UsageError(`--fleet takes whole numbers of source buckets, e.g. 1,10,100: ${BENCH_ARGS.usage}`);
  console.log(`median of ${runs} runs; peak memory is the largest process's resident set (GNU time %M)`);
  if (sizes) benchFleets(sizes, runs, shape as keyof typeof SHAPES);
  else benchPair(runs);
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`bench: ${e.message}\n`);
    process.exitCode = 2;
  }
}
