// verify --live reads each account's SCPs and RCPs from AWS Organizations: against moto's
// Organizations (an organization with an OU, a member account, an SCP on the OU and an RCP on the
// root), and, where the credentials may not read them, a note saying how to pass the file instead.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  EnablePolicyTypeCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { startMoto, type Moto } from "../../../dev/emulator";
import { findMotoServer } from "../../../dev/toolchain";
import { readGuardrails, GUARDRAILS_FROM_ORGANIZATIONS } from "../../../proof/live/guardrails";
import { EMULATOR_KEYS } from "../../../tools/accounts";
import { describeWithTools, missingReasons, pathOf } from "../../support/tools";

const moto = findMotoServer();

const REGION_SCP = {
  Version: "2012-10-17",
  Statement: { Sid: "DenyOutsideUsEast1", Effect: "Deny", NotAction: ["iam:*", "sts:*"], Resource: "*", Condition: { StringNotEquals: { "aws:RequestedRegion": "us-east-1" } } },
};
const PERIMETER_RCP = {
  Version: "2012-10-17",
  Statement: [{ Sid: "EnforceOrgIdentities", Effect: "Deny", Principal: "*", Action: ["s3:*", "kms:*"], Resource: "*", Condition: { StringNotEqualsIfExists: { "aws:PrincipalOrgID": "o-placeholder" } } }],
};

describeWithTools("verify --live reads the guardrails from AWS Organizations (moto)", missingReasons(moto), () => {
  let emulator: Moto;
  let org: OrganizationsClient;
  let member: string;
  let ou: string;
  let root: string;

  beforeAll(async () => {
    emulator = await startMoto(pathOf(moto), path.join(mkdtempSync(path.join(tmpdir(), "moto-org-")), "moto.log"));
    org = new OrganizationsClient({ endpoint: emulator.endpoint, region: "us-east-1", credentials: EMULATOR_KEYS });
    await org.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
    root = (await org.send(new ListRootsCommand({}))).Roots![0].Id!;
    for (const PolicyType of ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"] as const) await org.send(new EnablePolicyTypeCommand({ RootId: root, PolicyType }));
    ou = (await org.send(new CreateOrganizationalUnitCommand({ ParentId: root, Name: "workloads" }))).OrganizationalUnit!.Id!;
    member = (await org.send(new CreateAccountCommand({ Email: "alice@example.com", AccountName: "alice" }))).CreateAccountStatus!.AccountId!;
    await org.send(new MoveAccountCommand({ AccountId: member, SourceParentId: root, DestinationParentId: ou }));
    const policy = async (Name: string, Type: "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY", doc: object, TargetId: string) => {
      const { Policy } = await org.send(new CreatePolicyCommand({ Name, Type, Description: Name, Content: JSON.stringify(doc) }));
      await org.send(new AttachPolicyCommand({ PolicyId: Policy!.PolicySummary!.Id!, TargetId }));
    };
    await policy("deny-outside-us-east-1", "SERVICE_CONTROL_POLICY", REGION_SCP, ou);
    await policy("identity-perimeter", "RESOURCE_CONTROL_POLICY", PERIMETER_RCP, root);
  }, 60_000);

  afterAll(async () => {
    await emulator?.stop();
  });

  test("the member account's path, root first, with each level's SCPs and RCPs", async () => {
    const read = await readGuardrails([{ who: "Alice's", accountId: member, organizations: org }]);
    expect(read.notes).toEqual([]);
    const g = read.guardrails!;
    expect(g.source).toBe(GUARDRAILS_FROM_ORGANIZATIONS);
    const a = g.accounts.get(member)!;
    expect(a.organizationId).toMatch(/^o-/);
    expect(a.managementAccountId).not.toBe(member);
    expect(a.levels.map((l) => l.target)).toEqual([root, ou, member]);
    expect(a.scpsEnabled).toBe(true);
    expect(a.levels[1].serviceControlPolicies.map((p) => p.name)).toContain("deny-outside-us-east-1");
    // Organizations keeps a lone statement as written; the reader makes it a list.
    expect(a.levels[1].serviceControlPolicies.find((p) => p.name === "deny-outside-us-east-1")!.document.Statement).toEqual([REGION_SCP.Statement]);
    expect(a.levels[0].resourceControlPolicies.map((p) => p.name)).toEqual(["identity-perimeter"]);
  });

  test("an account in no organization is said to be, and gets no guardrails", async () => {
    const outsider = new OrganizationsClient({ endpoint: emulator.endpoint, region: "us-east-1", credentials: { accessKeyId: "AKIA333333333333EXMP", secretAccessKey: "x" } });
    const read = await readGuardrails([{ who: "Bob's", accountId: "333333333333", organizations: outsider }]);
    expect(read.guardrails).toBeUndefined();
    expect(read.notes.join("\n")).toMatch(/Bob's account 333333333333 (is in no organization|could not be read)/);
  });
});

test("credentials that may not read Organizations: a note naming the account and how to pass the file", async () => {
  const denied = { send: async () => Promise.reject(Object.assign(new Error("You don't have permissions to access this resource."), { name: "AccessDeniedException" })) };
  const read = await readGuardrails([{ who: "Bob's (destination)", accountId: "222222222222", organizations: denied as unknown as OrganizationsClient }]);
  expect(read.guardrails).toBeUndefined();
  expect(read.notes).toEqual([
    "the guardrails of Bob's (destination) account 222222222222 could not be read from AWS Organizations (AccessDeniedException: You don't have permissions to access this resource.); they are not in this proof: ask your organization's administrators for the SCPs and RCPs on its path and pass them with --guardrails <file> (docs/guardrails.md)",
  ]);
});
