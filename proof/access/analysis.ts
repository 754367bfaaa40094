// The complete access analysis: what the policies actually allow, against what the design intends
// (proof/requests/intended-access.ts). In the shape of IAM Access Analyzer, offline:
//
// - Resource side. For every resource the stacks govern (buckets, objects, keys, roles' trust,
//   the alerts topic), every principal of the universe outside the owning account (for a role's
//   trust, inside too), every action of the resource's service that an Allow statement of its
//   policy matches for that principal, under every combination of the context values its
//   conditions name: the caller's own account grants it everything ("as if the other side were
//   hostile"), so the resource policy alone decides.
// - Identity side. For every replication and backfill role, every catalogued action an Allow of
//   its policies matches, on every governed resource and probe resource outside the deployment:
//   resources of other accounts welcome everyone, resources of Alice's account leave it to IAM,
//   so the role's policies alone decide. A role must reach nothing outside its rules.
//
// Every request the engine allows that no intended row admits is a finding naming principal,
// action, resource, context and the statements that allowed it. Pruning is honest: a request no
// Allow statement can match (action, resource, principal) cannot be allowed and is not asked.
// What cannot be enumerated (an action of an uncatalogued service, a condition combination past
// the bound) is a finding too: the analysis fails closed.
import type { Simulation } from "@cloud-copilot/iam-simulate";
import { accountRootArn } from "../../lib/arns";
import type { PolicyDocument, PolicyStatement } from "../../lib/policies";
import { authorizeLoaded } from "../engine";
import type { FleetModel } from "../synth/model";
import { OUTSIDER_ACCOUNT } from "../synth/references";
import { actionsCoveredBy, asList, loadCatalogue, uncataloguedPatterns, wildcardMatch, type Catalogue } from "./catalogue";
import { bindIntendedAccess, isIntended, principalsNamedOn, type BoundAccess, type Context, type Side } from "./intended";
import { mentionsIn } from "./mentions";
import { governedResources, lookalikeBucket, lookalikeRoleOf, namedRolePrincipals, objectIn, policiesOf, principalsOf, probeResources, ResourceIndex, resourcesNamedBy, rolePrincipalsOf, type Principal, type Resource } from "./universe";
import { wayBack } from "../way-back";

export interface AccessFinding {
  group: string;
  side: Side;
  principal: string;
  actions: string[];
  resource: string;
  /** The context variants under which it was allowed (the first few). */
  contexts: string[];
  /** "<policy>: <Sid or #index>" of each statement that allowed it. */
  allowedBy: string[];
  fix: string;
}

export interface IntendedRow {
  group: string;
  id: string;
  who: string;
  actions: string[];
  resources: string[];
  conditions: string;
}

export interface AccessAnalysis {
  intended: IntendedRow[];
  findings: AccessFinding[];
  /** Requests the engine decided. */
  simulations: number;
}

/** More combinations of context values than this for one request: the analysis says it cannot enumerate them. */
export const MAX_CONTEXT_VARIANTS = 512;

const WELCOME_EVERYONE: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "WelcomesEveryone", Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] };
const ADMINISTRATOR: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "AdministratorAccess", Effect: "Allow", Action: "*", Resource: "*" }] };
const delegatedToAccount = new Map<string, PolicyDocument>();
/** A resource policy that leaves everything to the account's IAM (KMS's default key policy, in effect no bucket policy). */
function delegateToAccount(account: string): PolicyDocument {
  let doc = delegatedToAccount.get(account);
  if (!doc) {
    doc = { Version: "2012-10-17", Statement: [{ Sid: "LeftToIam", Effect: "Allow", Principal: { AWS: accountRootArn(account) }, Action: "*", Resource: "*" }] };
    delegatedToAccount.set(account, doc);
  }
  return doc;
}

/**
 * Condition keys that tell principals of one account apart (who they are, their tags, their
 * session); aws:PrincipalAccount and kms:CallerAccount are the same for all of them.
 */
