// The narrowest exception that lets replication through a guardrail, as plain data: the blocking
// statement with a condition that exempts exactly the callers replication needs, written the way
// AWS's own examples write exceptions (ArnNotLike aws:PrincipalARN for roles; aws:SourceArn or
// aws:SourceAccount for an AWS service acting for a bucket or account). A Deny applies only when
// every condition matches, so each added negated condition takes exactly its callers out of it;
// requests carrying none of those values are denied as before.
import type { ConditionBlock, PolicyDocument, PolicyStatement } from "../../lib/policies";
import type { GuardrailKind } from "./apply";
import type { GuardrailPolicy, Guardrails } from "./guardrails-file";

/** Who a blocked request was made by, as the guardrail's conditions can tell them apart. */
export interface Caller {
  /** aws:PrincipalArn of an IAM principal (a role's ARN for its sessions). */
  principalArn?: string;
  /** For an AWS service: what it acts for. */
  service?: string;
  sourceArn?: string;
  sourceAccount?: string;
}

export interface Exception {
  /** The policy and where the statement is in it (1-based, as the engine counts; absent: a new Allow statement). */
  kind: GuardrailKind;
  /** Where the policy is attached, on each account path of the guardrails that carries it. */
  places: { account: string; levelIndex: number }[];
  policyName: string;
  statementIndex?: number;
  /** The statement as it should read. */
  statement: PolicyStatement;
  /** Who it takes out of the guardrail, one line each. */
  exempts: string[];
  /** What to change, in a sentence. */
  change: string;
}

const NEGATED_OPERATORS = /^(StringNotEquals|StringNotLike|ArnNotEquals|ArnNotLike)(IgnoreCase)?(IfExists)?$/;

const unique = (values: (string | undefined)[]): string[] => [...new Set(values.filter((v): v is string => v !== undefined))].sort();

/** Adds values to a negated condition on `key` the statement already has, or a new `operator` block. */
function exemptValues(condition: ConditionBlock, key: string, values: string[], operator: string): string {
  for (const [op, block] of Object.entries(condition)) {
    if (!NEGATED_OPERATORS.test(op)) continue;
    const existing = Object.keys(block).find((k) => k.toLowerCase() === key.toLowerCase());
    if (existing) {
      block[existing] = unique([...[block[existing]].flat().map(String), ...values]);
      return `add ${values.join(", ")} to ${op} ${existing}`;
    }
  }
  condition[operator] = { ...(condition[operator] ?? {}), [key]: values.length === 1 ? values[0] : values };
  return `add the condition ${operator} ${key} = ${values.join(", ")}`;
}

/** The callers' exemptions, one negated condition per kind of caller. */
function exemptionsFor(callers: Caller[]): { key: string; operator: string; values: string[] }[] {
  const roles = unique(callers.map((c) => c.principalArn));
  const sourceArns = unique(callers.filter((c) => c.service && c.sourceArn).map((c) => c.sourceArn));
  const sourceAccounts = unique(callers.filter((c) => c.service && !c.sourceArn).map((c) => c.sourceAccount));
  return [
    ...(roles.length ? [{ key: "aws:PrincipalArn", operator: "ArnNotLike", values: roles }] : []),
    ...(sourceArns.length ? [{ key: "aws:SourceArn", operator: "ArnNotLike", values: sourceArns }] : []),
    ...(sourceAccounts.length ? [{ key: "aws:SourceAccount", operator: "StringNotEquals", values: sourceAccounts }] : []),
  ];
}

const describeCallers = (callers: Caller[]): string[] => [
  ...unique(callers.map((c) => c.principalArn)),
  ...unique(callers.filter((c) => c.service).map((c) => `${c.service} acting for ${c.sourceArn ?? `account ${c.sourceAccount}`}`)),
];

/** An explicit Deny that blocks replication: the same statement, with the callers taken out. */
export function denyException(at: Omit<Exception, "statement" | "exempts" | "change">, statement: PolicyStatement, callers: Caller[]): Exception {
  const changed: PolicyStatement = structuredClone(statement);
  const condition: ConditionBlock = changed.Condition ?? {};
  const changes = exemptionsFor(callers).map((e) => exemptValues(condition, e.key, e.values, e.operator));
  changed.Condition = condition;
  const name = statement.Sid ?? `statement #${at.statementIndex}`;
  return { ...at, statement: changed, exempts: describeCallers(callers), change: `in ${at.policyName}, ${name}: ${changes.join("; ")}` };
}

/** A level whose SCPs allow none of the actions (an allow list without them): an Allow for exactly these callers and actions. */
export function allowException(at: Omit<Exception, "statement" | "exempts" | "change" | "statementIndex">, actions: string[], callers: Caller[]): Exception {
  const roles = unique(callers.map((c) => c.principalArn));
  const statement: PolicyStatement = {
    Sid: "AllowS3ReplicationRoles",
    Effect: "Allow",
    Action: unique(actions),
    Resource: "*",
    Condition: { ArnLike: { "aws:PrincipalArn": roles.length === 1 ? roles[0] : roles } },
  };
  return { ...at, statement, exempts: roles, change: `add to ${at.policyName} the statement AllowS3ReplicationRoles (${unique(actions).join(", ")} for ${roles.join(", ")})` };
}

/** The guardrails with the exceptions made; the originals are left as they were. */
export function withExceptions(g: Guardrails, exceptions: Exception[]): Guardrails {
  const accounts = new Map([...g.accounts].map(([id, a]) => [id, { ...a, levels: a.levels.map((l) => ({ ...l })) }]));
  for (const e of exceptions) for (const place of e.places) {
    const level = accounts.get(place.account)!.levels[place.levelIndex];
    const rewrite = (list: GuardrailPolicy[]) =>
      list.map((p): GuardrailPolicy => {
        if (p.name !== e.policyName) return p;
        const document: PolicyDocument = { ...p.document, Statement: [...p.document.Statement] };
        if (e.statementIndex === undefined) document.Statement.push(e.statement);
        else document.Statement[e.statementIndex - 1] = e.statement;
        return { name: p.name, document };
      });
    if (e.kind === "SCP") level.serviceControlPolicies = rewrite(level.serviceControlPolicies);
    else level.resourceControlPolicies = rewrite(level.resourceControlPolicies);
  }
  return { source: `${g.source}, with the proposed exceptions`, accounts };
}
