// Puts the organization's guardrails into one simulated request, as AWS evaluates them (AWS
// Organizations User Guide, "Service control policies", "Resource control policies"; IAM User Guide,
// "Policy evaluation logic"):
// - the SCPs of the principal's account, root first: only for IAM principals (roles, users, root) of
//   a member account; never for AWS service principals, service-linked roles, anonymous callers or
//   the management account's principals;
// - the RCPs of the resource's account: for the services RCPs cover, whoever asks (AWS services
//   too), except on resources of the management account, on AWS managed keys and for service-linked
//   roles;
// - the organization context S3, KMS and STS send: aws:PrincipalOrgID and aws:PrincipalOrgPaths (the
//   caller's organization and its path), aws:ResourceOrgID, aws:ResourceOrgPaths and
//   aws:ResourceAccount, aws:SourceOrgID and aws:SourceOrgPaths (of the account a service acts
//   for), aws:PrincipalIsAWSService and aws:RequestedRegion.
// An account the guardrails do not list is taken to be in no organization: no policies, no org keys.
import type { Simulation, SimulationOrgPolicies } from "@cloud-copilot/iam-simulate";
import { isServicePrincipal, principalAccount } from "../../lib/arns";
import type { RequestCheck } from "../requests/request";
import type { AccountGuardrails, GuardrailPolicy, Guardrails } from "./guardrails-file";

/** The services whose resources RCPs govern (Organizations User Guide, "RCPs: supported services"). */
export const RCP_SERVICES = ["s3", "sts", "kms", "sqs", "secretsmanager"];

export type GuardrailKind = "SCP" | "RCP";

/** Where a policy the engine names comes from: which account's path, which level, which policy. */
export interface GuardrailSource {
  kind: GuardrailKind;
  organizationId: string;
  account: string;
  level: string;
  levelIndex: number;
  policy: GuardrailPolicy;
}

/** Where a level is, for people: the account itself, or an OU or root above the accounts it covers. */
export const attachedTo = (level: string, accounts: string[]): string => (accounts.length === 1 && accounts[0] === level ? `account ${level}` : `${level} (above ${accounts.join(", ")})`);

/** The name the engine reports a guardrail policy by, readable on its own. */
export const guardrailName = (kind: GuardrailKind, policy: string, level: string, account: string): string => `${kind} "${policy}" attached to ${attachedTo(level, [account])}`;

/**
 * One policy as Organizations holds it: the file lists a level's policies on each account path
 * that passes through it, so a root policy above both of the config's accounts appears twice.
 */
export const policyIdentity = (kind: GuardrailKind, organizationId: string, level: string, policy: string): string => [kind, organizationId, level, policy].join("|");

const sources = new WeakMap<Guardrails, Map<string, GuardrailSource>>();

/** Every policy of the guardrails by the name the engine reports it by. */
export function guardrailSources(g: Guardrails): Map<string, GuardrailSource> {
  const known = sources.get(g);
  if (known) return known;
  const byName = new Map<string, GuardrailSource>();
  for (const a of g.accounts.values()) {
    a.levels.forEach((level, levelIndex) => {
      for (const [kind, list] of [
        ["SCP", level.serviceControlPolicies],
        ["RCP", level.resourceControlPolicies],
      ] as const) {
        for (const policy of list) byName.set(guardrailName(kind, policy.name, level.target, a.accountId), { kind, organizationId: a.organizationId, account: a.accountId, level: level.target, levelIndex, policy });
      }
    });
  }
  sources.set(g, byName);
  return byName;
}

/** The levels as the engine takes them; each document shared by reference, so the engine loads it once. */
function levelsOf(a: AccountGuardrails, kind: GuardrailKind): SimulationOrgPolicies[] {
  return a.levels.map((level) => ({
    orgIdentifier: level.target,
    policies: (kind === "SCP" ? level.serviceControlPolicies : level.resourceControlPolicies).map((p) => ({ name: guardrailName(kind, p.name, level.target, a.accountId), policy: p.document })),
  }));
}

const isServiceLinkedRole = (context: Simulation["request"]["contextVariables"]): boolean => /:role\/aws-service-role\//.test(String(context["aws:PrincipalArn"] ?? ""));

/** The account's path in its organization, as AWS writes it for the *OrgPaths keys: o-…/r-…/ou-…/ (the account itself left out). */
const orgPath = (a: AccountGuardrails): string => `${[a.organizationId, ...a.levels.slice(0, -1).map((l) => l.target)].join("/")}/`;

/** Member accounts only: neither SCPs nor RCPs apply to the management account. */
const member = (a: AccountGuardrails | undefined): AccountGuardrails | undefined => (a && a.accountId !== a.managementAccountId ? a : undefined);

/** Where a request goes, beyond what its simulation says. */
export interface RequestPlace {
  /** aws:RequestedRegion. */
  region: string;
  /** On an AWS managed key, which no RCP applies to. */
  awsManagedKey?: boolean;
}

/** The simulation with its accounts' guardrails and the organization context AWS adds. */
export function guardedSimulation(simulation: Simulation, place: RequestPlace, g: Guardrails): Simulation {
  const { request } = simulation;
  const principal = typeof request.principal === "string" ? request.principal : undefined;
  const context: Record<string, string | string[]> = { ...request.contextVariables, "aws:RequestedRegion": place.region, "aws:ResourceAccount": request.resource.accountId };
  const callerAccount = principal ? principalAccount(principal) : undefined;
  const resourceOrg = g.accounts.get(request.resource.accountId);
  if (resourceOrg) Object.assign(context, { "aws:ResourceOrgID": resourceOrg.organizationId, "aws:ResourceOrgPaths": [orgPath(resourceOrg)] });
  if (principal) context["aws:PrincipalIsAWSService"] = String(isServicePrincipal(principal));
  const callerOrg = callerAccount ? g.accounts.get(callerAccount) : undefined;
  if (callerOrg) Object.assign(context, { "aws:PrincipalOrgID": callerOrg.organizationId, "aws:PrincipalOrgPaths": [orgPath(callerOrg)] });
  const sourceOrg = g.accounts.get(String(context["aws:SourceAccount"] ?? ""));
  if (principal && isServicePrincipal(principal) && sourceOrg) Object.assign(context, { "aws:SourceOrgID": sourceOrg.organizationId, "aws:SourceOrgPaths": [orgPath(sourceOrg)] });

  const serviceLinked = isServiceLinkedRole(request.contextVariables);
  const scpAccount = callerAccount && !serviceLinked ? member(callerOrg) : undefined;
  const rcpApplies = RCP_SERVICES.includes(request.action.split(":")[0].toLowerCase()) && !place.awsManagedKey && !serviceLinked;
  const rcpAccount = rcpApplies ? member(resourceOrg) : undefined;
  return {
    ...simulation,
    request: { ...request, contextVariables: context },
    serviceControlPolicies: scpAccount?.scpsEnabled ? levelsOf(scpAccount, "SCP") : [],
    resourceControlPolicies: rcpAccount ? levelsOf(rcpAccount, "RCP") : [],
  };
}

/** A declared request with its accounts' guardrails. */
export const withGuardrails = (check: RequestCheck, g: Guardrails): RequestCheck => ({ ...check, simulation: guardedSimulation(check.simulation, check, g) });
