// verify --live without --guardrails: reads the SCPs and RCPs that apply to each account from AWS
// Organizations with that account's credentials (DescribeOrganization; ListRoots for the enabled
// policy types; ListParents from the account up to the root; ListPoliciesForTarget and
// DescribePolicy at each level). Outside the management account and a delegated administrator,
// Organizations answers AccessDenied: that is a note saying how to pass the file instead, never a
// silent "no guardrails".
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  type OrganizationsClient,
  type PolicyType,
} from "@aws-sdk/client-organizations";
import { parseGuardrails, type Guardrails } from "../guardrails/guardrails-file";
import { parseStrictJson } from "../synth/read";

export interface GuardrailsRead {
  /** Undefined when no account's could be read. */
  guardrails?: Guardrails;
  notes: string[];
}

export const GUARDRAILS_FROM_ORGANIZATIONS = "AWS Organizations (read with each account's credentials)";

const HOW_TO_PASS_THE_FILE = "ask your organization's administrators for the SCPs and RCPs on its path and pass them with --guardrails <file> (docs/guardrails.md)";

async function policiesAt(org: OrganizationsClient, target: string, type: PolicyType) {
  const out: { name: string; document: unknown }[] = [];
  let NextToken: string | undefined;
  do {
    const page = await org.send(new ListPoliciesForTargetCommand({ TargetId: target, Filter: type, NextToken }));
    for (const summary of page.Policies ?? []) {
      // RCPFullAWSAccess, AWS managed and on every level: the engine applies it at each level itself.
      if (type === "RESOURCE_CONTROL_POLICY" && summary.AwsManaged) continue;
      const { Policy } = await org.send(new DescribePolicyCommand({ PolicyId: summary.Id! }));
      const document = parseStrictJson(Policy?.Content ?? "", `the content of ${type} ${summary.Name ?? summary.Id}`) as { Statement?: unknown };
      // Organizations keeps the text as written: one statement may stand alone, not in a list.
      if (document.Statement !== undefined && !Array.isArray(document.Statement)) document.Statement = [document.Statement];
      out.push({ name: summary.Name ?? summary.Id!, document });
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

/** One account's path from the root, with its policies, as the guardrails file writes it. */
async function readAccount(accountId: string, org: OrganizationsClient) {
  const { Organization } = await org.send(new DescribeOrganizationCommand({}));
  const { Roots } = await org.send(new ListRootsCommand({}));
  const enabled = (type: PolicyType) => (Roots?.[0]?.PolicyTypes ?? []).some((p) => p.Type === type && p.Status === "ENABLED");
  const path = [accountId];
  for (let child = accountId; ; ) {
    const { Parents } = await org.send(new ListParentsCommand({ ChildId: child }));
    const parent = Parents?.[0];
    if (!parent?.Id) break;
    path.unshift(parent.Id);
    if (parent.Type === "ROOT") break;
    child = parent.Id;
  }
  const levels = [];
  for (const target of path) {
    levels.push({
      target,
      ...(enabled("SERVICE_CONTROL_POLICY") ? { serviceControlPolicies: await policiesAt(org, target, "SERVICE_CONTROL_POLICY") } : {}),
      ...(enabled("RESOURCE_CONTROL_POLICY") ? { resourceControlPolicies: await policiesAt(org, target, "RESOURCE_CONTROL_POLICY") } : {}),
    });
  }
  return { accountId, organizationId: Organization!.Id!, managementAccountId: Organization!.MasterAccountId!, levels };
}

/** Each account's guardrails, as far as its credentials may read them. */
export async function readGuardrails(accounts: { who: string; accountId: string; organizations: OrganizationsClient }[]): Promise<GuardrailsRead> {
  const read = [];
  const notes: string[] = [];
  for (const a of accounts) {
    try {
      read.push(await readAccount(a.accountId, a.organizations));
    } catch (e) {
      const name = (e as Error).name;
      if (name === "AWSOrganizationsNotInUseException") {
        notes.push(`${a.who} account ${a.accountId} is in no organization: no SCPs or RCPs apply to it`);
      } else {
        notes.push(`the guardrails of ${a.who} account ${a.accountId} could not be read from AWS Organizations (${name}: ${(e as Error).message}); they are not in this proof: ${HOW_TO_PASS_THE_FILE}`);
      }
    }
  }
  if (!read.length) return { notes };
  return { guardrails: parseGuardrails({ accounts: read }, GUARDRAILS_FROM_ORGANIZATIONS), notes };
}
