// Shared test inputs: the committed default config (and mutated copies), and synthesized stacks.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
// Types for the matchers test/setup.js installs (toBeValidTerraform, ...).
import "cdktf/lib/testing/adapters/jest";
import { buildApp } from "../../main";
import { parseConfig, type ReplicationConfig } from "../../lib/config";
import type { PolicyDocument } from "../../lib/policies";

export const PROJECT_ROOT = path.resolve(__dirname, "../..");

/** The committed replication.config.json, as raw JSON. */
export function defaultRawConfig(): any {
  return JSON.parse(readFileSync(path.join(PROJECT_ROOT, "replication.config.json"), "utf8"));
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
