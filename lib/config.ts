// Loads replication.config.json (or $REPLICATION_CONFIG) and validates it into a ReplicationConfig.
// Two file shapes: the single pair (./config/pair.ts) and the fleet (./config/fleet.ts). Every error names the
// field (as a dotted path) and says how to fix it, and is raised before any stack is built, so a
// bad config never leaves half-written synth output.
import { readFileSync } from "node:fs";
import type { z } from "zod";
import { fleetSchema } from "./config/fleet";
import { pairSchema } from "./config/pair";
import type { ReplicationConfig } from "./config/types";

export { cloudWorkspaceNames, STORAGE_CLASSES } from "./config/fields";
export type * from "./config/types";

export const DEFAULT_CONFIG_FILE = "replication.config.json";
export const CONFIG_PATH_ENV = "REPLICATION_CONFIG";

export class ConfigError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`${file} is not a valid replication config:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length ? issue.path.join(".") : "(top level)";
  if (issue.code === "unrecognized_keys") {
    return `${field}: unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}: remove or correct ${issue.keys.length > 1 ? "them" : "it"} (see the config table in README.md)`;
  }
  if (issue.code === "invalid_type" && /received undefined/.test(issue.message)) {
    return `${field}: is missing: add it (expected ${issue.expected}; see the config table in README.md)`;
  }
  return `${field}: ${issue.message}`;
}

/** A file with any of the fleet's top-level fields is a fleet; anything else is read as a pair. */
const isFleet = (raw: unknown): boolean =>
  typeof raw === "object" && raw !== null && ["sourceAccount", "destinationAccount", "sourceBuckets", "destinationBuckets"].some((k) => k in raw);

/** Validates an already-parsed config object. Throws ConfigError listing every problem. */
export function parseConfig(raw: unknown, file = DEFAULT_CONFIG_FILE): ReplicationConfig {
  const result = (isFleet(raw) ? fleetSchema : pairSchema).safeParse(raw);
  if (!result.success) {
    throw new ConfigError(file, result.error.issues.map(describeIssue));
  }
  return result.data;
}

/** Reads and validates the config file named by REPLICATION_CONFIG, or replication.config.json. */
export function loadConfig(file = process.env[CONFIG_PATH_ENV] || DEFAULT_CONFIG_FILE): ReplicationConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(file, [
      `cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)}): create it from the committed replication.config.json, or point ${CONFIG_PATH_ENV} at an existing file`,
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, [`is not valid JSON (${(e as Error).message}): fix the syntax`]);
  }
  return parseConfig(raw, file);
}
