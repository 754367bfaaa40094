// `verify --guardrails <file>`: the SCPs and RCPs AWS Organizations applies to each account of the
// config, level by level from the root down to the account, and each account's organization. Read
// strictly: any mistake is a VerifyInputError naming the field (exit 2), never a guess, because a
// guardrail silently dropped would make the proof pass where AWS denies.
import { readFileSync } from "node:fs";
import { validateResourceControlPolicy, validateServiceControlPolicy } from "@cloud-copilot/iam-policy";
import { z } from "zod";
import { accountId } from "../../lib/config/fields";
import type { PolicyDocument } from "../../lib/policies";
import { VerifyInputError } from "../errors";
import { parseStrictJson } from "../synth/read";

export interface GuardrailPolicy {
  name: string;
  document: PolicyDocument;
}

/** One level of the organization's tree: the root (r-…), an OU (ou-…) or the account itself. */
export interface GuardrailLevel {
  target: string;
  serviceControlPolicies: GuardrailPolicy[];
  resourceControlPolicies: GuardrailPolicy[];
}

export interface AccountGuardrails {
  accountId: string;
  organizationId: string;
  managementAccountId: string;
  /** Root first, the account last, as Organizations evaluates them. */
  levels: GuardrailLevel[];
  /** False when no level lists an SCP: the organization has not enabled them. */
  scpsEnabled: boolean;
}

export interface Guardrails {
  /** Where they were read from: the file, or the accounts' Organizations API (verify --live). */
  source: string;
  accounts: Map<string, AccountGuardrails>;
}

const policy = z
  .strictObject({
    name: z.string().min(1, "name the policy as Organizations does (its name or ID)").describe("the policy's name in AWS Organizations (reports name it)"),
    document: z
      .looseObject({ Version: z.literal("2012-10-17", "write the policy language version, 2012-10-17"), Statement: z.array(z.looseObject({})).min(1) })
      .describe("the policy document, as DescribePolicy returns its Content (Statement as a list)"),
  })
  .describe("a policy attached at this level");

const level = z
  .strictObject({
    target: z
      .string()
      .regex(/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})$/, "must be the root (r-…), an OU (ou-…-…) or the 12-digit account ID")
      .describe("the root (r-…) first, each OU (ou-…-…) in order, the account itself last"),
    serviceControlPolicies: z
      .array(policy)
      .optional()
      .describe("the SCPs attached at this level, FullAWSAccess included where AWS attached it; left out at every level when the organization has not enabled SCPs"),
    resourceControlPolicies: z.array(policy).optional().describe("the RCPs attached at this level (RCPFullAWSAccess, always applied, left out)"),
  })
  .describe("one level of the organization's tree");

const account = z
  .strictObject({
    accountId: accountId.describe("an account of the config (Alice's or Bob's)"),
    organizationId: z.string().regex(/^o-[a-z0-9]{10,32}$/, "must be the organization's ID, o- and 10 to 32 lower-case letters or digits").describe("its organization (o-…)"),
    managementAccountId: accountId.describe("the organization's management account: SCPs and RCPs do not apply to it"),
    levels: z.array(level).min(1, "list the levels from the root down to the account").describe("the levels from the root down to the account, each with the policies attached there"),
  })
  .describe("one account's place in its organization");

const file = z
  .strictObject({
    $schema: z.string().optional(),
    $comment: z.string().optional(),
    accounts: z.array(account).min(1).describe("each account of the config that is in an organization; one left out is taken to be in none"),
  })
  .describe("The organization's SCPs and RCPs for npm run verify -- --guardrails (docs/guardrails.md)");

/** The file's JSON Schema, for editors (guardrails.schema.json, written by npm run schema). */
export const GUARDRAILS_SCHEMA_FILE = "guardrails.schema.json";
export const guardrailsJsonSchema = (): Record<string, unknown> => ({ ...z.toJSONSchema(file, { io: "input", unrepresentable: "any" }), title: "Guardrails for the replication proof" });

type Validate = typeof validateServiceControlPolicy;

/** IAM's grammar for the policy's kind (an RCP's statements must Deny, and name Principal "*"). */
const isPolicyDocument = (document: object, validate: Validate): document is PolicyDocument => validate(document).length === 0;

