// Decides whether tests that need local tools (terraform, the provider mirror, moto) run.
// Absent tools skip those tests, loudly and with the reason; REQUIRE_DEPLOY_TOOLS=1 (set by CI,
// whose machines carry the tools) turns a missing tool into a failure instead.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { writeTerraformCliConfig, type Found } from "../../dev/toolchain";

export function missingReasons(...found: Found[]): string[] {
  return found.flatMap((f) => ("missing" in f ? [f.missing] : []));
}

/** `describe`, or `describe.skip` with the reason in its title and on the console. */
export function describeWithTools(title: string, missing: string[], body: () => void): void {
  if (missing.length === 0) {
    describe(title, body);
    return;
  }
  const reason = missing.join("; ");
  if (process.env.REQUIRE_DEPLOY_TOOLS === "1") {
    describe(title, () => {
      test("has the tools it needs (REQUIRE_DEPLOY_TOOLS=1)", () => {
        throw new Error(`required tools are missing: ${reason}`);
      });
    });
    return;
  }
  // Straight to stderr: jest hides console output of a file whose tests are all skipped.
  process.stderr.write(`\nSKIPPED "${title}": ${reason} (install them, or see docs/emulated-deploy.md)\n`);
  describe.skip(`${title} [SKIPPED: ${reason}]`, body);
}

export const pathOf = (f: Found): string => ("path" in f ? f.path : "");

export interface OfflineTerraform {
  env: NodeJS.ProcessEnv;
  run(cwd: string, ...args: string[]): SpawnSyncReturns<string>;
}

/** terraform with a CLI config that installs hashicorp/aws from the local mirror only. */
export function offlineTerraform(terraform: Found, mirror: Found): OfflineTerraform {
  const work = mkdtempSync(path.join(tmpdir(), "tf-cli-"));
  const env = { ...process.env, TF_CLI_CONFIG_FILE: writeTerraformCliConfig(work, pathOf(mirror)), TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
  return { env, run: (cwd, ...args) => spawnSync(pathOf(terraform), args, { cwd, env, encoding: "utf8", timeout: 120_000 }) };
}

/** `terraform init -backend=false` then `terraform validate` in `dir`, with no diagnostics at all. */
export function expectValidTerraform(tf: OfflineTerraform, dir: string): void {
  const init = tf.run(dir, "init", "-backend=false", "-input=false", "-no-color");
  expect(init.stderr).toBe("");
  expect(init.status).toBe(0);
  const result = JSON.parse(tf.run(dir, "validate", "-json", "-no-color").stdout);
  // Warnings count too: a deprecated attribute or a quoted reference would show up here.
  expect(result.diagnostics).toEqual([]);
  expect(result.valid).toBe(true);
}

/** Whether a stack folder holds an import block, which terraform accepts only in a root module. */
export const holdsImportBlocks = (dir: string): boolean =>
  ["cdk.tf.json", "cdk.tf"].some((f) => existsSync(path.join(dir, f)) && /"import"\s*:|^import\s*\{/m.test(readFileSync(path.join(dir, f), "utf8")));

/**
 * `terraform validate` of many stack folders in one run, each a module of one configuration:
 * terraform loads the AWS provider's schema once (4 s a run here) instead of once per folder. The
 * only diagnostics allowed are terraform's notes that a child module's backend block is ignored;
 * folders with import blocks (root modules only) are validated alone with expectValidTerraform.
 */
export function expectValidTerraformTogether(tf: OfflineTerraform, dirs: [string, string][]): void {
  const root = mkdtempSync(path.join(tmpdir(), "tf-modules-"));
  for (const [name, dir] of dirs) symlinkSync(dir, path.join(root, name));
  writeFileSync(path.join(root, "main.tf"), dirs.map(([name]) => `module "${name}" {\n  source = "./${name}"\n}\n`).join(""));
  const init = tf.run(root, "init", "-backend=false", "-input=false", "-no-color");
  expect(init.stderr).toBe("");
  expect(init.status).toBe(0);
  const result = JSON.parse(tf.run(root, "validate", "-json", "-no-color").stdout);
  const diagnostics = (result.diagnostics as { severity: string; summary: string }[]).filter((d) => !(d.severity === "warning" && d.summary === "Backend configuration ignored"));
  expect(diagnostics).toEqual([]);
  expect(result.valid).toBe(true);
}
