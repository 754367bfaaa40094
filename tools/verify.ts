// npm run verify (its options: VERIFY_ARGS.usage below)
//
// Proves, before anything is deployed, that S3 replication between the two synthesized stacks
// will be allowed at every step and that nobody else gets in; with --guardrails, under the
// organization's SCPs and RCPs too. With --live, proves what is deployed in both accounts instead,
// and names every difference from the synth output. Exit 0 only when everything holds, 1 when
// something does not, 2 when the input cannot be read.
import { writeFileSync } from "node:fs";
import { VerifyInputError } from "../proof/errors";
import { formatJson, formatText } from "../proof/report";
import { formatMarkdown } from "../proof/report-markdown";
import { ConfigError, loadConfig } from "../lib/config";
import { AccountAccessError, liveClients } from "./accounts";
import { parseArgv, UsageError } from "./cli";
import type { ReplicationConfig } from "../lib/config";
import { verify, verifyLive } from "../proof/index";
import { formatOrganizationMarkdown, formatOrganizationText, isOrganizationOutput, verifyOrganization } from "../proof/organization/index";
import { EngineGapError } from "../proof/engine";
import { loadGuardrails } from "../proof/guardrails/guardrails-file";
import { isReplicationRuleField, REPLICATION_RULE_FIELDS, type ReplicationRuleField } from "../proof/replication-rule";

export const VERIFY_ARGS = {
  usage:
    "usage: npm run -s verify [-- --dir <synth output folder>] [--guardrails <file>] [--json | --markdown] [--output <file>] [--live [--config <config file>] [--rule-fields-from-synth <field,...>]]",
  switches: ["json", "markdown", "live"],
  options: ["dir", "config", "rule-fields-from-synth", "output", "guardrails"],
} as const;

export interface VerifyArgs {
  dir: string;
  format: "text" | "json" | "markdown";
  /** The organization's SCPs and RCPs per account (docs/guardrails.md); undefined: none given. */
  guardrails?: string;
  /** Where the report goes; undefined: stdout. */
  output?: string;
  live: boolean;
  /** The config whose credentials --live reads with; undefined: $REPLICATION_CONFIG or replication.config.json. */
  config?: string;
  /** --live on an emulator that does not keep these rule fields (the emulated deploy passes moto's). */
  ruleFieldsFromSynth: ReplicationRuleField[];
}

function ruleFields(list: string | undefined): ReplicationRuleField[] {
  const fields = list?.split(",").filter(Boolean) ?? [];
  const unknown = fields.filter((f) => !isReplicationRuleField(f));
  if (unknown.length) throw new UsageError(`--rule-fields-from-synth: ${unknown.join(", ")} is not a field of a replication rule; use some of ${REPLICATION_RULE_FIELDS.join(", ")}`);
  return fields.filter(isReplicationRuleField);
}

export function parseArgs(argv: string[]): VerifyArgs {
  const { switches, options } = parseArgv(argv, VERIFY_ARGS);
  const live = switches.has("live");
  for (const name of ["config", "rule-fields-from-synth"] as const) {
    if (options[name] !== undefined && !live) throw new UsageError(`--${name} is read only with --live (the synth output already holds the config): ${VERIFY_ARGS.usage}`);
  }
  return {
    dir: options.dir ?? "cdktf.out",
    format: switches.has("json") ? "json" : switches.has("markdown") ? "markdown" : "text",
    ...(options.output !== undefined ? { output: options.output } : {}),
    ...(options.guardrails !== undefined ? { guardrails: options.guardrails } : {}),
    live,
    config: options.config,
    ruleFieldsFromSynth: ruleFields(options["rule-fields-from-synth"]),
  };
}

/** The config, and how the live proof gets each account's clients: the config's credentials, checked. */
const withClients = (config: ReplicationConfig) => [config, (stack: "source" | "dest") => liveClients(config, stack)] as const;

async function main(): Promise<number> {
  try {
    const { dir, format, output, live, config, ruleFieldsFromSynth, guardrails: guardrailsFile } = parseArgs(process.argv.slice(2));
    const guardrails = guardrailsFile !== undefined ? loadGuardrails(guardrailsFile) : undefined;
    let report: { ok: boolean };
    let text: string;
    if (!live && isOrganizationOutput(dir)) {
      // An organization: each source account with its part of the destination stack (docs/organization.md).
      const r = await verifyOrganization(dir, { guardrails });
      [report, text] = [r, format === "json" ? JSON.stringify(r, null, 2) : format === "markdown" ? formatOrganizationMarkdown(r) : formatOrganizationText(r)];
    } else {
      const r = live ? await verifyLive(dir, ...withClients(loadConfig(config)), { ruleFieldsFromSynth, guardrails }) : await verify(dir, { guardrails });
      [report, text] = [r, format === "json" ? formatJson(r) : format === "markdown" ? formatMarkdown(r) : formatText(r)];
    }
    if (output !== undefined) {
      writeFileSync(output, `${text}\n`);
      process.stderr.write(`verify: ${report.ok ? "PASS" : "FAIL"}, report written to ${output}\n`);
    } else {
      process.stdout.write(`${text}\n`);
    }
    return report.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof UsageError || e instanceof VerifyInputError || e instanceof EngineGapError || e instanceof ConfigError || e instanceof AccountAccessError) {
      process.stderr.write(`verify: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  // exitCode, not exit(): a large --json report to a pipe is still being written when main() returns.
  main().then((code) => (process.exitCode = code));
}
