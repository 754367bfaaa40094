// The guardrails file is read strictly: each mistake is named by its field, with what to write.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { loadGuardrails, parseGuardrails } from "../../../proof/guardrails/guardrails-file";
import { VerifyInputError } from "../../../proof/errors";
import { PROJECT_ROOT } from "../../support/fixtures";

const example = (name: string) => JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples", "guardrails", name), "utf8"));

/** The problems parseGuardrails names for the RCP example after `change`. */
function problems(change: (raw: any) => void): string {
  const raw = example("identity-perimeter-rcp.json");
  change(raw);
  try {
    parseGuardrails(raw, "g.json");
  } catch (e) {
    expect(e).toBeInstanceOf(VerifyInputError);
    return (e as Error).message;
  }
  throw new Error("parsed without a problem");
}

describe("the guardrails file", () => {
  test("every shipped example reads, levels root first", () => {
    for (const name of ["identity-perimeter-rcp.json", "identity-perimeter-rcp-with-exception.json", "region-restriction-scp.json", "region-restriction-scp-with-exception.json"]) {
      const g = loadGuardrails(path.join(PROJECT_ROOT, "examples", "guardrails", name));
      for (const a of g.accounts.values()) {
        expect(a.levels[0].target).toMatch(/^r-/);
        expect(a.levels.at(-1)!.target).toBe(a.accountId);
        expect(a.scpsEnabled).toBe(true);
      }
    }
  });

  test.each([
    ["a malformed account ID", (r: any) => (r.accounts[0].accountId = "2222"), /accounts\[0\]\.accountId: must be a 12-digit AWS account ID/],
    ["an organization ID that is not one", (r: any) => (r.accounts[0].organizationId = "bob"), /accounts\[0\]\.organizationId: must be the organization's ID/],
    ["a field Organizations does not have", (r: any) => (r.accounts[0].levels[0].tagPolicies = []), /accounts\[0\]\.levels\[0\]: Unrecognized key: "tagPolicies"/],
    ["the account listed twice", (r: any) => r.accounts.push(structuredClone(r.accounts[0])), /accounts\[1\]\.accountId: account 222222222222 is listed twice/],
    ["levels that do not start at the root", (r: any) => r.accounts[0].levels.shift(), /levels\[0\]\.target: the first level is the organization's root/],
    ["levels that do not end at the account", (r: any) => r.accounts[0].levels.pop(), /levels\[1\]\.target: the last level is the account itself, 222222222222/],
    ["a level without its SCPs", (r: any) => delete r.accounts[0].levels[1].serviceControlPolicies, /levels\[1\]\.serviceControlPolicies: once SCPs are enabled every level has at least one attached/],
    ["a level with no SCP at all", (r: any) => (r.accounts[0].levels[2].serviceControlPolicies = []), /levels\[2\]\.serviceControlPolicies: AWS keeps at least one SCP attached/],
    ["an RCP that allows", (r: any) => (r.accounts[0].levels[0].resourceControlPolicies[0].document.Statement[0].Effect = "Allow"), /resourceControlPolicies\[0\]\.document\.Statement\[0\]\.Effect: Effect must be "Deny"/],
    [
      "RCPFullAWSAccess listed",
      (r: any) => r.accounts[0].levels[1].resourceControlPolicies = [{ name: "RCPFullAWSAccess", document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] } }],
      /levels\[1\]\.resourceControlPolicies\[0\]: RCPFullAWSAccess is attached by AWS to every level and always applied; leave it out/,
    ],
    ["an SCP naming a principal", (r: any) => (r.accounts[0].levels[0].serviceControlPolicies[0].document.Statement[0].Principal = "*"), /serviceControlPolicies\[0\]\.document\.Statement\[0\]/],
  ])("refuses %s, naming the field", (_what, change, message) => {
    expect(problems(change)).toMatch(message);
  });

  test("SCPs left out at every level mean the organization has not enabled them", () => {
    const raw = example("identity-perimeter-rcp.json");
    for (const l of raw.accounts[0].levels) delete l.serviceControlPolicies;
    expect(parseGuardrails(raw, "g.json").accounts.get("222222222222")!.scpsEnabled).toBe(false);
  });

  test("a file that cannot be read or parsed says so, naming it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "guardrails-"));
    expect(() => loadGuardrails(path.join(dir, "missing.json"))).toThrow(/--guardrails .*missing\.json: cannot read it \(ENOENT\)/);
    writeFileSync(path.join(dir, "comma.json"), '{ "accounts": [], }');
    expect(() => loadGuardrails(path.join(dir, "comma.json"))).toThrow(VerifyInputError);
  });
});
