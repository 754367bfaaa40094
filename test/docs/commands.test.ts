// Every command the README and docs/ show in a shell block runs as written: each npm script exists,
// each option is one its command takes, each config file named is there, each cdktf subcommand is
// one the CLI has. (The commands themselves run in the other tests and the emulated deploy.)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { BACKFILL_ARGS } from "../../tools/backfill";
import { VERIFY_ARGS } from "../../tools/verify";
import { DEPLOY_LOCAL_ARGS } from "../../dev/deploy-local";
import { BENCH_ARGS } from "../../dev/benchmark";
import { PROJECT_ROOT } from "../support/fixtures";
import { parseConfig } from "../../lib/config";
import { parseGuardrails } from "../../proof/guardrails/guardrails-file";

const pages = ["README.md", ...readdirSync(path.join(PROJECT_ROOT, "docs")).map((f) => `docs/${f}`)].filter((f) => f.endsWith(".md"));
const scripts: Record<string, string> = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).scripts;
const flagsOf = (spec: { switches: readonly string[]; options: readonly string[] }) => [...spec.switches, ...spec.options];
// bring-up passes its options to cdktf deploy.
const OPTIONS: Record<string, string[]> = {
  verify: flagsOf(VERIFY_ARGS),
  backfill: flagsOf(BACKFILL_ARGS),
  "deploy:local": flagsOf(DEPLOY_LOCAL_ARGS),
  bench: flagsOf(BENCH_ARGS),
  "bring-up": ["auto-approve"],
};
const CDKTF_SUBCOMMANDS = ["synth", "deploy", "diff", "destroy", "output", "get", "list"];

/** Every command line of every ```sh block, with its page and line. */
function commands(): [string, string][] {
  const found: [string, string][] = [];
  for (const page of pages) {
    const lines = readFileSync(path.join(PROJECT_ROOT, page), "utf8").split("\n");
    let inShell = false;
    lines.forEach((line, i) => {
      if (/^```sh\s*$/.test(line)) inShell = true;
      else if (/^```/.test(line)) inShell = false;
      else if (inShell) {
        const command = line.replace(/\s+#.*$/, "").trim();
        if (command && !command.startsWith("#")) for (const part of command.split(/&&|\|/)) found.push([`${page}:${i + 1}`, part.trim()]);
      }
    });
  }
  return found;
}

/** What is wrong with one command, or nothing. */
function problems(command: string): string[] {
  const words = command.split(/\s+/);
  const out: string[] = [];
  for (const w of words) {
    const config = /^REPLICATION_CONFIG=(\S+)$/.exec(w)?.[1];
    if (config && !config.includes("<") && !config.startsWith("path/") && !existsSync(path.join(PROJECT_ROOT, config))) out.push(`${config} does not exist`);
  }
  const npm = words.indexOf("npm");
  if (npm >= 0 && words[npm + 1] === "run") {
    const rest = words.slice(npm + 2).filter((w) => w !== "-s");
    const script = rest[0];
    if (!(script in scripts)) out.push(`npm run ${script}: no such script`);
    const args = rest.slice(rest.indexOf("--") + 1);
    if (rest.includes("--")) {
      args.forEach((a, i) => {
        const flag = /^--([\w-]+)$/.exec(a)?.[1];
        if (flag && !(OPTIONS[script] ?? []).includes(flag)) out.push(`npm run ${script}: no option --${flag}`);
        if (a === "--config" && !args[i + 1].includes("<") && !existsSync(path.join(PROJECT_ROOT, args[i + 1]))) out.push(`${args[i + 1]} does not exist`);
      });
    }
  }
  const cdktf = words.indexOf("cdktf");
  if (cdktf >= 0 && words[cdktf - 1] === "npx" && !CDKTF_SUBCOMMANDS.includes(words[cdktf + 1])) out.push(`cdktf ${words[cdktf + 1]}: not a cdktf command`);
  return out;
}

test("the pages show commands at all (the scan reads them)", () => {
  const all = commands().map(([, c]) => c);
  expect(all).toContain("npm ci");
  expect(all.some((c) => c.startsWith("npm run -s verify -- --markdown --output"))).toBe(true);
});

test.each(commands())("%s: %s", (_where, command) => {
  expect(problems(command)).toEqual([]);
});

test("the scan catches a script, an option and a config that do not exist", () => {
  expect(problems("npm run verfy")).toEqual(["npm run verfy: no such script"]);
  expect(problems("npm run -s verify -- --jsn")).toEqual(["npm run verify: no option --jsn"]);
  expect(problems("npm run backfill -- --config examples/nope.json --bucket b")).toEqual(["examples/nope.json does not exist"]);
  expect(problems("npx cdktf apply")).toEqual(["cdktf apply: not a cdktf command"]);
});

test("README.md is a front door: at most 200 lines, prose lines at most 150 characters (the diagram and code blocks aside)", () => {
  const lines = readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8").split("\n");
  expect(lines.length).toBeLessThanOrEqual(200);
  let inBlock = false;
  const long = lines.filter((line) => {
    if (line.startsWith("```")) inBlock = !inBlock;
    return !inBlock && !line.startsWith("|") && line.length > 150;
  });
  expect(long).toEqual([]);
});

/** Every ```json block of the pages that is a whole config (a pair or a fleet), with its place. */
function configBlocks(): [string, string][] {
  const found: [string, string][] = [];
  for (const page of pages) {
    const text = readFileSync(path.join(PROJECT_ROOT, page), "utf8");
    for (const m of text.matchAll(/^```json\n([\s\S]*?)\n```/gm)) {
      const line = text.slice(0, m.index).split("\n").length;
      if (/^\{\s*("\$schema"[^\n]*\n\s*)?"(source|sourceAccount)"/.test(m[1])) found.push([`${page}:${line}`, m[1]]);
    }
  }
  return found;
}

test("the pages show whole configs (the scan finds the README's)", () => {
  expect(configBlocks().some(([where]) => where.startsWith("README.md:"))).toBe(true);
});

test.each(configBlocks())("%s: the config shown is one the app accepts", (_where, text) => {
  expect(() => parseConfig(JSON.parse(text), "the example")).not.toThrow();
});

test("the guardrails file docs/guardrails.md shows is one verify accepts", () => {
  const text = readFileSync(path.join(PROJECT_ROOT, "docs", "guardrails.md"), "utf8");
  const blocks = [...text.matchAll(/^```json\n([\s\S]*?)\n```/gm)].map((m) => m[1]).filter((b) => /"accounts"/.test(b));
  expect(blocks).toHaveLength(1);
  const g = parseGuardrails(JSON.parse(blocks[0]), "docs/guardrails.md");
  expect([...g.accounts.keys()]).toEqual(["222222222222"]);
});