const isWhoKey = (key: string): boolean =>
  (key.startsWith("aws:principal") && key !== "aws:principalaccount" && key !== "aws:principalorgid" && key !== "aws:principalorgpaths") ||
  ["aws:userid", "aws:username", "aws:sourceidentity", "aws:federatedprovider", "aws:tokenissuetime", "aws:multifactorauthpresent", "aws:multifactorauthage"].includes(key) ||
  key.startsWith("iam:") ||
  key.startsWith("sts:");

/** Context keys the analysis sets from the principal and the resource, never varies. */
const DERIVED_KEYS = new Set(["aws:principalarn", "aws:principalaccount", "kms:calleraccount", "kms:resourcealiases", "aws:securetransport"]);

function principalMatches(s: PolicyStatement & { NotPrincipal?: unknown }, p: Principal): boolean {
  if (s.NotPrincipal !== undefined) return true;
  const principal = s.Principal as unknown;
  if (principal === undefined) return false;
  if (principal === "*") return true;
  if (typeof principal !== "object" || principal === null) return true;
  const byType = principal as Record<string, unknown>;
  const aws = asList(byType.AWS as string | string[]).map(String);
  if (aws.includes("*")) return true;
  if (p.account && aws.some((a) => a === p.arn || a === p.request || a === p.account || a === accountRootArn(p.account!))) return true;
  if (p.service && asList(byType.Service as string | string[]).map(String).includes(p.service)) return true;
  return false;
}

function resourceMatches(s: PolicyStatement & { NotResource?: unknown }, arn: string): boolean {
  if (s.NotResource !== undefined) return !asList(s.NotResource as string | string[]).some((r) => wildcardMatch(String(r), arn, false));
  if (s.Resource === undefined) return true;
  return asList(s.Resource).some((r) => wildcardMatch(String(r), arn, false));
}

/** Operators that hold only when some value of the key matches some value of the condition. */
const MATCHING_OPERATORS: Record<string, (pattern: string, value: string) => boolean> = {
  stringequals: (p, v) => p === v,
  stringlike: (p, v) => wildcardMatch(p, v, false),
  "foranyvalue:stringequals": (p, v) => p === v,
  "foranyvalue:stringlike": (p, v) => wildcardMatch(p, v, false),
};

/**
 * Whether a statement's conditions on kms:ResourceAliases (which the key itself decides, so the
 * analysis knows its exact values) can hold for this resource. A positive match that no alias of
 * the key satisfies means the statement never applies to it: pruning it is exact.
 */
function derivedConditionsCanHold(s: PolicyStatement, r: Resource): boolean {
  for (const [operator, byKey] of Object.entries(s.Condition ?? {})) {
    const matches = MATCHING_OPERATORS[operator.toLowerCase()];
    if (!matches) continue;
    for (const [key, values] of Object.entries(byKey ?? {})) {
      if (key.toLowerCase() !== "kms:resourcealiases") continue;
      const aliases = r.kind === "key" ? (r.aliases ?? []) : [];
      if (!asList(values as string | string[]).some((p) => aliases.some((a) => matches(String(p), a)))) return false;
    }
  }
  return true;
}

const statementLabel = (policy: string, s: PolicyStatement, i: number) => `${policy}: ${s.Sid ?? `#${i}`}`;

/**
 * Actions the engine decides by more than the statements that match them: its KMS authorizer denies
 * alias changes on AWS managed aliases, and its IAM and STS authorizers single out actions of
 * their own (AWS managed roles and policies, GetCallerIdentity). Each of these is its own class.
 */
const singledOut = (action: string): boolean => /^(iam|sts):/i.test(action) || /^kms:(create|delete|update)alias$/i.test(action);

/**
 * Which statements of a request's policies match an action, as a key. The engine reads the action
 * only through that match (and for the actions above), so two actions of one service with the
 * same key, on the same principal, resource and context, get the same decision from the same
 * statements: the analysis asks the engine once for them (a key's Encrypt, GenerateDataKey* and
 * ReEncrypt* granted by one statement are one question per context, not eight).
 */
