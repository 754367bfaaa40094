// verify --guardrails on the pair and the fleet example: the data-perimeter RCP and the
// region-restricting SCP are found, named and given an exception that the engine checks; the
// exception the finding proposes, written into the file, makes verify pass; a guardrail that blocks
// nothing of replication changes no result; an exception wider than replication needs is caught.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { withExceptions, type Exception } from "../../../proof/guardrails/exception";
import { parseGuardrails, type Guardrails } from "../../../proof/guardrails/guardrails-file";
import { checkPerimeter } from "../../../proof/guardrails/perimeter";
import { verify } from "../../../proof/index";
import { formatText, type VerifyReport } from "../../../proof/report";
import { formatMarkdown } from "../../../proof/report-markdown";
import { fleetRequests } from "../../../proof/requests/requests";
import { buildFleetModel } from "../../../proof/synth/model";
import { loadSynthOutput } from "../../../proof/synth/synth-output";
import { runApp } from "../../support/app";
import { PROJECT_ROOT } from "../../support/fixtures";

const pair = runApp(path.join(PROJECT_ROOT, "replication.config.json")).outdir;
const fleet = runApp(path.join(PROJECT_ROOT, "examples", "fleet.json")).outdir;

const raw = (name: string) => JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples", "guardrails", name), "utf8"));
const guardrails = (name: string, change: (raw: any) => void = () => undefined): Guardrails => {
  const r = raw(name);
  change(r);
  return parseGuardrails(r, name);
};

const blockedActions = (r: VerifyReport) => [...new Set(r.guardrails!.blocks.flatMap((b) => b.requests.map((q) => q.action)))].sort();

describe.each([
  ["the pair", pair],
  ["the fleet example", fleet],
])("verify --guardrails on %s", (_name, dir) => {
  test("the identity-perimeter RCP on Bob's account fails verify, naming it; the proposed exception passes the engine's checks", async () => {
    const r = await verify(dir, { guardrails: guardrails("identity-perimeter-rcp.json") });
    expect(r.ok).toBe(false);
    expect(r.guardrails!.blocks.map((b) => `${b.guardrail} ${b.statement}`)).toEqual(['RCP "identity-perimeter" attached to r-b0b0 (above 222222222222) EnforceOrgIdentities']);
    expect(blockedActions(r)).toEqual(expect.arrayContaining(["kms:Encrypt", "kms:GenerateDataKey", "s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"]));
    // Every failed request is one the guardrail blocks: the stacks' own policies allow them.
    expect(r.requests.filter((q) => !q.holds).every((q) => /explicit deny in RCP "identity-perimeter".*EnforceOrgIdentities/.test(q.decidedBy))).toBe(true);
    const [block] = r.guardrails!.blocks;
    expect(block.check.replicationAllowed).toBe(true);
    expect(block.check.perimeter.kept).toBe(true);
    expect(r.guardrails!.mustDenyOpened).toEqual([]);
    expect(formatText(r)).toMatch(/FAIL \[guardrails\] RCP "identity-perimeter" attached to r-b0b0 \(above 222222222222\), EnforceOrgIdentities, denies \d+ request\(s\) replication needs[\s\S]*fix: in identity-perimeter, EnforceOrgIdentities: add the condition ArnNotLike aws:PrincipalArn = /);
    expect(formatMarkdown(r)).toContain("| guardrails | RCP |");
  });

  test("the region-restricting SCP on Alice's account fails verify, naming it", async () => {
    const r = await verify(dir, { guardrails: guardrails("region-restriction-scp.json") });
    expect(r.ok).toBe(false);
    expect(r.guardrails!.blocks.map((b) => `${b.guardrail} ${b.statement}`)).toEqual(['SCP "deny-outside-approved-regions" attached to ou-a11c-workload (above 111111111111) DenyAllOutsideApprovedRegions']);
    // kms:* is among the SCP's global services: the role's S3 writes into us-west-2 are what it blocks.
    expect(blockedActions(r)).toEqual(expect.arrayContaining(["s3:ReplicateObject", "s3:GetBucketVersioning"]));
    expect(blockedActions(r).filter((a) => a.startsWith("kms:"))).toEqual([]);
  });

  test.each(["identity-perimeter-rcp-with-exception.json", "region-restriction-scp-with-exception.json"])("%s passes", async (name) => {
    const r = await verify(dir, { guardrails: guardrails(name) });
    expect(r.guardrails!.blocks).toEqual([]);
    expect(r.ok).toBe(true);
  });

  test.each(["identity-perimeter-rcp.json", "region-restriction-scp.json"])("the exception proposed for %s, written into the guardrails, makes verify pass", async (name) => {
    const g = guardrails(name);
    const first = await verify(dir, { guardrails: g });
    const fixed = withExceptions(g, first.guardrails!.blocks.map((b) => b.exception));
    const again = await verify(dir, { guardrails: fixed });
    expect(again.guardrails!.blocks).toEqual([]);
    expect(again.ok).toBe(true);
  });

  test("a guardrail that blocks nothing of replication changes no result", async () => {
    const plain = await verify(dir);
    const harmless = guardrails("identity-perimeter-rcp.json", (r) => {
      r.accounts[0].levels[0].resourceControlPolicies[0].document.Statement = [{ Sid: "DenyEc2", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: "*" }];
      r.accounts.push({ ...structuredClone(r.accounts[0]), accountId: "111111111111", levels: [r.accounts[0].levels[0], { target: "111111111111", serviceControlPolicies: r.accounts[0].levels[2].serviceControlPolicies }] });
    });
    const guarded = await verify(dir, { guardrails: harmless });
    expect(guarded.ok).toBe(plain.ok);
    expect(guarded.guardrails!.blocks).toEqual([]);
    const outcome = (r: VerifyReport) => r.requests.map((q) => `${q.id} ${q.action} ${q.resource} ${q.actual}`);
    expect(outcome(guarded)).toEqual(outcome(plain));
    expect(guarded.findings.map((f) => f.holds)).toEqual(plain.findings.map((f) => f.holds));
  });
});

