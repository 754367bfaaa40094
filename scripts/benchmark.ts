// npm run bench [-- --runs N]
//
// Measures what users wait for: the app alone (what `cdktf synth` runs), `npx cdktf synth` as a
// whole, and `npm run verify`. Median wall time and peak memory over N runs, with GNU time when
// the machine has it. Speed is measured here, never asserted in tests.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { CDKTF, PROJECT_ROOT } from "./project-root";

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

function main(): void {
  const runsFlag = process.argv.indexOf("--runs");
  const runs = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 5;
  const outdir = path.join(mkdtempSync(path.join(tmpdir(), "bench-out-")), "cdktf.out");
  const env = { ...process.env, CHECKPOINT_DISABLE: "1", CDKTF_OUTDIR: outdir };
  const cases: [string, string[]][] = [
    ["app alone (node dist/main.js)", [process.execPath, "dist/main.js"]],
    ["npx cdktf synth (CLI + app)", [CDKTF, "synth", "--output", outdir]],
    ["npm run verify (after synth)", [process.execPath, "dist/scripts/verify.js", "--dir", outdir]],
  ];
  console.log(`median of ${runs} runs; peak memory is the largest process's resident set (GNU time %M)`);
  const medians: number[] = [];
  for (const [name, command] of cases) {
    const samples = Array.from({ length: runs }, () => measure(command, env));
    const peaks = samples.map((s) => s.peakMb).filter((m): m is number => m !== undefined);
    medians.push(median(samples.map((s) => s.seconds)));
    console.log(
      `${name.padEnd(36)} ${medians[medians.length - 1].toFixed(2).padStart(6)} s` +
        (peaks.length ? `  ${Math.max(...peaks).toFixed(0).padStart(5)} MB` : ""),
    );
  }
  console.log(`${"the cdktf CLI's own share of synth".padEnd(36)} ${(medians[1] - medians[0]).toFixed(2).padStart(6)} s`);
  rmSync(path.dirname(outdir), { recursive: true, force: true });
}

main();