function actionClass(statements: PolicyStatement[], action: string, catalogue: Catalogue): string {
  let key = singledOut(action) ? action : action.slice(0, action.indexOf(":"));
  for (const s of statements) key += actionsCoveredBy(s, catalogue).has(action) ? "1" : "0";
  return key;
}

/** Every condition key of the statements, with the literal values they name (lower-cased key). */
function conditionKeys(statements: PolicyStatement[]): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>();
  for (const s of statements) {
    for (const byKey of Object.values(s.Condition ?? {})) {
      for (const [key, values] of Object.entries(byKey ?? {})) {
        const k = key.toLowerCase();
        if (!keys.has(k)) keys.set(k, new Set());
        for (const v of asList(values as string | string[])) keys.get(k)!.add(String(v));
      }
    }
  }
  return keys;
}

type Value = string | string[] | undefined;

/** The values worth asking for one condition key: what the policies name, the right one, wrong ones, none. */
function valuesOf(key: string, named: Set<string>, m: FleetModel, r: Resource): { name: string; values: Value[] } {
  const own = [...named];
  switch (key) {
    case "kms:viaservice":
      return { name: "kms:ViaService", values: [`s3.${r.region}.amazonaws.com`, ...own, `lambda.${r.region}.amazonaws.com`, undefined] };
    case "kms:encryptioncontext:aws:s3:arn": {
      const encrypts = r.encrypts ?? [];
      const contexts = encrypts.flatMap((e) => (/^arn:aws:s3:::[^/]+$/.test(e) ? [e, objectIn(e)] : [e]));
      const other = encrypts[0] ? objectIn(lookalikeBucket(encrypts[0].replace(/\/.*$/, ""))) : objectIn("arn:aws:s3:::another-bucket");
      return { name: "kms:EncryptionContext:aws:s3:arn", values: [...contexts, ...own, other, undefined] };
    }
    case "aws:sourcearn": {
      const first = m.replications[0]?.sourceBucket.arn ?? "arn:aws:s3:::a-bucket";
      return { name: "aws:SourceArn", values: [...own, lookalikeBucket(first), `arn:aws:cloudwatch:${r.region}:${OUTSIDER_ACCOUNT}:alarm:probe`, undefined] };
    }
    case "aws:sourceaccount":
      return { name: "aws:SourceAccount", values: [m.source.account, m.destination.account, OUTSIDER_ACCOUNT, ...own, undefined] };
    default:
      return { name: key, values: [...own, "a-value-no-policy-names", undefined] };
  }
}

/**
 * Every combination of the values of the condition keys that `statements` (those that can decide
 * the request: the Allows that match it and every Deny) name, on top of the derived context; the
 * names of the varied keys; undefined past the bound.
 */
function contextVariants(m: FleetModel, p: Principal, r: Resource, statements: PolicyStatement[]): { variants: Context[]; varied: string[] } | undefined {
  const base: Context = { "aws:SecureTransport": "true" };
  if (p.account && p.arn) {
    base["aws:PrincipalArn"] = p.arn;
    base["aws:PrincipalAccount"] = p.account;
    if (r.service === "kms") base["kms:CallerAccount"] = p.account;
  }
  if (r.kind === "key" && r.aliases?.length) base["kms:ResourceAliases"] = r.aliases;
  const keys = conditionKeys(statements);
  const dims = [...keys.entries()].filter(([k]) => !DERIVED_KEYS.has(k)).map(([k, named]) => valuesOf(k, named, m, r));
  if (keys.has("aws:securetransport")) dims.push({ name: "aws:SecureTransport", values: ["true", "false"] });
  let variants: Context[] = [base];
  for (const dim of dims) {
    const values = [...new Map(dim.values.map((v) => [JSON.stringify(v ?? null), v])).values()];
    variants = variants.flatMap((c) => values.map((v) => (v === undefined ? { ...c, [dim.name]: undefined as unknown as string } : { ...c, [dim.name]: v })));
    if (variants.length > MAX_CONTEXT_VARIANTS) return undefined;
  }
  return { variants: variants.map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined))), varied: dims.map((d) => d.name) };
}

