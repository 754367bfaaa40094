// The one place that talks to @cloud-copilot/iam-simulate (AGPL-3.0, a dev-time tool only) and
// works around its gaps, pinned at 0.1.173:
//
// 1. runSimulation validates policies, actions and resource types, but silently drops context keys
//    whose variable part is colon-separated, such as kms:EncryptionContext:aws:s3:arn (only
//    "/"-separated ones like aws:PrincipalTag/x are recognised). A correct encryption-context
//    condition would then read as denied. We let runSimulation validate, then, when the only keys
//    it dropped are such known variable keys, evaluate again with the full context.
// 2. runUnsafeSimulation (which takes the context as given) crashes on any resource policy (it
//    loads it without a name), so the second evaluation calls the engine's authorize() the same way
//    runUnsafeSimulation does, with a named resource policy, and keeps the full analysis.
// Any other dropped key is an error: nothing passes because a condition was silently skipped.
//
// 3. Speed, not correctness: the engine compares strings with localeCompare(other, undefined,
//    options), which builds a new ICU collator on every call. withEngineSpeedups(fn) makes
//    localeCompare reuse one Intl.Collator per (locales, options) for the duration of one
//    synchronous engine call, and puts Node's back before it returns: nothing else in the process
//    ever sees the change. ECMA-402 defines localeCompare as exactly that collator's compare, so no
//    result changes (a test compares both on the strings the engine sees).
//    In the same way, withEngineSpeedups(fn) gives the engine a convertIamString that remembers its
//    answer for a string without policy variables (${...}): such an answer depends on the string
//    and the two options alone, and the engine turned the same ARN into a new RegExp on every call.
//
// 4. The access analysis (proof/access/) asks tens of thousands of questions. authorizeLoaded()
//    answers one synchronously from policies loaded once, with the context exactly as given: every
//    key it sets is one the analysis chose, so nothing is dropped.
// 5. Speed again: runSimulation's checks (mostly matching the resource ARN against the action's
//    resource types) cost more than the decision. Only the first request of each shape goes through
//    it; the others are validated once per policy and decided as in gap 2 (analyse(), below).
// The organization's SCPs and RCPs, when given, are passed level by level on every path.
import * as path from "node:path";
import { isServicePrincipal } from "../lib/arns";
import { loadPolicy, validateIdentityPolicy, validateResourceControlPolicy, validateResourcePolicy, validateServiceControlPolicy } from "@cloud-copilot/iam-policy";
import {
  getDenialReasons,
  getGrantReasons,
  runSimulation,
  type EvaluationResult,
  type RequestAnalysis,
  type RequestDenial,
  type RequestGrant,
  type Simulation,
} from "@cloud-copilot/iam-simulate";

/** String.prototype.localeCompare as Node ships it, for the equivalence test. */
export const uncachedLocaleCompare = String.prototype.localeCompare;

/** localeCompare through one cached Intl.Collator per (locales, options); see gap 3 above. */
export function cachedLocaleCompare(this: string, that: string, locales?: string | string[], options?: Intl.CollatorOptions): number {
  // Most calls pass the engine's one constant options object: the collator of the last call is
  // reused when the same object still holds the same values, without building a key.
  const o = options ?? NO_OPTIONS;
  if (!(o === last.options && locales === last.locales && sameCollatorOptions(o, last.values))) {
    // Intl.Collator reads exactly these options (ECMA-402), so they are the whole key; cheaper than
    // serialising the object.
    const key = `${locales === undefined ? "" : JSON.stringify(locales)}|${o.localeMatcher}|${o.usage}|${o.sensitivity}|${o.ignorePunctuation}|${o.numeric}|${o.caseFirst}|${o.collation}`;
    let collator = collators.get(key);
    if (!collator) {
      collator = new Intl.Collator(locales, options);
      collators.set(key, collator);
    }
    last = { options: o, locales, values: { ...o }, collator };
  }
  return last.collator.compare(String(this), String(that));
}
const collators = new Map<string, Intl.Collator>();
const NO_OPTIONS: Intl.CollatorOptions = {};
let last: { options?: Intl.CollatorOptions; locales?: string | string[]; values: Intl.CollatorOptions; collator: Intl.Collator } = {
  values: {},
  collator: new Intl.Collator(),
};
function sameCollatorOptions(a: Intl.CollatorOptions, b: Intl.CollatorOptions): boolean {
  return (
    a.sensitivity === b.sensitivity &&
    a.usage === b.usage &&
    a.localeMatcher === b.localeMatcher &&
    a.ignorePunctuation === b.ignorePunctuation &&
    a.numeric === b.numeric &&
    a.caseFirst === b.caseFirst &&
    a.collation === b.collation
  );
}