describe("an exception wider than replication needs is caught", () => {
  const model = buildFleetModel(loadSynthOutput(pair));
  const checks = fleetRequests(model);
  const g = guardrails("identity-perimeter-rcp.json");
  const rcp = g.accounts.get("222222222222")!.levels[0].resourceControlPolicies[0].document.Statement[0];
  const role = "arn:aws:iam::111111111111:role/s3-replication-alice-to-bob";
  const exception = (condition: Record<string, Record<string, string | string[]>>): Exception => ({
    kind: "RCP",
    places: [{ account: "222222222222", levelIndex: 0 }],
    policyName: "identity-perimeter",
    statementIndex: 1,
    statement: { ...rcp, Condition: { ...rcp.Condition, ...condition } },
    exempts: [],
    change: "",
  });
  const needed = [{ principalArn: role }];
  const check = (e: Exception) => checkPerimeter(model, checks, g, withExceptions(g, [e]), e, needed);

  test("exactly the role: kept", () => {
    expect(check(exception({ ArnNotLike: { "aws:PrincipalArn": role } }))).toMatchObject({ kept: true, alsoAdmitted: [] });
  });

  test("Alice's whole account: her root and administrators are admitted too", () => {
    const r = check(exception({ StringNotEquals: { "aws:PrincipalAccount": "111111111111" } }));
    expect(r.kept).toBe(false);
    expect(r.alsoAdmitted.join("\n")).toMatch(/Alice's account root/);
    expect(r.alsoAdmitted.join("\n")).toMatch(/an administrator of Alice's account/);
  });

  test("a wildcard on the role's name: a look-alike role is admitted", () => {
    const r = check(exception({ ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/s3-replication-*" } }));
    expect(r.alsoAdmitted.join("\n")).toMatch(/another role of Alice's whose name begins like a replication role's/);
  });

  test("a condition made strict where it was IfExists: anonymous callers are admitted", () => {
    const r = check(exception({ Bool: { "aws:PrincipalIsAWSService": "false" } }));
    expect(r.kept).toBe(false);
    expect(r.alsoAdmitted.join("\n")).toMatch(/anyone \(anonymous\)/);
  });

  test("a service exempted by the presence of aws:SourceArn, not its value: services acting for other buckets are admitted", () => {
    const deputy = g.accounts.get("222222222222")!.levels[0].resourceControlPolicies[0].document.Statement[1];
    const e: Exception = { ...exception({}), statementIndex: 2, statement: { ...deputy, Condition: { ...deputy.Condition, Null: { "aws:SourceAccount": "false", "aws:SourceArn": "true" } } } };
    const r = checkPerimeter(model, checks, g, withExceptions(g, [e]), e, [{ service: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::alice-replication-source-111111111111", sourceAccount: "111111111111" }]);
    expect(r.kept).toBe(false);
    expect(r.alsoAdmitted.join("\n")).toMatch(/the AWS service s3\.amazonaws\.com acting for arn:aws:s3:::a-bucket-of-another-account/);
  });
});

describe("an RCP on organization paths", () => {
  test("Alice's account in another OU of Bob's organization is denied, and the exception for her role lets replication through", async () => {
    const g = guardrails("identity-perimeter-rcp.json", (r) => {
      const bob = r.accounts[0];
      bob.levels[0].resourceControlPolicies[0].document.Statement = [
        {
          Sid: "OnlyTheArchivesOu",
          Effect: "Deny",
          Principal: "*",
          Action: ["s3:*", "kms:*"],
          Resource: "*",
          Condition: { "ForAllValues:StringNotLike": { "aws:PrincipalOrgPaths": ["o-b0bsorg0001/r-b0b0/ou-b0b0-archives/*"] }, BoolIfExists: { "aws:PrincipalIsAWSService": "false" } },
        },
      ];
      r.accounts.push({ ...structuredClone(bob), accountId: "111111111111", levels: [bob.levels[0], { target: "ou-b0b0-workload", serviceControlPolicies: bob.levels[1].serviceControlPolicies }, { target: "111111111111", serviceControlPolicies: bob.levels[2].serviceControlPolicies }] });
    });
    const r = await verify(pair, { guardrails: g });
    // The root's RCP covers Alice's own resources too (her account is in the organization). The
    // file lists the root on each account's path; it is one policy: one finding, one exception.
    expect(r.guardrails!.blocks.map((b) => `${b.guardrail} ${b.statement}`)).toEqual(['RCP "identity-perimeter" attached to r-b0b0 (above 111111111111, 222222222222) OnlyTheArchivesOu']);
    const [block] = r.guardrails!.blocks;
    expect(block.exception.places).toEqual([
      { account: "111111111111", levelIndex: 0 },
      { account: "222222222222", levelIndex: 0 },
    ]);
    expect(block.check).toMatchObject({ replicationAllowed: true, perimeter: { kept: true } });
    const again = await verify(pair, { guardrails: withExceptions(g, r.guardrails!.blocks.map((b) => b.exception)) });
    expect(again.ok).toBe(true);
    // Moved under Bob's archives OU, Alice's account is inside the perimeter: nothing blocks.
    const moved = withExceptions(g, []);
    moved.accounts.get("111111111111")!.levels[1].target = "ou-b0b0-archives";
    expect((await verify(pair, { guardrails: moved })).guardrails!.blocks).toEqual([]);
  });
});

describe("an SCP allow list without KMS", () => {
  test("is found at its level, and the proposed Allow for exactly the roles makes verify pass", async () => {
    const g = guardrails("region-restriction-scp.json", (r) => {
      r.accounts[0].levels[1].serviceControlPolicies = [{ name: "allow-s3-sts-only", document: { Version: "2012-10-17", Statement: [{ Sid: "AllowS3AndSts", Effect: "Allow", Action: ["s3:*", "sts:*"], Resource: "*" }] } }];
    });
    const r = await verify(pair, { guardrails: g });
    expect(r.guardrails!.blocks.map((b) => `${b.guardrail}: ${b.statement}`)).toEqual(["the SCPs attached to ou-a11c-workload (above 111111111111): no SCP at this level allows it"]);
    const [block] = r.guardrails!.blocks;
    expect(block.exception.statement).toMatchObject({ Effect: "Allow", Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/s3-replication-alice-to-bob" } } });
    expect(block.check).toMatchObject({ replicationAllowed: true, perimeter: { kept: true } });
    const again = await verify(pair, { guardrails: withExceptions(g, [block.exception]) });
    expect(again.ok).toBe(true);
  });
});
