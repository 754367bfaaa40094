// terraform itself accepts the synthesized JSON: JSON that looks right can still be rejected
// (an interpolation rendered as "undefined", a block where an attribute belongs, ...).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { findProviderMirror, findTerraform } from "../dev/toolchain";
import { runApp } from "./support/app";
import { CONFIG_VARIANTS, stacksIn, writeConfigFile } from "./support/fixtures";
import { mutated } from "./support/mutate";
import { describeWithTools, expectValidTerraform, expectValidTerraformTogether, holdsImportBlocks, missingReasons, offlineTerraform, pathOf } from "./support/tools";

const terraform = findTerraform();
const mirror = findProviderMirror();

describeWithTools("terraform init + validate of both synthesized stacks", missingReasons(terraform, mirror), () => {
  const work = mkdtempSync(path.join(tmpdir(), "tf-validate-"));
  const tf = offlineTerraform(terraform, mirror);

  const runs = Object.entries(CONFIG_VARIANTS).map(([name, change]) => {
    const configFile = writeConfigFile(work, name, change);
    return { name, change, configFile, run: runApp(configFile) };
  });
  const stacks = runs.flatMap(({ name, run }) => stacksIn(run.outdir).map((stack): [string, string, string] => [name, stack, path.join(run.outdir, "stacks", stack)]));
  const alone = stacks.filter(([, , dir]) => holdsImportBlocks(dir));

  test("every config synthesizes without a word on stderr", () => {
    expect(runs.map(({ name, run }) => [name, run.stderr])).toEqual(runs.map(({ name }) => [name, ""]));
  });
  test(`every stack of every config without import blocks, as modules of one configuration (${stacks.length - alone.length} stacks)`, () => {
    expectValidTerraformTogether(
      tf,
      stacks.filter((x) => !alone.includes(x)).map(([name, stack, dir]) => [`${name.replace(/\W+/g, "_")}_${stack}`, dir]),
    );
  });
  test.each(alone)("%s: %s, alone (its import blocks need a root module)", (_name, _stack, dir) => expectValidTerraform(tf, dir));

  test("validating stacks together still fails on one terraform rejects (an argument the resource does not have)", () => {
    const broken = mutated(runs[0].run.outdir, (s) => (s.dest.resource.aws_s3_bucket.destination_bucket.not_an_argument = true));
    expect(() => expectValidTerraformTogether(tf, [["fine", path.join(runs[0].run.outdir, "stacks", "source")], ["broken", path.join(broken, "stacks", "dest")]])).toThrow(/No argument or block type is named \\"not_an_argument\\"/);
  });

  // validate skips the backend/cloud block; a real init decodes it before it needs the network or
  // credentials, so offline it must fail only at that later stage, never on the block itself. One
  // config per backend type: the others write the same block.
  const backendOf = (configFile: string): string => JSON.parse(readFileSync(configFile, "utf8")).backend?.type ?? "local";
  const onePerBackend = runs.filter((r, i) => runs.findIndex((other) => backendOf(other.configFile) === backendOf(r.configFile)) === i);
  test("the init checks cover every backend type", () => {
    expect(onePerBackend.map((r) => backendOf(r.configFile)).sort()).toEqual(["cloud", "local", "s3"]);
  });
  describe.each(onePerBackend.map(({ name, configFile, run }) => [name, configFile, run] as const))("%s", (_name, configFile, run) => {
    const backendType = backendOf(configFile);
    test.each(stacksIn(run.outdir))(`%s: terraform init accepts the ${backendType} block`, (stack) => {
      const dir = path.join(run.outdir, "stacks", stack);
      const init = spawnSync(pathOf(terraform), ["init", "-input=false", "-no-color"], {
        cwd: dir,
        encoding: "utf8",
        timeout: 90_000,
        env: { ...tf.env, AWS_EC2_METADATA_DISABLED: "true", AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "", TF_TOKEN_app_terraform_io: "" },
      });
      const output = `${init.stdout}\n${init.stderr}`;
      expect(output).toMatch(backendType === "cloud" ? /Initializing HCP Terraform/ : /Initializing the backend/);
      expect(output).not.toMatch(/Extraneous JSON object property|Unsupported argument|No argument or block type|Missing required argument|Invalid value/);
      if (backendType === "local") expect(init.status).toBe(0); // nothing remote to reach
    });
  });
});