/** Runs one synchronous engine call with cached collators and IAM strings, then puts Node's and the engine's own back. */
function withEngineSpeedups<T>(fn: () => T): T {
  String.prototype.localeCompare = cachedLocaleCompare;
  engineStrings.convertIamString = cachedConvertIamString;
  try {
    return fn();
  } finally {
    String.prototype.localeCompare = uncachedLocaleCompare;
    engineStrings.convertIamString = uncachedConvertIamString;
  }
}

/** Context keys with a colon-separated variable part that runSimulation drops (gap 1). */
const KEYS_THE_CHECKED_ENGINE_DROPS = [/^kms:EncryptionContext:.+$/i];

export class EngineGapError extends Error {}

// Internals that runUnsafeSimulation uses; resolved from the package's own folder (gap 2).
const engineDir = path.dirname(require.resolve("@cloud-copilot/iam-simulate"));
const { authorize } = require(path.join(engineDir, "core_engine", "CoreSimulatorEngine.js"));
const { RequestContextImpl } = require(path.join(engineDir, "requestContext.js"));
const { AwsRequestImpl } = require(path.join(engineDir, "request", "request.js"));
const { DiscoveryContextKeyConstraints } = require(path.join(engineDir, "context_keys", "discoveryContextKeyConstraints.js"));
/** The engine's module of string helpers; its callers read convertIamString from it on every call. */
const engineStrings: { convertIamString: ConvertIamString } = require(path.join(engineDir, "util.js"));
type ConvertIamString = (value: string, request: unknown, options?: { replaceWildcards?: boolean; convertToRegex?: boolean }) => unknown;

/** The engine's convertIamString as it ships, for the equivalence test. */
export const uncachedConvertIamString: ConvertIamString = engineStrings.convertIamString;
/** Answers by the two options (replaceWildcards, convertToRegex as bits), then by string. */
const convertedIamStrings = [0, 1, 2, 3].map(() => new Map<string, unknown>());
const own = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);
/** convertIamString, answered from memory for a string without policy variables (see gap 3). */
export function cachedConvertIamString(value: string, request: unknown, options?: { replaceWildcards?: boolean; convertToRegex?: boolean }): unknown {
  if (typeof value !== "string" || value.includes("${")) return uncachedConvertIamString(value, request, options);
  // The options as the engine merges them over its defaults ({ ...defaults, ...options }: an own
  // property wins, even undefined) and reads them (as booleans).
  const replaceWildcards = options && own(options, "replaceWildcards") ? Boolean(options.replaceWildcards) : true;
  const convertToRegex = options && own(options, "convertToRegex") ? Boolean(options.convertToRegex) : true;
  const answers = convertedIamStrings[(replaceWildcards ? 2 : 0) + (convertToRegex ? 1 : 0)];
  let converted = answers.get(value);
  if (converted === undefined) {
    if (answers.size > 100_000) answers.clear();
    answers.set(value, (converted = uncachedConvertIamString(value, request, options)));
  }
  return converted;
}

