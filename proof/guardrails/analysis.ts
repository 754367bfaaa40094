// verify --guardrails: which requests replication needs do the organization's SCPs and RCPs turn
// from allowed into denied, by which statement, and the narrowest exception for each, checked with
// the same engine: with every exception made, each of those requests is allowed and every must-deny
// request stays denied; and each exception admits nobody but the callers replication needs
// (./perimeter.ts).
import { evaluate } from "../engine";
import type { RequestCheck, RequestOutcome } from "../requests/request";
import { ALICE_DEPLOYER_ROLE } from "../requests/build";
import { runRequests } from "../requests/requests";
import type { FleetModel } from "../synth/model";
import type { PolicyStatement } from "../../lib/policies";
import { isServicePrincipal, principalAccount } from "../../lib/arns";
import { attachedTo, guardrailSources, policyIdentity, withGuardrails, type GuardrailKind } from "./apply";
import { allowException, denyException, withExceptions, type Caller, type Exception } from "./exception";
import type { Guardrails } from "./guardrails-file";
import { checkPerimeter, type PerimeterCheck } from "./perimeter";

export interface BlockedRequest {
  group: string;
  id: string;
  title: string;
  action: string;
  principal: string;
  resource: string;
}

/** One guardrail statement (or one level of SCPs that allows none of it) that blocks replication. */
export interface GuardrailBlock {
  kind: GuardrailKind;
  /** The policy, by its name, level and account (apply.ts guardrailName). */
  guardrail: string;
  /** Its Sid, or its position; for a level, what is missing. */
  statement: string;
  requests: BlockedRequest[];
  exception: Exception;
  check: {
    /** With every exception made, each of these requests is allowed. */
    replicationAllowed: boolean;
    stillDenied: string[];
    perimeter: PerimeterCheck;
  };
}

export interface GuardrailAnalysis {
  /** Where the guardrails came from. */
  source: string;
  /** The accounts they cover and what the proof assumed for the others. */
  notes: string[];
  blocks: GuardrailBlock[];
  /** Must-deny requests the exceptions together would let through (none, or the exceptions are wrong). */
  mustDenyOpened: string[];
}

/** Who made a request, as a guardrail's conditions can tell callers apart. */
function callerOf(check: RequestCheck): Caller {
  const { principal, contextVariables: ctx } = check.simulation.request;
  const value = (key: string) => (typeof ctx[key] === "string" ? (ctx[key] as string) : undefined);
  if (typeof principal === "string" && isServicePrincipal(principal)) return { service: principal, sourceArn: value("aws:SourceArn"), sourceAccount: value("aws:SourceAccount") };
  return { principalArn: value("aws:PrincipalArn") ?? (typeof principal === "string" ? principal : undefined) };
}

const describe = (c: RequestCheck): BlockedRequest => ({ group: c.group, id: c.id, title: c.title, action: c.action, principal: c.principal, resource: c.resource });

function notesOn(m: FleetModel, g: Guardrails): string[] {
  const who = [
    [m.source.account, "Alice's (source)"],
    [m.destination.account, "Bob's (destination)"],
  ] as const;
  return who.map(([account, name]) => {
    const a = g.accounts.get(account);
    if (!a) return `${name} account ${account}: not in ${g.source}, so taken to be in no organization (no SCPs or RCPs, no aws:PrincipalOrgID)`;
    if (a.accountId === a.managementAccountId) return `${name} account ${account} is the management account of ${a.organizationId}: SCPs and RCPs do not apply to it`;
    const rcps = a.levels.reduce((n, l) => n + l.resourceControlPolicies.length, 0);
    const scps = a.levels.reduce((n, l) => n + l.serviceControlPolicies.length, 0);
    return `${name} account ${account}: organization ${a.organizationId}, ${a.levels.length} levels (${a.levels.map((l) => l.target).join(" > ")}), ${a.scpsEnabled ? `${scps} SCP attachment(s)` : "SCPs not enabled"}, ${rcps} RCP(s)`;
  });
}