/** The varied part of a context, for people. */
function describeContext(c: Context, dims: string[]): string {
  const parts = dims.map((d) => (c[d] === undefined ? `${d} absent` : `${d} = ${[c[d]].flat().join(", ")}`));
  return parts.length ? parts.join("; ") : "any context";
}

type Decision = ReturnType<typeof authorizeLoaded>;

type FindingInput = Omit<AccessFinding, "actions" | "contexts"> & { action: string; context: string };

class Findings {
  private readonly byKey = new Map<string, AccessFinding>();
  add(f: FindingInput) {
    const key = [f.side, f.group, f.principal, f.resource, ...f.allowedBy].join("|");
    const seen = this.byKey.get(key);
    if (seen) {
      if (!seen.actions.includes(f.action)) seen.actions.push(f.action);
      if (!seen.contexts.includes(f.context) && seen.contexts.length < 3) seen.contexts.push(f.context);
      return;
    }
    const { action, context, ...rest } = f;
    this.byKey.set(key, { ...rest, actions: [action], contexts: [context] });
  }
  all(): AccessFinding[] {
    return [...this.byKey.values()];
  }
}

/**
 * The analysis is a pure function of the model: a model seen before (a test corpus's copies differ
 * mostly where the proof does not look) is answered from memory.
 */
const analysed = new Map<string, Promise<AccessAnalysis>>();

export function analyseAccess(m: FleetModel, groups: { destination: string; alerts: string }): Promise<AccessAnalysis> {
  const key = JSON.stringify([m, groups]);
  let analysis = analysed.get(key);
  if (!analysis) {
    if (analysed.size > 100) analysed.clear();
    analysis = analyseUncached(m, groups);
    analysed.set(key, analysis);
  }
  return analysis;
}