/** A policy as the engine holds it, loaded once per document (documents are shared by reference). */
const loaded = new WeakMap<object, Map<string, unknown>>();
function loadOnce(policy: object, name: string): unknown {
  let byName = loaded.get(policy);
  if (!byName) loaded.set(policy, (byName = new Map()));
  if (!byName.has(name)) byName.set(name, loadPolicy(policy as Parameters<typeof loadPolicy>[0], { name }));
  return byName.get(name);
}

/** RCPFullAWSAccess: AWS attaches it to every level, and runSimulation adds it the same way. */
const RCP_FULL_AWS_ACCESS = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] };
const RCP_FULL_AWS_ACCESS_NAME = "arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess";

/** One level of SCPs or RCPs (root first, the account last), loaded as the engine holds them. */
function controlPolicies(levels: Simulation["serviceControlPolicies"], withDefault?: boolean) {
  return levels.map((level) => ({
    orgIdentifier: level.orgIdentifier,
    policies: [...(withDefault ? [loadOnce(RCP_FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS_NAME)] : []), ...level.policies.map((p) => loadOnce(p.policy, p.name))],
  }));
}

function authorizeWithFullContext(s: Simulation): RequestAnalysis {
  const request = new AwsRequestImpl(s.request.principal, s.request.resource, s.request.action, new RequestContextImpl(s.request.contextVariables));
  return withEngineSpeedups(() =>
    authorize({
      request,
      sessionPolicy: undefined,
      identityPolicies: s.identityPolicies.map((p) => loadOnce(p.policy, p.name)),
      serviceControlPolicies: controlPolicies(s.serviceControlPolicies),
      resourceControlPolicies: controlPolicies(s.resourceControlPolicies, true),
      resourcePolicy: s.resourcePolicy ? loadOnce(s.resourcePolicy, "resource policy") : undefined,
      permissionBoundaries: undefined,
      vpcEndpointPolicies: undefined,
      simulationParameters: { simulationMode: "Strict", discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]) },
      serviceSettings: { s3: { blockPublicAccess: s.additionalSettings?.s3?.blockPublicAccess } },
    }),
  );
}

/** A simulation's identity: the request as given, each policy by a number for its content. */
function simulationKey(s: Simulation): string {
  return [
    typeof s.request.principal === "string" ? s.request.principal : "anonymous",
    s.request.action,
    s.request.resource.resource,
    s.request.resource.accountId,
    JSON.stringify(s.request.contextVariables),
    ...s.identityPolicies.map((p) => `${p.name}=${fingerprint(p.policy)}`),
    s.resourcePolicy ? fingerprint(s.resourcePolicy) : "-",
    String(s.additionalSettings?.s3?.blockPublicAccess ?? false),
    // Organization policies are part of the question too (verify --guardrails).
    ...[...s.serviceControlPolicies, ...s.resourceControlPolicies].map((level) => `${level.orgIdentifier}:${level.policies.map((p) => `${p.name}=${fingerprint(p.policy)}`).join(",")}`),
    `scp=${s.serviceControlPolicies.length},rcp=${s.resourceControlPolicies.length}`,
    JSON.stringify(s.sessionPolicy ?? null),
  ].join("\u0000");
}

/**
 * One request decided at once from the simulation as given (gap 4): the result and, when allowed,
 * the statements that allowed it. Policies are not validated here: every policy of a model is
 * validated by its declared requests, which verify runs beside the analysis and whose failure it
 * reports first (proof/index.ts), and a guardrail's when it is read.
 */
export function authorizeLoaded(s: Simulation): { allowed: boolean; grants: RequestGrant[] } {
  // The engine is deterministic: a request asked again (the same policies by content) is answered
  // from memory. Verify asks few twice; a test corpus of near-identical copies asks most.
  const key = simulationKey(s);
  const known = decided.get(key);
  if (known) return known;
  const answer = authorizeUncached(s);
  if (decided.size > 50_000) decided.clear();
  decided.set(key, answer);
  return answer;
}