/** The policies of one level, once structureProblems found none (the guard narrows the type). */
function validPolicies(list: z.infer<typeof policy>[] | undefined, validate: Validate): GuardrailPolicy[] {
  return (list ?? []).map(({ name, document }) => {
    if (!isPolicyDocument(document, validate)) throw new Error(`policy ${name} passed validation once and not again`);
    return { name, document };
  });
}

const at = (path: PropertyKey[]) => path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");

/** The organization-level rules AWS applies that a schema cannot say. */
function structureProblems(accounts: z.infer<typeof account>[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  accounts.forEach((a, i) => {
    const where = `accounts[${i}]`;
    if (seen.has(a.accountId)) problems.push(`${where}.accountId: account ${a.accountId} is listed twice; list each account once`);
    seen.add(a.accountId);
    const last = a.levels.length - 1;
    if (!a.levels[0].target.startsWith("r-")) problems.push(`${where}.levels[0].target: the first level is the organization's root (r-…)`);
    if (a.levels[last].target !== a.accountId) problems.push(`${where}.levels[${last}].target: the last level is the account itself, ${a.accountId}`);
    a.levels.slice(1, last).forEach((l, j) => {
      if (!l.target.startsWith("ou-")) problems.push(`${where}.levels[${j + 1}].target: a level between the root and the account is an OU (ou-…)`);
    });
    const withScps = a.levels.filter((l) => l.serviceControlPolicies !== undefined);
    if (withScps.length && withScps.length < a.levels.length) {
      a.levels.forEach((l, j) => {
        if (l.serviceControlPolicies === undefined) {
          problems.push(
            `${where}.levels[${j}].serviceControlPolicies: once SCPs are enabled every level has at least one attached (AWS attaches FullAWSAccess to each); list them at every level, or at none if SCPs are not enabled`,
          );
        }
      });
    }
    a.levels.forEach((l, j) => {
      if (l.serviceControlPolicies?.length === 0) {
        problems.push(`${where}.levels[${j}].serviceControlPolicies: AWS keeps at least one SCP attached to every level (FullAWSAccess by default); list it`);
      }
      for (const [kind, list, validate] of [
        ["serviceControlPolicies", l.serviceControlPolicies ?? [], validateServiceControlPolicy],
        ["resourceControlPolicies", l.resourceControlPolicies ?? [], validateResourceControlPolicy],
      ] as const) {
        list.forEach((p, k) => {
          if (kind === "resourceControlPolicies" && p.name === "RCPFullAWSAccess") {
            problems.push(`${where}.levels[${j}].${kind}[${k}]: RCPFullAWSAccess is attached by AWS to every level and always applied; leave it out`);
            return;
          }
          for (const e of validate(p.document)) problems.push(`${where}.levels[${j}].${kind}[${k}].document.${e.path}: ${e.message}`);
        });
      }
    });
  });
  return problems;
}

/** Guardrails from parsed JSON; `where` names the file in messages. */
export function parseGuardrails(raw: unknown, where: string): Guardrails {
  const parsed = file.safeParse(raw);
  if (!parsed.success) {
    throw new VerifyInputError(`${where} is not a guardrails file:\n${parsed.error.issues.map((i) => `  - ${at(i.path) || "(the file)"}: ${i.message}`).join("\n")}`);
  }
  const problems = structureProblems(parsed.data.accounts);
  if (problems.length) throw new VerifyInputError(`${where} is not a guardrails file:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return {
    source: where,
    accounts: new Map(
      parsed.data.accounts.map((a) => [
        a.accountId,
        {
          accountId: a.accountId,
          organizationId: a.organizationId,
          managementAccountId: a.managementAccountId,
          scpsEnabled: a.levels.some((l) => l.serviceControlPolicies !== undefined),
          levels: a.levels.map((l) => ({
            target: l.target,
            serviceControlPolicies: validPolicies(l.serviceControlPolicies, validateServiceControlPolicy),
            resourceControlPolicies: validPolicies(l.resourceControlPolicies, validateResourceControlPolicy),
          })),
        },
      ]),
    ),
  };
}

export function loadGuardrails(path: string): Guardrails {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new VerifyInputError(`--guardrails ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseGuardrails(parseStrictJson(text, path), path);
}
