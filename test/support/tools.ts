// Decides whether tests that need local tools (terraform, the provider mirror, moto) run.
// Absent tools skip those tests, loudly and with the reason; REQUIRE_DEPLOY_TOOLS=1 (set by CI,
// whose machines carry the tools) turns a missing tool into a failure instead.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync } from "node:fs";
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