const decided = new Map<string, { allowed: boolean; grants: RequestGrant[] }>();
const fingerprints = new WeakMap<object, number>();
const byContent = new Map<string, number>();
/** Never reused, even after byContent is cleared: a number always means one content. */
let lastFingerprint = 0;
/** A short number for a document's content: equal content, equal number (serialised once per document object). */
function fingerprint(doc: object): number {
  let f = fingerprints.get(doc);
  if (f === undefined) {
    const content = JSON.stringify(doc);
    f = byContent.get(content);
    if (f === undefined) {
      if (byContent.size > 100_000) byContent.clear();
      byContent.set(content, (f = ++lastFingerprint));
    }
    fingerprints.set(doc, f);
  }
  return f;
}

function authorizeUncached(s: Simulation): { allowed: boolean; grants: RequestGrant[] } {
  try {
    const analysis = authorizeWithFullContext(s);
    return { allowed: analysis.result === "Allowed", grants: analysis.result === "Allowed" ? getGrantReasons(analysis) : [] };
  } catch (e) {
    throw new EngineGapError(`the IAM engine could not evaluate ${s.request.action} on ${s.request.resource.resource}: ${(e as Error).message}`);
  }
}

export interface Evaluation {
  result: EvaluationResult;
  grants: RequestGrant[];
  denials: RequestDenial[];
  /** Policy types that blocked the request outright, e.g. "s3-bpa" (S3 Block Public Access). */
  blockedBy: string[];
  /** Keys runSimulation dropped and the full-context evaluation restored. */
  restoredContextKeys: string[];
}

/**
 * Evaluations of this process, by request: the engine is deterministic, and a fleet or a test
 * corpus asks the same request many times.
 */
const evaluations = new Map<string, Promise<Evaluation>>();

export function evaluate(simulation: Simulation): Promise<Evaluation> {
  const key = simulationKey(simulation);
  let evaluation = evaluations.get(key);
  if (!evaluation) {
    evaluation = evaluateUncached(simulation);
    evaluations.set(key, evaluation);
  }
  return evaluation;
}

async function evaluateUncached(simulation: Simulation): Promise<Evaluation> {
  try {
    return await analyse(simulation);
  } catch (e) {
    if (e instanceof EngineGapError) throw e;
    // The engine's own failure on input it cannot read (a damaged policy): unusable input, not a crash.
    throw new EngineGapError(`the IAM engine could not evaluate ${simulation.request.action} on ${simulation.request.resource.resource}: ${(e as Error).message}`);
  }
}

/**
 * What the checked engine checks of a request beyond its policies, and what decides which context
 * keys it drops: the action, the shape of the resource's ARN (its service, region, whether it has
 * an account, its resource type; names become "x"), the context's key names, the caller's kind and
 * which kinds of policy are given.
 */
export function requestShape(s: Simulation): string {
  const { principal, action, resource, contextVariables } = s.request;
  const parts = resource.resource.split(":");
  let arn = resource.resource;
  if (parts.length >= 6) {
    const [, partition, service, region, account] = parts;
    const segments = parts.slice(5).join(":").split(/([/:])/);
    // A resource type leads the resource part (key/, role/, alias/), except in S3, where the bucket's name does.
    const typed = service !== "s3" && segments.length > 1;
    const shaped = segments.map((seg, i) => (seg === "/" || seg === ":" ? seg : typed && i === 0 ? seg : "x")).join("");
    arn = [partition, service, region, account ? "account" : "", service === "s3" ? (shaped.includes("/") ? "x/x" : "x") : shaped].join(":");
  }
  return [
    typeof principal === "string" ? (isServicePrincipal(principal) ? `service:${principal}` : "authenticated") : "anonymous",
    action,
    arn,
    Object.keys(contextVariables).sort().join(","),
    `identity=${s.identityPolicies.length > 0}`,
    `resource=${s.resourcePolicy !== undefined}`,
    `scp=${s.serviceControlPolicies.length}`,
    `rcp=${s.resourceControlPolicies.length}`,
    `session=${s.sessionPolicy !== undefined}`,
  ].join("|");
}

