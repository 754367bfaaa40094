// Shared test inputs: the committed default config (and mutated copies), and synthesized stacks.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
// Types for the matchers test/setup.js installs (toBeValidTerraform, ...).
import "cdktf/lib/testing/adapters/jest";
import { buildApp } from "../../main";
import { fanOutFleet } from "../../dev/generate-fleet";
import { ConfigError, parseConfig, type ReplicationConfig } from "../../lib/config";
import type { PolicyDocument } from "../../lib/policies";

export const PROJECT_ROOT = path.resolve(__dirname, "../..");

/** The committed replication.config.json, as raw JSON. */
export function defaultRawConfig(): any {
  return JSON.parse(readFileSync(path.join(PROJECT_ROOT, "replication.config.json"), "utf8"));
}

const example = (name: string) => JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples", name), "utf8"));
const fromExample = (name: string) => (raw: any) => Object.assign(raw, example(name));
/** Another config replaces the whole config (another file shape). */
const instead = (config: () => object) => (raw: any) => {
  for (const key of Object.keys(raw)) delete raw[key];
  Object.assign(raw, config());
};
const insteadExample = (name: string) => instead(() => example(name));

/** Configs that exercise every switch: the committed default, each shipped example, the switches flipped. */
export const CONFIG_VARIANTS: Record<string, (raw: any) => void> = {
  "default config (local backend)": () => undefined,
  "examples/backend-s3.json": fromExample("backend-s3.json"),
  "examples/backend-cloud.json": fromExample("backend-cloud.json"),
  "examples/fleet.json": insteadExample("fleet.json"),
  "examples/monitoring.json": insteadExample("monitoring.json"),
  "examples/adopt-existing.json": insteadExample("adopt-existing.json"),
  // A two-way pair with Object Lock on both ends, beside a one-way rule.
  "examples/two-way.json": insteadExample("two-way.json"),
  // An organization: a stack per account, three source accounts into two destination accounts.
  "examples/organization.json": insteadExample("organization.json"),
  // Past IAM's inline limit for one role: its grants are managed policies (lib/role-grants.ts).
  "one bucket into 18 of Bob's (the role's grants as managed policies)": instead(() => fanOutFleet(18)),
  "the pair two-way, owner override off, delete markers and Replication Time Control on, assumed deploy roles": (raw) => {
    raw.replication = { ruleId: "x", ownerOverride: false, replicateDeleteMarkers: true, replicationTimeControl: true, twoWay: true };
    raw.source.credentials = { assumeRoleArn: "arn:aws:iam::111111111111:role/deployer" };
    raw.destination.credentials = { assumeRoleArn: "arn:aws:iam::222222222222:role/deployer", sessionName: "cdktf" };
  },
};

/** The problems ConfigError reports for a raw config; fails the test when the config is accepted. */
export function configProblems(raw: unknown): string[] {
  try {
    parseConfig(raw);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error("the config was accepted");
}

/** examples/fleet.json, as raw JSON. */
export const fleetRawConfig = (): any => example("fleet.json");

/** examples/fleet.json, validated. */
export function fleetConfig(): ReplicationConfig {
  return parseConfig(example("fleet.json"), "examples/fleet.json");
}

/** The stacks a synth wrote (source and dest; an organization's source-<name> and dest-<name>), sorted. */
export const stacksIn = (outdir: string): string[] => readdirSync(path.join(outdir, "stacks")).sort();

/** Writes the default config, edited by `change`, into `dir`; returns the file's path. */
export function writeConfigFile(dir: string, name: string, change: (raw: any) => void): string {
  const raw = defaultRawConfig();
  change(raw);
  const file = path.join(dir, `${name.replace(/\W+/g, "-")}.json`);
  writeFileSync(file, JSON.stringify(raw));
  return file;
}

/** The default config after `change` edits its raw JSON, validated. */
export function configWith(change: (raw: any) => void = () => undefined): ReplicationConfig {
  const raw = defaultRawConfig();
  change(raw);
  return parseConfig(raw);
}

export interface TfJson {
  terraform: any;
  provider: any;
  resource: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  output: Record<string, { value: string; description?: string }>;
  variable?: Record<string, any>;
}

export interface SynthesizedPair {
  source: TfJson;
  dest: TfJson;
  /** The raw JSON strings, for cdktf's jest matchers. */
  sourceText: string;
  destText: string;
}

export function synthPair(config: ReplicationConfig = configWith()): SynthesizedPair {
  const app = buildApp(config, Testing.app());
  const [source, dest] = ["source", "dest"].map((name) => app.node.findChild(name)) as any[];
  const sourceText = Testing.synth(source);
  const destText = Testing.synth(dest);
  return { source: JSON.parse(sourceText), dest: JSON.parse(destText), sourceText, destText };
}

/** The policy document stored in a resource attribute (JSON string). */
export function policyIn(json: TfJson, type: string, name: string, attribute = "policy"): PolicyDocument {
  const resource = json.resource[type]?.[name];
  if (!resource) throw new Error(`no ${type}.${name} in the synthesized stack`);
  return JSON.parse(resource[attribute]);
}

export function statement(doc: PolicyDocument, sid: string) {
  const found = doc.Statement.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${JSON.stringify(doc)}`);
  return found;
}
