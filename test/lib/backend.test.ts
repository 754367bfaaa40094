// Each backend: where both stacks keep state, and that dest reads source's state from the same place.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ConfigError, parseConfig } from "../../lib/config";
import { runApp } from "../support/app";
import { configWith, PROJECT_ROOT, synthPair } from "../support/fixtures";

const example = (name: string) => path.join(PROJECT_ROOT, "examples", name);
const exampleConfig = (name: string) => parseConfig(JSON.parse(readFileSync(example(name), "utf8")), name);

describe("local backend", () => {
  test("state files in a relative folder of the project; dest reads source's file", () => {
    const { source, dest } = synthPair(configWith((r) => (r.backend = { type: "local", stateDir: "state" })));
    expect(source.terraform.backend).toEqual({ local: { path: "../../../state/terraform.source.tfstate" } });
    expect(dest.terraform.backend).toEqual({ local: { path: "../../../state/terraform.dest.tfstate" } });
    expect(dest.data?.terraform_remote_state.source_state).toEqual({
      backend: "local",
      config: { path: "../../../state/terraform.source.tfstate" },
    });
  });
});

describe("s3 backend (examples/backend-s3.json)", () => {
  const { source, dest } = synthPair(exampleConfig("backend-s3.json"));
  const settings = (stack: string) => ({
    bucket: "example-terraform-state-333333333333",
    key: `s3-replication/${stack}.tfstate`,
    region: "us-east-1",
    encrypt: true,
    assume_role: { role_arn: "arn:aws:iam::333333333333:role/terraform-state" },
  });

  test("one key per stack, encrypted, S3-native locking", () => {
    expect(source.terraform.backend).toEqual({ s3: { ...settings("source"), use_lockfile: true } });
    expect(dest.terraform.backend).toEqual({ s3: { ...settings("dest"), use_lockfile: true } });
  });

  test("dest reads source's key with the same settings", () => {
    expect(dest.data?.terraform_remote_state.source_state).toEqual({ backend: "s3", config: settings("source") });
  });

  test("an optional DynamoDB lock table and no state role", () => {
    const { source, dest } = synthPair(
      configWith((r) => (r.backend = { type: "s3", bucket: "state-bucket", region: "eu-west-1", dynamodbTable: "locks" })),
    );
    expect(source.terraform.backend.s3).toEqual({
      bucket: "state-bucket",
      key: "s3-replication/source.tfstate",
      region: "eu-west-1",
      encrypt: true,
      dynamodb_table: "locks",
      use_lockfile: true,
    });
    expect(dest.data?.terraform_remote_state.source_state.config.key).toBe("s3-replication/source.tfstate");
  });
});

describe("cloud backend (examples/backend-cloud.json)", () => {
  const { source, dest } = synthPair(exampleConfig("backend-cloud.json"));

  test("one named workspace per stack, in the configured project", () => {
    const cloud = (workspace: string) => ({
      hostname: "app.terraform.io",
      organization: "example-org",
      workspaces: { name: workspace, project: "s3-replication" },
    });
    expect(source.terraform).toMatchObject({ cloud: cloud("s3-replication-source") });
    expect(dest.terraform).toMatchObject({ cloud: cloud("s3-replication-dest") });
    expect(source.terraform.backend).toBeUndefined();
  });

  test("dest reads source's workspace through the remote backend", () => {
    expect(dest.data?.terraform_remote_state.source_state).toEqual({
      backend: "remote",
      config: { hostname: "app.terraform.io", organization: "example-org", workspaces: { name: "s3-replication-source" } },
    });
  });

  test("workspace names default from a prefix; hostname defaults to app.terraform.io", () => {
    const { source, dest } = synthPair(configWith((r) => (r.backend = { type: "cloud", organization: "acme", workspacePrefix: "repl" })));
    expect(source.terraform.cloud).toEqual({ hostname: "app.terraform.io", organization: "acme", workspaces: { name: "repl-source" } });
    expect(dest.terraform.cloud.workspaces).toEqual({ name: "repl-dest" });
    expect(dest.data?.terraform_remote_state.source_state.config.workspaces).toEqual({ name: "repl-source" });
  });
});

describe("backend bad input", () => {
  const problems = (backend: unknown): string => {
    try {
      configWith((r) => (r.backend = backend));
    } catch (e) {
      if (e instanceof ConfigError) return e.problems.join("\n");
      throw e;
    }
    throw new Error("accepted");
  };

  test.each([
    ["an unknown type", { type: "gcs" }, 'backend.type: type must be one of "local", "s3" or "cloud"'],
    ["no type", { bucket: "x" }, "backend.type:"],
    ["s3 without a bucket", { type: "s3", region: "us-east-1" }, "backend.bucket: is missing: add it"],
    ["s3 in a region that is not one", { type: "s3", bucket: "state-bucket", region: "us-east" }, "backend.region: must be an AWS region"],
    ["s3 with a bad key prefix", { type: "s3", bucket: "state-bucket", region: "us-east-1", keyPrefix: "/abs/" }, "backend.keyPrefix:"],
    ["s3 with a state role that is not a role", { type: "s3", bucket: "state-bucket", region: "us-east-1", roleArn: "deployer" }, "backend.roleArn: must be an IAM role ARN"],
    ["cloud without an organization", { type: "cloud" }, "backend.organization: is missing: add it"],
    [
      "cloud workspaces that collide",
      { type: "cloud", organization: "acme", workspaces: { source: "shared", dest: "shared" } },
      'backend.workspaces: source and dest must use different workspaces (both are "shared")',
    ],
    [
      "a dest workspace equal to the derived source one",
      { type: "cloud", organization: "acme", workspacePrefix: "p", workspaces: { dest: "p-source" } },
      "backend.workspaces: source and dest must use different workspaces",
    ],
    ["an unknown backend field", { type: "s3", bucket: "state-bucket", region: "us-east-1", lock: true }, 'backend: unknown field "lock"'],
  ])("%s", (_name, backend, expected) => {
    expect(problems(backend)).toContain(expected);
  });
});

describe("the shipped examples are complete configs", () => {
  // Synth must not need terraform (cdktf's CloudBackend would run `terraform version` otherwise).
  const withoutTerraform = { PATH: path.dirname(process.execPath) };

  test.each(["backend-s3.json", "backend-cloud.json"])("REPLICATION_CONFIG=examples/%s synthesizes, with no terraform on PATH", (name) => {
    const run = runApp(example(name), withoutTerraform);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
