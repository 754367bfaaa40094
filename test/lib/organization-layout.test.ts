// cdktf.out/organization.json: what a pipeline needs to run an organization's stacks.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseAnyConfig, type OrganizationConfig } from "../../lib/config";
import { DESTINATION_READY_VARIABLE } from "../../lib/naming";
import { organizationLayout, ORGANIZATION_LAYOUT_FILE } from "../../lib/organization-layout";
import { accountStates, organizationBringUpSteps } from "../../tools/organization-bring-up";
import { runApp } from "../support/app";
import { PROJECT_ROOT } from "../support/fixtures";

const raw = (): any => JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples/organization.json"), "utf8"));

test("with Terraform Cloud: a run of each source workspace triggers the destination workspace that reads it, and no other", () => {
  const r = raw();
  r.backend = { type: "cloud", organization: "acme", workspacePrefix: "replication" };
  const layout = organizationLayout(parseAnyConfig(r) as OrganizationConfig);
  expect(layout.runTriggers).toEqual([
    { from: "replication-source-payments", to: "replication-dest-archive" },
    { from: "replication-source-analytics", to: "replication-dest-archive" },
    { from: "replication-source-web", to: "replication-dest-log-archive" },
  ]);
  expect(layout.stacks.find((s) => s.stack === "dest-archive")).toEqual({ stack: "dest-archive", kind: "dest", accountId: "222222222222", region: "us-west-2", state: "workspace replication-dest-archive", reads: ["source-payments", "source-analytics"] });
  expect(layout.firstBringUp.map((s) => [s.step, s.stacks.length, s.variables])).toEqual([
    ["1/3", 3, { destination_ready: false }],
    ["2/3", 2, {}],
    ["3/3", 3, {}],
  ]);
});

test("the app writes it for an organization, and removes a stale one from any other shape's output", () => {
  const run = runApp(path.join(PROJECT_ROOT, "examples/organization.json"));
  expect(run.status).toBe(0);
  const file = path.join(run.outdir, ORGANIZATION_LAYOUT_FILE);
  expect(JSON.parse(readFileSync(file, "utf8")).stacks.map((s: any) => s.state)).toContain("../../../terraform.source-web.tfstate");
  const pairOut = mkdtempSync(path.join(tmpdir(), "pair-out-"));
  writeFileSync(path.join(pairOut, ORGANIZATION_LAYOUT_FILE), "{}");
  const pair = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "dist/main.js")], { cwd: PROJECT_ROOT, env: { ...process.env, CDKTF_OUTDIR: pairOut, REPLICATION_CONFIG: "" }, encoding: "utf8" });
  expect(pair.status).toBe(0);
  expect(existsSync(path.join(pairOut, ORGANIZATION_LAYOUT_FILE))).toBe(false);
});

test("its first bring-up is the one npm run bring-up runs on an organization with no state yet", () => {
  const config = parseAnyConfig(raw()) as OrganizationConfig;
  const steps = organizationBringUpSteps(config, accountStates(config, {}), [], 4).map((s) => ({
    stacks: s.args.slice(1, s.args.indexOf("--skip-synth")),
    variables: s.args.includes(`${DESTINATION_READY_VARIABLE}=false`) ? { [DESTINATION_READY_VARIABLE]: false } : {},
  }));
  expect(organizationLayout(config).firstBringUp.map(({ stacks, variables }) => ({ stacks, variables }))).toEqual(steps);
});
