// The app as `cdktf synth` runs it: a separate process writing into an output folder.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { readTree, runApp } from "./support/app";
import { defaultRawConfig, PROJECT_ROOT } from "./support/fixtures";

describe("synthesizing the default config", () => {
  const first = runApp();
  const second = runApp();

  test("succeeds and writes both stacks", () => {
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(Object.keys(readTree(first.outdir))).toEqual([
      "manifest.json",
      "stacks/dest/cdk.tf.json",
      "stacks/source/cdk.tf.json",
      "synthesized-from.json",
    ]);
  });

  test("records which config it came from, by its path and content digest", () => {
    const { createHash } = require("node:crypto");
    const digest = createHash("sha256").update(readFileSync(path.join(PROJECT_ROOT, "replication.config.json"))).digest("hex");
    expect(JSON.parse(readTree(first.outdir)["synthesized-from.json"])).toEqual({ config: "replication.config.json", sha256: digest });
  });

  test("is byte-identical across runs (and output folders)", () => {
    expect(first.outdir).not.toBe(second.outdir);
    expect(readTree(second.outdir)).toEqual(readTree(first.outdir));
  });

  test("carries no absolute paths", () => {
    const everything = Object.values(readTree(first.outdir)).join("\n");
    for (const machinePath of [PROJECT_ROOT, first.outdir, tmpdir(), process.env.HOME ?? "/root"]) {
      expect(everything).not.toContain(machinePath);
    }
    expect(everything).not.toMatch(/"\/(work|tmp|home|root|opt|Users|var)\//);
  });

  test("a synth over an earlier one of the other format leaves one format per stack folder", () => {
    const { spawnSync } = require("node:child_process");
    const stale = path.join(first.outdir, "stacks", "source", "cdk.tf");
    writeFileSync(stale, "# an HCL synth's leftover\n");
    const again = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "dist", "main.js")], { cwd: PROJECT_ROOT, env: { ...process.env, CDKTF_OUTDIR: first.outdir, REPLICATION_CONFIG: "" }, encoding: "utf8" });
    expect(again.status).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(path.join(first.outdir, "stacks", "source", "cdk.tf.json"))).toBe(true);
  });

  test("the manifest records that dest depends on source", () => {
    const manifest = JSON.parse(readTree(first.outdir)["manifest.json"]);
    expect(manifest.stacks.dest.dependencies).toEqual(["source"]);
    expect(manifest.stacks.source.dependencies).toEqual([]);
  });
});

describe("bad input stops the app before it writes anything", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "bad-config-"));
  const write = (name: string, content: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return file;
  };
  const withChange = (change: (raw: any) => void) => {
    const raw = defaultRawConfig();
    change(raw);
    return JSON.stringify(raw);
  };

  test.each([
    ["a malformed account ID", withChange((r) => (r.source.accountId = "12345")), "source.accountId: must be a 12-digit AWS account ID"],
    ["the same account twice", withChange((r) => (r.destination.accountId = "111111111111")), "destination.accountId: must differ from source.accountId"],
    ["an invalid bucket name", withChange((r) => (r.destination.bucketName = "Bob_Bucket")), "destination.bucketName:"],
    ["a missing field", withChange((r) => delete r.source.region), "source.region: is missing: add it"],
    ["an unknown backend", withChange((r) => (r.backend = { type: "etcd" })), 'backend.type: type must be one of "local", "s3" or "cloud"'],
    [
      "Replication Time Control with metrics off",
      withChange((r) => Object.assign(r.replication, { replicationTimeControl: true, metrics: false })),
      "replication.metrics: must not be false while replication.replicationTimeControl is true",
    ],
    ["invalid JSON", "{", "is not valid JSON"],
  ])("%s", (name, content, expected) => {
    const file = write(`${name.replace(/\W+/g, "-")}.json`, content);
    const run = runApp(file);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${file} is not a valid replication config:`);
    expect(run.stderr).toContain(expected);
    expect(existsSync(run.outdir)).toBe(false);
  });

  test("a fleet config S3 would reject", () => {
    const raw = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples", "fleet.json"), "utf8"));
    raw.sourceBuckets[0].rules[1].priority = raw.sourceBuckets[0].rules[0].priority;
    const file = write("fleet-same-priority.json", JSON.stringify(raw));
    const run = runApp(file);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("sourceBuckets.0.rules.1.priority: is also sourceBuckets.0.rules.0.priority");
    expect(existsSync(run.outdir)).toBe(false);
  });

  test("a config whose policies AWS would reject (300 of Alice's buckets into one of Bob's): refused, naming the policy, its size and the limit", () => {
    const { fanInFleet } = require("../dev/generate-fleet");
    const file = write("fan-in-300.json", JSON.stringify(fanInFleet(300)));
    const run = runApp(file);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/the bucket policy of bob-archive-222222222222 would be about [\d,]+ characters, over S3's 20,480: /);
    expect(existsSync(run.outdir)).toBe(false);
  });

  test("a missing config file", () => {
    const run = runApp(path.join(dir, "nope.json"));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("cannot read the file (ENOENT)");
    expect(existsSync(run.outdir)).toBe(false);
  });
});
