// Who the organization's guardrails apply to, as AWS documents it, and the context they are read with.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { withGuardrails } from "../../../proof/guardrails/apply";
import { parseGuardrails, type Guardrails } from "../../../proof/guardrails/guardrails-file";
import { fleetRequests } from "../../../proof/requests/requests";
import type { RequestCheck } from "../../../proof/requests/request";
import { buildFleetModel } from "../../../proof/synth/model";
import { loadSynthOutput } from "../../../proof/synth/synth-output";
import { runApp } from "../../support/app";
import { PROJECT_ROOT } from "../../support/fixtures";

const checks = fleetRequests(buildFleetModel(loadSynthOutput(runApp(path.join(PROJECT_ROOT, "examples", "monitoring.json")).outdir)));
const check = (id: string, action?: string): RequestCheck => checks.find((c) => c.id === id && (!action || c.action === action))!;

/** Both accounts in one organization, each with an SCP and an RCP at its own level. */
function organization(change: (raw: any) => void = () => undefined): Guardrails {
  const full = { name: "FullAWSAccess", document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } };
  const deny = (kind: string) => ({ name: `deny-${kind}`, document: { Version: "2012-10-17", Statement: [{ Effect: "Deny", ...(kind === "rcp" ? { Principal: "*" } : {}), Action: "ec2:*", Resource: "*" }] } });
  const account = (accountId: string) => ({
    accountId,
    organizationId: "o-sharedorg01",
    managementAccountId: "999999999999",
    levels: [
      { target: "r-root", serviceControlPolicies: [full] },
      { target: accountId, serviceControlPolicies: [full, deny("scp")], resourceControlPolicies: [deny("rcp")] },
    ],
  });
  const raw = { accounts: [account("111111111111"), account("222222222222")] };
  change(raw);
  return parseGuardrails(raw, "organization.json");
}

const policyNames = (levels: { policies: { name: string }[] }[]) => levels.flatMap((l) => l.policies.map((p) => p.name));

describe("which guardrails apply to a request", () => {
  test("Alice's role writing into Bob's bucket: Alice's SCPs and Bob's RCPs, with the organization context", () => {
    const s = withGuardrails(check("role-writes-replicas", "s3:ReplicateObject"), organization()).simulation;
    expect(policyNames(s.serviceControlPolicies)).toEqual(['SCP "FullAWSAccess" attached to r-root (above 111111111111)', 'SCP "FullAWSAccess" attached to account 111111111111', 'SCP "deny-scp" attached to account 111111111111']);
    expect(policyNames(s.resourceControlPolicies)).toEqual(['RCP "deny-rcp" attached to account 222222222222']);
    expect(s.request.contextVariables).toMatchObject({
      "aws:PrincipalOrgID": "o-sharedorg01",
      "aws:ResourceOrgID": "o-sharedorg01",
      "aws:ResourceAccount": "222222222222",
      "aws:PrincipalIsAWSService": "false",
      "aws:RequestedRegion": "us-west-2",
      // The path above the account, as AWS writes it: organization, root, OUs, each followed by "/".
      "aws:PrincipalOrgPaths": ["o-sharedorg01/r-root/"],
      "aws:ResourceOrgPaths": ["o-sharedorg01/r-root/"],
    });
  });

  test("an AWS service principal: no SCP, the resource's RCPs, and the organization of the account it acts for", () => {
    const s = withGuardrails(check("s3-assumes-replication-role"), organization()).simulation;
    expect(s.serviceControlPolicies).toEqual([]);
    expect(policyNames(s.resourceControlPolicies)).toEqual(['RCP "deny-rcp" attached to account 111111111111']);
    expect(s.request.contextVariables).toMatchObject({ "aws:PrincipalIsAWSService": "true", "aws:SourceOrgID": "o-sharedorg01", "aws:SourceOrgPaths": ["o-sharedorg01/r-root/"], "aws:SourceAccount": "111111111111" });
    expect(s.request.contextVariables["aws:PrincipalOrgID"]).toBeUndefined();
  });

  test("the management account: neither its principals' SCPs nor its resources' RCPs apply", () => {
    const g = organization((raw) => (raw.accounts[0].managementAccountId = raw.accounts[0].accountId));
    const s = withGuardrails(check("role-reads-source-bucket"), g).simulation;
    expect(s.serviceControlPolicies).toEqual([]);
    expect(s.resourceControlPolicies).toEqual([]);
  });

  test("SNS, which RCPs do not cover, gets none; an account the file does not list gets nothing", () => {
    const topic = checks.find((c) => c.action === "sns:Publish" && c.expected === "ALLOWED")!;
    expect(withGuardrails(topic, organization()).simulation.resourceControlPolicies).toEqual([]);
    const bobOnly = organization((raw) => raw.accounts.shift());
    const s = withGuardrails(check("role-writes-replicas", "s3:ReplicateObject"), bobOnly).simulation;
    expect(s.serviceControlPolicies).toEqual([]);
    expect(s.request.contextVariables["aws:PrincipalOrgID"]).toBeUndefined();
    expect(s.resourceControlPolicies).toHaveLength(2);
  });

  test("an AWS managed key and a service-linked role are exempt from RCPs", () => {
    const onKey = { ...check("role-encrypts-replicas", "kms:Encrypt"), awsManagedKey: true as const };
    expect(withGuardrails(onKey, organization()).simulation.resourceControlPolicies).toEqual([]);
    const c = check("role-writes-replicas", "s3:ReplicateObject");
    const serviceLinked = {
      ...c,
      simulation: { ...c.simulation, request: { ...c.simulation.request, contextVariables: { ...c.simulation.request.contextVariables, "aws:PrincipalArn": "arn:aws:iam::111111111111:role/aws-service-role/s3.amazonaws.com/AWSServiceRoleForS3" } } },
    };
    const s = withGuardrails(serviceLinked, organization()).simulation;
    expect(s.serviceControlPolicies).toEqual([]);
    expect(s.resourceControlPolicies).toEqual([]);
  });

  test("a guardrail file's policies are the shipped example's, shared by reference (the engine loads each once)", () => {
    const raw = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples", "guardrails", "identity-perimeter-rcp.json"), "utf8"));
    const g = parseGuardrails(raw, "x.json");
    const a = withGuardrails(check("role-writes-replicas", "s3:ReplicateObject"), g).simulation.resourceControlPolicies;
    const b = withGuardrails(check("role-encrypts-replicas", "kms:Encrypt"), g).simulation.resourceControlPolicies;
    expect(a[0].policies[0].policy).toBe(b[0].policies[0].policy);
  });
});