async function analyseUncached(m: FleetModel, groups: { destination: string; alerts: string }): Promise<AccessAnalysis> {
  const catalogue = await loadCatalogue();
  // Two-way: the way back is a direction of its own, with Bob's roles; every policy is judged
  // against the intended access of both directions.
  const back = wayBack(m);
  const directions = back ? [m, back] : [m];
  const bound = directions.flatMap(bindIntendedAccess);
  const known = [...principalsOf(m), ...(back ? [...rolePrincipalsOf(back), lookalikeRoleOf(back, "Bob")] : [])];
  const principals = [...known, ...namedRolePrincipals(directions.flatMap(policiesOf), known)];
  const deployed = [...new Map(directions.flatMap((d) => governedResources(d, groups)).reverse().map((x) => [x.arn, x])).values()].reverse();
  // Objects under every prefix a bucket policy names are governed by that policy too.
  const governed = [...deployed, ...resourcesNamedBy(deployed.flatMap((r) => (r.kind === "bucket" ? (r.policy?.Statement ?? []) : [])), deployed).filter((r) => !r.probe)];
  const findings = new Findings();
  let simulations = 0;

  // Block Public Access applies to a bucket's real policy only: the identity side's stand-in
  // policy welcomes everyone on purpose, and must not be blocked for it.
  // Each request analysed is counted; the engine is asked once per action class (actionClass).
  const decide = (p: Principal, action: string, r: Resource, identity: { name: string; policy: PolicyDocument }[], resourcePolicy: PolicyDocument | undefined, context: Context, blockPublicAccess: boolean) => {
    const simulation: Simulation = {
      request: { principal: p.request, action, resource: { resource: r.arn, accountId: r.account }, contextVariables: context },
      identityPolicies: identity,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy,
      additionalSettings: { s3: { blockPublicAccess } },
    };
    return authorizeLoaded(simulation);
  };

  // --- resource side: each governed resource's policy against everyone outside its account ---
  for (const r of governed) {
    const allows = (r.policy?.Statement ?? []).map((s, i) => ({ s, i })).filter(({ s }) => s.Effect === "Allow" && resourceMatches(s, r.arn));
    const denies = (r.policy?.Statement ?? []).filter((s) => s.Effect !== "Allow");
    // Principals the policy names nowhere, when none of its conditions tests who the caller is, are
    // alike to it: each is admitted, or not, only as a member of its account (or of everyone). The
    // first of each account is analysed and the others get its outcome, unless a row of the
    // intended access names them on this resource. Without this, a grant to Alice's account on
    // each of Bob's buckets would be asked once per role of Alice's: a fleet's cost would grow with
    // its square. The requests it stands for are still counted as analysed.
    const mentioned = mentionsIn(r.policy ? JSON.stringify(r.policy) : "");
    const whoFree = ![...conditionKeys(r.policy?.Statement ?? []).keys()].some(isWhoKey);
    const namedByIntent = principalsNamedOn(bound, r.arn);
    const alike = new Map<string, { adds: FindingInput[]; count: number }>();
    const covers = (st: PolicyStatement, action: string) => actionsCoveredBy(st, catalogue).has(action);
    const actions = (catalogue.byService.get(r.service) ?? []).filter((a) => a.resourceTypes.includes(r.kind) && allows.some(({ s }) => covers(s, a.name)));
    const analysePrincipal = (p: Principal, add: (f: FindingInput) => void) => {
      const matching = allows.filter(({ s }) => principalMatches(s, p));
      if (!matching.length) return;
      const identity = p.account ? [{ name: "administrator (the caller's own account grants everything)", policy: ADMINISTRATOR }] : [];
      const classes = new Map<string, { enumerated: ReturnType<typeof contextVariants>; decisions: Decision[] }>();
      for (const a of actions.filter((x) => matching.some(({ s }) => covers(s, x.name)))) {
        const cls = actionClass(r.policy?.Statement ?? [], a.name, catalogue);
        let known = classes.get(cls);
        if (!known) {
          const deciding = [...matching.filter(({ s }) => covers(s, a.name)).map(({ s }) => s), ...denies];
          classes.set(cls, (known = { enumerated: contextVariants(m, p, r, deciding), decisions: [] }));
        }
        const { enumerated, decisions } = known;
        if (!enumerated) {
          add({ group: r.group, side: "resource", principal: p.label, action: a.name, resource: r.label, context: `more than ${MAX_CONTEXT_VARIANTS} combinations of condition values`, allowedBy: [r.policyLabel], fix: `simplify the conditions of ${r.policyLabel}: verify cannot enumerate them` });
          continue;
        }
        for (const [i, context] of enumerated.variants.entries()) {
          simulations++;
          const decision = (decisions[i] ??= decide(p, a.name, r, identity, r.policy, context, r.blockPublicAccess ?? false));
          if (!decision.allowed || isIntended(bound, p, a.name, r, context, "resource")) continue;
          const allowedBy = decision.grants.filter((g) => g.policyType === "resource").map((g) => `${r.policyLabel}: ${g.statementId ?? `#${g.statementIndex}`}`);
          add({
            group: r.group,
            side: "resource",
            principal: p.label,
            action: a.name,
            resource: `${r.label} (${r.arn})`,
            context: describeContext(context, enumerated.varied),
            allowedBy,
            fix: `narrow or remove ${allowedBy.join(", ") || r.policyLabel}: no intended access admits this (docs/architecture.md, "intended access")`,
          });
        }
      }
    };
    for (const p of principals) {
      if (r.kind !== "role" && p.account === r.account) continue; // the owning account's own IAM decides
      const classOf =
        whoFree && p.account !== undefined && typeof p.request === "string" && !mentioned(p.request) && !(p.arn && mentioned(p.arn)) && !namedByIntent.has(p.id)
          ? p.account
          : undefined;
      const known = classOf === undefined ? undefined : alike.get(classOf);
      if (known) {
        simulations += known.count;
        for (const f of known.adds) findings.add({ ...f, principal: p.label });
        continue;
      }
      const before = simulations;
      const adds: FindingInput[] = [];
      analysePrincipal(p, (f) => {
        adds.push(f);
        findings.add(f);
      });
      if (classOf !== undefined) alike.set(classOf, { adds, count: simulations - before });
    }
  }

  // --- identity side: each role's policies against every resource, inside and outside the deployment ---
  for (const direction of directions) {
    // Probes are each direction's own: its source account's other keys, Bob's keys elsewhere.
    const everything = [...governed, ...probeResources(direction)];
    const everythingByArn = new Map(everything.map((x) => [x.arn, x]));
    const index = new ResourceIndex(everything);
    const position = new Map(everything.map((x, i) => [x, i]));
    const everythingKinds = new Set(everything.map((x) => x.kind));
    for (const p of principals.filter((x) => x.role && x.replication && direction.replications.includes(x.replication))) {
      const r = p.replication!;
      const role = p.role === "replication" ? r.role : r.backfill!.role;
      const group = r.sourceBucket.name;
      const roleLabel = `${p.role} role policy of ${r.sourceBucket.name}`;
      const identity = role.policies.map((x) => ({ name: x.name, policy: x.document }));
      const allows = role.policies.flatMap((x) => x.document.Statement.map((s, i) => ({ s, i, label: statementLabel(`role policy ${x.name}`, s, i) }))).filter(({ s }) => s.Effect === "Allow");
      const roleDenies = role.policies.flatMap((x) => x.document.Statement).filter((s) => s.Effect !== "Allow");
      for (const { s, label } of allows) {
        for (const pattern of uncataloguedPatterns(s)) {
          findings.add({ group, side: "identity", principal: p.label, action: pattern, resource: asList(s.Resource).join(", ") || "(NotResource)", context: "any context", allowedBy: [label], fix: `remove ${pattern} from ${label}: no intended access has it, and verify cannot enumerate it` });
        }
      }
      const covers = (st: PolicyStatement, action: string) => actionsCoveredBy(st, catalogue).has(action);
      const covered = catalogue.actions.filter((a) => allows.some(({ s }) => covers(s, a.name)));
      const named = resourcesNamedBy(allows.map(({ s }) => s), everythingByArn);
      const kinds = new Set([...everythingKinds, ...named.map((x) => x.kind)]);
      // Which resources each Allow can reach, decided once: by its Resource (through the index), and
      // by its conditions on what the resource itself determines (a key's aliases), known exactly.
      const candidates = (st: PolicyStatement): Resource[] => {
        const notResource = (st as { NotResource?: unknown }).NotResource !== undefined;
        const fromIndex = notResource || st.Resource === undefined ? everything : [...new Set(asList(st.Resource).flatMap((x) => index.matching(String(x))))];
        return [...fromIndex, ...named.filter((t) => resourceMatches(st, t.arn))].filter((t) => (notResource || st.Resource === undefined ? resourceMatches(st, t.arn) : true));
      };
      const reach = new Map(allows.map(({ s }) => [s, new Set(candidates(s).filter((t) => derivedConditionsCanHold(s, t)))]));
      const roleStatements = role.policies.flatMap((x) => x.document.Statement);
      const classesOn = new Map<Resource, Map<string, { enumerated: ReturnType<typeof contextVariants>; decisions: Decision[] }>>();
      // In the order the resources were listed: governed, probes, then what the role's policies name.
      const order = (t: Resource) => position.get(t) ?? everything.length + named.indexOf(t);
      for (const a of covered) {
        const covering = allows.filter(({ s }) => covers(s, a.name));
        const targets = [...new Set(covering.flatMap(({ s }) => [...reach.get(s)!]))].filter((x) => a.resourceTypes.includes(x.kind)).sort((x, y) => order(x) - order(y));
        if (!a.resourceTypes.some((k) => kinds.has(k as Resource["kind"]))) {
          // An action on no resource the universe holds (an account-wide action, an access point, a
          // job...): no intended row has one, so any Allow that reaches it is a finding.
          const reaching = allows.filter(({ s }) => covers(s, a.name) && ((s as { NotResource?: unknown }).NotResource !== undefined || asList(s.Resource).some((x) => String(x).includes("*") && !/^arn:aws:s3:::[^*]+\/\*$/.test(String(x)))));
          for (const { label, s } of reaching) {
            findings.add({ group, side: "identity", principal: p.label, action: a.name, resource: asList(s.Resource).join(", ") || "(NotResource)", context: "any context", allowedBy: [label], fix: `remove ${a.name} from ${label}: no intended access has it` });
          }
          continue;
        }
        const cls = actionClass(roleStatements, a.name, catalogue);
        for (const target of targets) {
          const resourcePolicy = target.account === p.account ? delegateToAccount(target.account) : WELCOME_EVERYONE;
          if (!classesOn.has(target)) classesOn.set(target, new Map());
          let known = classesOn.get(target)!.get(cls);
          if (!known) {
            const matching = covering.filter(({ s }) => reach.get(s)!.has(target));
            classesOn.get(target)!.set(cls, (known = { enumerated: contextVariants(m, p, target, [...matching.map(({ s }) => s), ...roleDenies]), decisions: [] }));
          }
          const { enumerated, decisions } = known;
          if (!enumerated) {
            findings.add({ group, side: "identity", principal: p.label, action: a.name, resource: target.label, context: `more than ${MAX_CONTEXT_VARIANTS} combinations of condition values`, allowedBy: [roleLabel], fix: `simplify the conditions of the ${roleLabel}: verify cannot enumerate them` });
            continue;
          }
          for (const [i, context] of enumerated.variants.entries()) {
            simulations++;
            const decision = (decisions[i] ??= decide(p, a.name, target, identity, resourcePolicy, context, false));
            if (!decision.allowed || isIntended(bound, p, a.name, target, context, "identity")) continue;
            const allowedBy = decision.grants
              .filter((g) => g.policyType === "identity")
              .map((g) => `role policy ${"policyIdentifier" in g ? g.policyIdentifier : "?"}: ${g.statementId ?? `#${g.statementIndex}`}`);
            if (!allowedBy.length) continue; // allowed by the stand-in resource policy alone: not the role's doing
            findings.add({
              group,
              side: "identity",
              principal: p.label,
              action: a.name,
              resource: `${target.label} (${target.arn})`,
              context: describeContext(context, enumerated.varied),
              allowedBy,
              fix: `narrow ${allowedBy.join(", ")}: the role reaches beyond its rules`,
            });
          }
        }
      }
    }
  }

  return { intended: intendedRows(bound, principals), findings: findings.all(), simulations };
}

function intendedRows(bound: BoundAccess[], principals: Principal[]): IntendedRow[] {
  const label = (id: string) => (id.startsWith("account:") ? `any principal of account ${id.slice(8)}` : (principals.find((p) => p.id === id)?.label ?? id));
  return bound
    .filter((b) => b.resources.length)
    .map((b) => {
      const when = b.row.when ?? {};
      const conditions = [
        when.tls ? "over TLS" : "",
        when.viaS3 ? "through S3 in the key's region" : "",
        b.encryptionContext ? `encryption context ${b.encryptionContext.join(" or ")}` : "",
        b.sourceArns ? `source ARN ${b.sourceArns.join(" or ")}` : "",
        b.sourceAccount ? `source account ${b.sourceAccount}` : "",
      ].filter(Boolean);
      return { group: b.group, id: b.row.id, who: label(b.principal), actions: b.row.actions, resources: b.resources, conditions: conditions.join("; ") || "none" };
    });
}
