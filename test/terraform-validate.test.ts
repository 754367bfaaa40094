// terraform itself accepts the synthesized JSON: JSON that looks right can still be rejected
// (an interpolation rendered as "undefined", a block where an attribute belongs, ...).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { findProviderMirror, findTerraform, writeTerraformCliConfig } from "../scripts/toolchain";
import { runApp } from "./support/app";
import { defaultRawConfig } from "./support/fixtures";
import { describeWithTools, missingReasons, pathOf } from "./support/tools";

const terraform = findTerraform();
const mirror = findProviderMirror();

/** Configs to validate: the committed default and each shipped variation. */
const variants: Record<string, (raw: any) => void> = {
  "default config (local backend)": () => undefined,
  "owner override off, delete markers and metrics on, assumed deploy roles": (raw) => {
    raw.replication = { ruleId: "x", ownerOverride: false, replicateDeleteMarkers: true, metrics: true };
    raw.source.credentials = { assumeRoleArn: "arn:aws:iam::111111111111:role/deployer" };
    raw.destination.credentials = { assumeRoleArn: "arn:aws:iam::222222222222:role/deployer", sessionName: "cdktf" };
  },
};

describeWithTools("terraform init + validate of both synthesized stacks", missingReasons(terraform, mirror), () => {
  const work = mkdtempSync(path.join(tmpdir(), "tf-validate-"));
  const env = { ...process.env, TF_CLI_CONFIG_FILE: writeTerraformCliConfig(work, pathOf(mirror)), TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
  const tf = (cwd: string, ...args: string[]) =>
    spawnSync(pathOf(terraform), args, { cwd, env, encoding: "utf8", timeout: 120_000 });

  describe.each(Object.entries(variants))("%s", (name, change) => {
    const raw = defaultRawConfig();
    change(raw);
    const configFile = path.join(work, `${name.replace(/\W+/g, "-")}.json`);
    writeFileSync(configFile, JSON.stringify(raw));
    const run = runApp(configFile);

    test.each(["source", "dest"])("%s", (stack) => {
      expect(run.stderr).toBe("");
      const dir = path.join(run.outdir, "stacks", stack);
      const init = tf(dir, "init", "-backend=false", "-input=false", "-no-color");
      expect(init.stderr).toBe("");
      expect(init.status).toBe(0);
      const validate = tf(dir, "validate", "-json", "-no-color");
      const result = JSON.parse(validate.stdout);
      // Warnings count too: a deprecated attribute would show up here.
      expect(result.diagnostics).toEqual([]);
      expect(result.valid).toBe(true);
    });
  });
});
