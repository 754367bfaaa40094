// Loads replication.config.json (or $REPLICATION_CONFIG) and validates it into a ReplicationConfig.
// Two file shapes: the single pair (./config/pair.ts) and the fleet (./config/fleet.ts). Every error names the
// field (as a dotted path) and says how to fix it, and is raised before any stack is built, so a
// bad config never leaves half-written synth output.
import { readFileSync } from "node:fs";
import type { z } from "zod";
import { fleetSchema } from "./config/fleet";
import { pairSchema } from "./config/pair";
import { isOrganization, organizationConfig, type OrganizationConfig } from "./config/organization";
import type { ReplicationConfig } from "./config/types";
import { KNOWN_REGIONS } from "./aws-facts";
import { parseStrictJson, StrictJsonError } from "./strict-json";

export { cloudWorkspaceNames, STORAGE_CLASSES } from "./config/fields";
export type * from "./config/types";
export type { OrganizationConfig, OrganizationDestinationAccount, OrganizationSourceAccount, OrganizationStackName } from "./config/organization";
export { organizationStackNames } from "./config/organization";

export const DEFAULT_CONFIG_FILE = "replication.config.json";
export const CONFIG_PATH_ENV = "REPLICATION_CONFIG";

export class ConfigError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`${file} is not a valid replication config:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** The known region closest to a mistyped one, when it is close (two edits at most). */
function closestRegion(value: string): string | undefined {
  const [best] = [...KNOWN_REGIONS].map((r) => [r, distance(value, r)] as const).sort((a, b) => a[1] - b[1]);
  return best && best[1] <= 2 ? best[0] : undefined;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length ? issue.path.join(".") : "(top level)";
  const input: unknown = issue.input;
  if (issue.code === "invalid_type" && issue.expected === "string" && (typeof input === "number" || typeof input === "boolean")) {
    return `${field}: is the ${typeof input} ${String(input)}: write it as a string, in quotes: "${String(input)}"`;
  }
  if (issue.path.at(-1) === "region" && typeof input === "string") {
    const suggestion = closestRegion(input);
    if (suggestion) return `${field}: ${issue.message}; did you mean "${suggestion}"?`;
  }
  if (issue.code === "unrecognized_keys") {
    return `${field}: unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}: remove or correct ${issue.keys.length > 1 ? "them" : "it"} (see docs/configuration.md)`;
  }
  if (issue.code === "invalid_type" && /received undefined/.test(issue.message)) {
    return `${field}: is missing: add it (expected ${issue.expected}; see docs/configuration.md)`;
  }
  return `${field}: ${issue.message}`;
}

/** A file with any of the fleet's top-level fields is a fleet; anything else is read as a pair. */
const isFleet = (raw: unknown): boolean =>
  typeof raw === "object" && raw !== null && ["sourceAccount", "destinationAccount", "sourceBuckets", "destinationBuckets"].some((k) => k in raw);

/** Validates an already-parsed config object of any shape. Throws ConfigError listing every problem. */
export function parseAnyConfig(raw: unknown, file = DEFAULT_CONFIG_FILE): ReplicationConfig | OrganizationConfig {
  if (isOrganization(raw)) {
    const result = organizationConfig(raw);
    if ("issues" in result) throw new ConfigError(file, result.issues.map(describeIssue));
    return result.data;
  }
  const result = (isFleet(raw) ? fleetSchema : pairSchema).safeParse(raw, { reportInput: true });
  if (!result.success) {
    throw new ConfigError(file, result.error.issues.map(describeIssue));
  }
  return result.data;
}

/** A pair or a fleet (what every tool but synth and verify works on). Throws ConfigError otherwise. */
export function parseConfig(raw: unknown, file = DEFAULT_CONFIG_FILE): ReplicationConfig {
  const config = parseAnyConfig(raw, file);
  if (config.shape === "organization") {
    throw new ConfigError(file, [
      "(top level): is an organization (sourceAccounts, destinationAccounts): this command works on a pair or a fleet so far; synthesize with npx cdktf synth, prove with npm run verify, and deploy each stack with cdktf deploy or your pipeline (docs/organization.md)",
    ]);
  }
  return config;
}

/** The config file: $REPLICATION_CONFIG, or replication.config.json. */
export const configPath = (): string => process.env[CONFIG_PATH_ENV] || DEFAULT_CONFIG_FILE;

/** Reads and validates a pair or fleet config file (REPLICATION_CONFIG, or replication.config.json). */
export function loadConfig(file = configPath()): ReplicationConfig {
  return parseConfig(readConfigFile(file), file);
}

/** Reads and validates a config file of any shape, the organization's too. */
export function loadAnyConfig(file = configPath()): ReplicationConfig | OrganizationConfig {
  return parseAnyConfig(readConfigFile(file), file);
}

function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(file, [
      `cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)}): create it from the committed replication.config.json, or point ${CONFIG_PATH_ENV} at an existing file`,
    ]);
  }
  try {
    return parseStrictJson(text, "the file");
  } catch (e) {
    if (!(e instanceof StrictJsonError)) throw e;
    // "the file is not valid JSON at line 3, column 1: ...": its line, column and what is wrong.
    throw new ConfigError(file, [`${e.message.replace(/^the file /, "")}: fix it there`]);
  }
}
