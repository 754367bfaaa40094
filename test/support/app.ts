// Runs the compiled app (dist/main.js, what `cdktf synth` runs) as its own process.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { CDKTF } from "../../tools/project-root";
import { PROJECT_ROOT } from "./fixtures";

const MAIN = path.join(PROJECT_ROOT, "dist", "main.js");

export interface AppRun {
  status: number | null;
  stdout: string;
  stderr: string;
  outdir: string;
}

/** Synthesizes into a fresh temporary folder; `configFile` becomes REPLICATION_CONFIG. */
export function runApp(configFile?: string, extraEnv: NodeJS.ProcessEnv = {}): AppRun {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does it first)`);
  const outdir = path.join(mkdtempSync(path.join(tmpdir(), "synth-")), "cdktf.out");
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv, CDKTF_OUTDIR: outdir };
  if (configFile) env.REPLICATION_CONFIG = configFile;
  else delete env.REPLICATION_CONFIG;
  const r = spawnSync(process.execPath, [MAIN], { cwd: PROJECT_ROOT, env, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, outdir };
}

/**
 * `cdktf synth --hcl` through the pinned CLI, as a user leaving cdktf runs it: the app writes HCL
 * and the CLI formats it. Writes into a fresh temporary folder.
 */
export function runCliSynthHcl(configFile: string): AppRun {
  const outdir = path.join(mkdtempSync(path.join(tmpdir(), "synth-hcl-")), "cdktf.out");
  const env: NodeJS.ProcessEnv = { ...process.env, REPLICATION_CONFIG: configFile, CHECKPOINT_DISABLE: "1", CI: "1" };
  const r = spawnSync(CDKTF, ["synth", "--hcl", "--output", outdir], { cwd: PROJECT_ROOT, env, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, outdir };
}

/** Every file under `dir`, as relative path -> contents. */
export function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else files[path.relative(dir, full)] = readFileSync(full, "utf8");
    }
  };
  walk(dir);
  return files;
}
