// The house rules of the tree (docs/architecture.md), checked on every import of every file:
// which folder may import which, no import cycle (type-only imports included), the proof never
// loads cdktf, and only the command-line entry points exit or test require.main.
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../support/fixtures";

type Tier = "main" | "lib" | "stacks" | "proof" | "tools" | "dev";

/** Which tiers each tier may import (itself included where listed). */
const MAY_IMPORT: Record<Tier, Tier[]> = {
  main: ["lib", "stacks"],
  lib: ["lib"],
  stacks: ["lib"],
  proof: ["lib", "proof"],
  tools: ["lib", "stacks", "proof", "tools"],
  dev: ["main", "lib", "stacks", "proof", "tools", "dev"],
};

/** Packages that load cdktf constructs: the proof must reach none of them, directly or through lib. */
const CONSTRUCT_PACKAGES = [/^cdktf$/, /^@cdktf\//, /^constructs$/];

const tierOf = (file: string): Tier => (file === "main.ts" ? "main" : (file.split("/")[0] as Tier));

function sourceFiles(): string[] {
  const out: string[] = ["main.ts"];
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(PROJECT_ROOT, dir)).sort()) {
      const rel = `${dir}/${name}`;
      if (statSync(path.join(PROJECT_ROOT, rel)).isDirectory()) walk(rel);
      else if (rel.endsWith(".ts")) out.push(rel);
    }
  };
  for (const dir of ["lib", "stacks", "proof", "tools", "dev"]) walk(dir);
  return out;
}

const FILES = sourceFiles();
const texts = new Map(FILES.map((f) => [f, readFileSync(path.join(PROJECT_ROOT, f), "utf8")]));

/** Every module a file names in an import, export-from or require, as a repo path or a package name. */
function importsOf(file: string): { local: string[]; packages: string[] } {
  const specs = [...texts.get(file)!.matchAll(/(?:from\s+|import\s+|require\(|import\()["']([^"']+)["']/g)].map((m) => m[1]);
  const local: string[] = [];
  const packages: string[] = [];
  for (const spec of specs) {
    if (!spec.startsWith(".")) {
      if (!spec.startsWith("node:")) packages.push(spec);
      continue;
    }
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    const found = [`${base}.ts`, `${base}/index.ts`, base].find((c) => texts.has(c));
    if (!found) throw new Error(`${file} imports ${spec}, which is not a source file`);
    local.push(found);
  }
  return { local, packages };
}

const graph = new Map(FILES.map((f) => [f, importsOf(f)]));

test("every import goes the allowed way between main.ts, lib/, stacks/, proof/, tools/ and dev/", () => {
  const wrong = FILES.flatMap((f) => graph.get(f)!.local.filter((t) => !MAY_IMPORT[tierOf(f)].includes(tierOf(t))).map((t) => `${f} -> ${t}`));
  expect(wrong).toEqual([]);
});

test("no import cycle between files, type-only imports included", () => {
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const visit = (f: string, trail: string[]) => {
    if (state.get(f) === "done") return;
    if (state.get(f) === "open") {
      cycles.push([...trail.slice(trail.indexOf(f)), f].join(" -> "));
      return;
    }
    state.set(f, "open");
    for (const t of graph.get(f)!.local) visit(t, [...trail, f]);
    state.set(f, "done");
  };
  FILES.forEach((f) => visit(f, []));
  expect(cycles).toEqual([]);
});

test("the proof never loads cdktf or a construct, however indirectly", () => {
  const reached = new Set<string>();
  const visit = (f: string) => {
    if (reached.has(f)) return;
    reached.add(f);
    graph.get(f)!.local.forEach(visit);
  };
  FILES.filter((f) => tierOf(f) === "proof").forEach(visit);
  const loads = [...reached].flatMap((f) => graph.get(f)!.packages.filter((p) => CONSTRUCT_PACKAGES.some((re) => re.test(p))).map((p) => `${f} loads ${p}`));
  expect(loads).toEqual([]);
  // The check itself reaches lib/ (so it would see a construct imported there).
  expect([...reached].some((f) => f.startsWith("lib/"))).toBe(true);
});

test("only the command-line entry points exit the process or test require.main", () => {
  const scripts = Object.values(JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).scripts as Record<string, string>);
  const entryPoints = new Set([
    "main.ts",
    ...scripts.flatMap((s) => [...s.matchAll(/node dist\/(\S+)\.js/g)].map((m) => `${m[1]}.ts`)),
  ]);
  expect(entryPoints.has("tools/verify.ts")).toBe(true);
  const offenders = FILES.filter((f) => !entryPoints.has(f) && /process\.exit\(|require\.main/.test(texts.get(f)!));
  expect(offenders).toEqual([]);
});