/** Shapes the checked engine accepted, with the context keys it dropped for them. */
const checkedShapes = new Map<string, string[]>();

/** Each policy validated once, by IAM's grammar for where it is used, as runSimulation validates it. */
const validated = new WeakMap<object, Set<string>>();
function validateOnce(policy: object, kind: "identity" | "resource" | "scp" | "rcp", name: string, action: string): void {
  let kinds = validated.get(policy);
  if (kinds?.has(kind)) return;
  const validate = { identity: validateIdentityPolicy, resource: validateResourcePolicy, scp: validateServiceControlPolicy, rcp: validateResourceControlPolicy }[kind];
  const errors = validate(policy as Parameters<typeof validateIdentityPolicy>[0]);
  if (errors.length) throw new EngineGapError(`the IAM engine rejected the request for ${action}: policy.errors ${JSON.stringify({ [name]: errors })}`);
  if (!kinds) validated.set(policy, (kinds = new Set()));
  kinds.add(kind);
}

function validatePolicies(s: Simulation): void {
  const action = s.request.action;
  for (const p of s.identityPolicies) validateOnce(p.policy, "identity", p.name, action);
  if (s.resourcePolicy) validateOnce(s.resourcePolicy, "resource", "resource policy", action);
  for (const level of s.serviceControlPolicies) for (const p of level.policies) validateOnce(p.policy, "scp", p.name, action);
  for (const level of s.resourceControlPolicies) for (const p of level.policies) validateOnce(p.policy, "rcp", p.name, action);
}

/**
 * The checked engine (runSimulation) for the first request of each shape; every later request of
 * that shape has its policies validated (once each) and is decided by authorize() with its full
 * context, as a request whose keys runSimulation dropped already is (gap 1). A fleet of 1,000
 * buckets asks 37,000 requests of about 60 shapes: runSimulation's resource-type matching was most
 * of their cost. A test compares both paths on every declared request of the fleet example.
 */
async function analyse(simulation: Simulation): Promise<Evaluation> {
  const known = checkedShapes.get(requestShape(simulation));
  return known ? analyseByShape(simulation, known) : analyseChecked(simulation);
}

/** A request of a shape the checked engine accepted: its policies validated, decided with its full context. */
export function analyseByShape(simulation: Simulation, restoredContextKeys: string[]): Evaluation {
  validatePolicies(simulation);
  return evaluationOf(authorizeWithFullContext(simulation), restoredContextKeys);
}

function evaluationOf(analysis: RequestAnalysis, restoredContextKeys: string[]): Evaluation {
  return {
    result: analysis.result,
    grants: getGrantReasons(analysis),
    denials: getDenialReasons(analysis),
    // Present on the analysis, though not in the package's RequestAnalysis type.
    blockedBy: (analysis as { blockedBy?: string[] }).blockedBy ?? [],
    restoredContextKeys,
  };
}

/** The checked engine's answer to one request (exported for the test that compares both paths). */
export async function analyseChecked(simulation: Simulation): Promise<Evaluation> {
  const checked = await runSimulation(simulation, {});
  if (checked.resultType === "error") {
    throw new EngineGapError(`the IAM engine rejected the request for ${simulation.request.action}: ${checked.errors.message} ${JSON.stringify(checked.errors)}`);
  }
  const single = checked.resultType === "single" ? checked.result : checked.results[0];
  const dropped = single.ignoredContextKeys ?? [];
  const unknown = dropped.filter((k) => !KEYS_THE_CHECKED_ENGINE_DROPS.some((re) => re.test(k)));
  if (unknown.length) {
    throw new EngineGapError(
      `the IAM engine ignored context key(s) ${unknown.join(", ")} for ${simulation.request.action}: a condition on them would not be evaluated`,
    );
  }
  const analysis = dropped.length ? authorizeWithFullContext(simulation) : single.analysis;
  checkedShapes.set(requestShape(simulation), dropped);
  return evaluationOf(analysis, dropped);
}
