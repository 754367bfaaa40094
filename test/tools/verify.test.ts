// verify's arguments: what each option means and what is refused before anything is read.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseArgs } from "../../tools/verify";
import { UsageError } from "../../tools/cli";
import { runApp } from "../support/app";
import { PROJECT_ROOT } from "../support/fixtures";

const verifyCli = (...args: string[]) => spawnSync(process.execPath, [path.join(PROJECT_ROOT, "dist", "tools", "verify.js"), ...args], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 30_000 });

describe("npm run verify's arguments", () => {
  test("defaults: cdktf.out, a text report, the synth output", () => {
    expect(parseArgs([])).toEqual({ dir: "cdktf.out", format: "text", live: false, config: undefined, ruleFieldsFromSynth: [] });
  });

  test("--live with the fields an emulator does not keep", () => {
    expect(parseArgs(["--live", "--rule-fields-from-synth", "filter,delete_marker_replication"]).ruleFieldsFromSynth).toEqual(["filter", "delete_marker_replication"]);
  });

  test("a field that is not one of a replication rule is refused, naming the ones that are", () => {
    expect(() => parseArgs(["--live", "--rule-fields-from-synth", "filter,filtre"])).toThrow(UsageError);
    expect(() => parseArgs(["--live", "--rule-fields-from-synth", "filtre"])).toThrow(/filtre is not a field of a replication rule; use some of id, priority, status/);
  });

  test("--rule-fields-from-synth without --live is a usage error", () => {
    expect(() => parseArgs(["--rule-fields-from-synth", "filter"])).toThrow(/read only with --live/);
  });

  test("--guardrails names the file the organization's SCPs and RCPs are read from", () => {
    expect(parseArgs(["--guardrails", "org.json"]).guardrails).toBe("org.json");
  });
});

describe("npm run verify --guardrails, end to end", () => {
  const dir = runApp(path.join(PROJECT_ROOT, "replication.config.json")).outdir;
  const example = (name: string) => path.join(PROJECT_ROOT, "examples", "guardrails", name);

  test("exit 1 on the identity-perimeter RCP, naming it and the exception; exit 0 with the exception made", () => {
    const failing = verifyCli("--dir", dir, "--guardrails", example("identity-perimeter-rcp.json"));
    expect(failing.status).toBe(1);
    expect(failing.stdout).toMatch(/FAIL \[guardrails\] RCP "identity-perimeter" attached to r-b0b0 \(above 222222222222\), EnforceOrgIdentities/);
    expect(failing.stdout).toMatch(/fix: in identity-perimeter, EnforceOrgIdentities: add the condition ArnNotLike aws:PrincipalArn/);
    const passing = verifyCli("--dir", dir, "--guardrails", example("identity-perimeter-rcp-with-exception.json"));
    expect(passing.stdout).toMatch(/none of them denies a request replication needs/);
    expect(passing.status).toBe(0);
  });

  test("exit 2 on a guardrails file with a mistake, naming the field, and no report", () => {
    const bad = path.join(mkdtempSync(path.join(tmpdir(), "guardrails-")), "bad.json");
    writeFileSync(bad, JSON.stringify({ accounts: [{ accountId: "2222", organizationId: "o-b0bsorg0001", managementAccountId: "999999999999", levels: [{ target: "2222" }] }] }));
    const r = verifyCli("--dir", dir, "--guardrails", bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.json is not a guardrails file:\n {2}- accounts\[0\]\.accountId: must be a 12-digit AWS account ID/);
    expect(r.stdout).toBe("");
  });
});
