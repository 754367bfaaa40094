// terraform itself accepts the synthesized JSON: JSON that looks right can still be rejected
// (an interpolation rendered as "undefined", a block where an attribute belongs, ...).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { findProviderMirror, findTerraform, writeTerraformCliConfig } from "../scripts/toolchain";
import { runApp } from "./support/app";
import { defaultRawConfig, PROJECT_ROOT } from "./support/fixtures";
import { describeWithTools, missingReasons, pathOf } from "./support/tools";

const terraform = findTerraform();
const mirror = findProviderMirror();

const fromExample = (name: string) => (raw: any) => Object.assign(raw, JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples", name), "utf8")));

/** Configs to validate: the committed default, each shipped backend example, and the switches. */
const variants: Record<string, (raw: any) => void> = {
  "default config (local backend)": () => undefined,
  "examples/backend-s3.json": fromExample("backend-s3.json"),
  "examples/backend-cloud.json": fromExample("backend-cloud.json"),
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

    // validate skips the backend/cloud block; a real init decodes it before it needs the network
    // or credentials, so offline it must fail only at that later stage, never on the block itself.
    const backendType = raw.backend?.type ?? "local";
    test.each(["source", "dest"])(`%s: terraform init accepts the ${backendType} block`, (stack) => {
      const dir = path.join(run.outdir, "stacks", stack);
      const init = spawnSync(pathOf(terraform), ["init", "-input=false", "-no-color"], {
        cwd: dir,
        encoding: "utf8",
        timeout: 90_000,
        env: { ...env, AWS_EC2_METADATA_DISABLED: "true", AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "", TF_TOKEN_app_terraform_io: "" },
      });
      const output = `${init.stdout}\n${init.stderr}`;
      expect(output).toMatch(backendType === "cloud" ? /Initializing HCP Terraform/ : /Initializing the backend/);
      expect(output).not.toMatch(/Extraneous JSON object property|Unsupported argument|No argument or block type|Missing required argument|Invalid value/);
      if (backendType === "local") expect(init.status).toBe(0); // nothing remote to reach
    });
  });
});