export async function analyseGuardrails(m: FleetModel, checks: RequestCheck[], plain: RequestOutcome[], guarded: RequestOutcome[], g: Guardrails): Promise<GuardrailAnalysis> {
  const sources = guardrailSources(g);
  // One group per policy statement as Organizations holds it (or per SCP level that allows none of
  // it), whichever account paths of the guardrails carry it: one finding, one exception.
  interface Group {
    kind: GuardrailKind;
    level: string;
    policyName: string;
    /** The statement's place (1-based) and text; absent: a level whose SCPs allow none of it. */
    statementIndex?: number;
    statement?: PolicyStatement;
    places: Map<string, number>;
    checks: RequestCheck[];
  }
  const groups = new Map<string, Group>();
  const groupFor = (key: string, make: () => Omit<Group, "places" | "checks">): Group => {
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ...make(), places: new Map(), checks: [] }));
    return group;
  };
  for (let i = 0; i < checks.length; i++) {
    if (!(plain[i].actual === "ALLOWED" && guarded[i].actual === "DENIED")) continue;
    const e = await evaluate(withGuardrails(checks[i], g).simulation);
    for (const d of e.denials) {
      if (d.policyType !== "scp" && d.policyType !== "rcp") continue;
      const kind: GuardrailKind = d.policyType === "scp" ? "SCP" : "RCP";
      let group: Group;
      let place: [string, number];
      if (d.denialType === "Explicit") {
        const source = sources.get(d.policyIdentifier ?? "");
        if (!source) throw new Error(`the IAM engine named a guardrail verify did not give it: ${d.policyIdentifier}`);
        const index = d.statementIndex;
        group = groupFor(`${policyIdentity(kind, source.organizationId, source.level, source.policy.name)}#${index}`, () => ({
          kind,
          level: source.level,
          policyName: source.policy.name,
          statementIndex: index,
          statement: source.policy.document.Statement[index - 1],
        }));
        place = [source.account, source.levelIndex];
      } else {
        // RCPFullAWSAccess allows at every level (apply.ts), so only an SCP level denies implicitly.
        if (kind !== "SCP") throw new Error(`an RCP level denied ${checks[i].action} implicitly: RCPFullAWSAccess should allow at every level`);
        // The principal's account path, at that level.
        const account = principalAccount(checks[i].principal) ?? "";
        const path = g.accounts.get(account)!;
        const levelIndex = path.levels.findIndex((l) => l.target === d.identifier);
        if (levelIndex < 0) throw new Error(`the IAM engine named a level verify did not give it: ${d.identifier}`);
        const level = path.levels[levelIndex];
        group = groupFor(`${policyIdentity(kind, path.organizationId, level.target, "")}`, () => ({ kind, level: level.target, policyName: level.serviceControlPolicies[0].name }));
        place = [account, levelIndex];
      }
      group.places.set(...place);
      if (!group.checks.includes(checks[i])) group.checks.push(checks[i]);
    }
  }
  const named = (group: Group) => {
    const where = attachedTo(group.level, [...group.places.keys()].sort());
    return group.statement
      ? { guardrail: `${group.kind} "${group.policyName}" attached to ${where}`, statement: group.statement.Sid ?? `statement #${group.statementIndex}` }
      : { guardrail: `the SCPs attached to ${where}`, statement: "no SCP at this level allows it" };
  };
  const exceptionFor = (group: Group): Exception => {
    const at = { kind: group.kind, places: [...group.places].sort(([a], [b]) => a.localeCompare(b)).map(([account, levelIndex]) => ({ account, levelIndex })), policyName: group.policyName };
    const callers = group.checks.map(callerOf);
    return group.statement
      ? denyException({ ...at, statementIndex: group.statementIndex }, group.statement, callers)
      : allowException(at, group.checks.map((c) => c.action), callers);
  };
  const drafts = [...groups.values()].map((group) => {
    const exception = exceptionFor(group);
    const standIn = exception.exempts.find((e) => e.endsWith(`:role/${ALICE_DEPLOYER_ROLE}`));
    return { ...group, ...named(group), exception: standIn ? { ...exception, change: `${exception.change} (${standIn} is verify's stand-in for the role that runs cdktf deploy source: write yours)` } : exception };
  });

  // Every exception made: the blocked requests pass, and no must-deny request opens.
  const proposed = withExceptions(g, drafts.map((d) => d.exception));
  const after = await runRequests(checks.map((c) => withGuardrails(c, proposed)));
  const mustDenyOpened = after.filter((o) => o.expected === "DENIED" && o.actual === "ALLOWED").map((o) => `${o.title}: ${o.action} by ${o.principal} on ${o.resource}`);
  const allowedAfter = new Map(checks.map((c, i) => [c, after[i].actual === "ALLOWED"]));

  const blocks = drafts.map((d): GuardrailBlock => {
    const stillDenied = d.checks.filter((c) => !allowedAfter.get(c)).map((c) => `${c.title}: ${c.action} on ${c.resource}`);
    return {
      kind: d.kind,
      guardrail: d.guardrail,
      statement: d.statement,
      requests: d.checks.map(describe),
      exception: d.exception,
      check: { replicationAllowed: stillDenied.length === 0, stillDenied, perimeter: checkPerimeter(m, checks, g, withExceptions(g, [d.exception]), d.exception, d.checks.map(callerOf)) },
    };
  });
  return { source: g.source, notes: notesOn(m, g), blocks, mustDenyOpened };
}
