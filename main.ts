// Entry point of `cdktf synth`: load and validate the config, then build the stacks: source and
// dest for a pair or a fleet, source-<name> and dest-<name> per account of an organization.
import { rmSync } from "node:fs";
import * as path from "node:path";
import { App, Aspects } from "cdktf";
import { ConfigError, configPath, loadAnyConfig, organizationStackNames, type OrganizationConfig, type ReplicationConfig } from "./lib/config";
import { identifierOf, STACK_NAMES } from "./lib/naming";
import { removeIfEmpty, removeOtherFormat, writeSynthRecord } from "./lib/synth-record";
import { overLimitMessage, policiesOverLimit } from "./lib/policy-size";
import { quotaWarnings } from "./lib/config/quotas";
import { HclWriterRepairs } from "./lib/hcl-output";
import { ORGANIZATION_LAYOUT_FILE, writeOrganizationLayout } from "./lib/organization-layout";
import { withoutTokenCreationStacks } from "./lib/token-creation-stacks";
import { DestStack } from "./stacks/dest-stack";
import { SourceStack } from "./stacks/source-stack";

export function buildApp(config: ReplicationConfig | OrganizationConfig, app: App = new App()): App {
  const stacks = config.shape === "organization" ? organizationStacks(config, app) : pairStacks(config, app);
  // cdktf runs aspects per stack, never from the app down.
  if (app.hclOutput) for (const stack of stacks) Aspects.of(stack).add(new HclWriterRepairs());
  return app;
}

function pairStacks(config: ReplicationConfig, app: App) {
  const source = new SourceStack(app, "source", { config });
  const dest = new DestStack(app, "dest", { writers: [{ stack: "source", stateName: "source_state", config }] });
  // dest reads the replication role ARN from source's state.
  dest.addDependency(source);
  return [source, dest];
}

/** A stack per account; each destination stack reads the state of exactly the source stacks writing into it. */
function organizationStacks(config: OrganizationConfig, app: App) {
  const sources = new Map(config.sourceAccounts.map((a) => [a.name, { account: a, stack: new SourceStack(app, a.stack, { config: a.config }) }]));
  const dests = config.destinationAccounts.map((d) => {
    const writers = d.writers.map((name) => sources.get(name)!);
    const dest = new DestStack(app, d.stack, {
      writers: writers.map(({ account }) => ({ stack: account.stack, stateName: `source_state_${identifierOf(account.name)}`, config: account.config })),
    });
    for (const { stack } of writers) dest.addDependency(stack);
    return dest;
  });
  return [...[...sources.values()].map((s) => s.stack), ...dests];
}

if (require.main === module) {
  let config: ReplicationConfig | OrganizationConfig;
  const configFile = configPath();
  try {
    config = loadAnyConfig(configFile);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    // Nothing has been synthesized yet: a bad config leaves no output behind.
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
  for (const warning of quotaWarnings(config)) process.stderr.write(`warning: ${warning}\n`);
  // cdktf's CloudBackend checks the *local* terraform version at synth, although the workspace's
  // terraform runs the plan; synth must work on machines without terraform, so skip that check.
  const app = withoutTokenCreationStacks(() => buildApp(config, new App({ skipValidation: config.backend.type === "cloud" })));
  // A policy AWS would reject is refused before anything is written, as a bad config is.
  const over = policiesOverLimit(app);
  if (over.length) {
    process.stderr.write(`${configFile}: ${overLimitMessage(over)}\n`);
    // cdktf's App made the output folders; left empty, they are removed (older output is kept).
    removeIfEmpty(app.outdir);
    process.exit(1);
  }
  removeOtherFormat(app.outdir, config.shape === "organization" ? organizationStackNames(config) : STACK_NAMES, app.hclOutput);
  withoutTokenCreationStacks(() => app.synth());
  writeSynthRecord(app.outdir, configFile);
  // An organization's layout for its pipeline; removed from any other shape's output, never left stale.
  if (config.shape === "organization") writeOrganizationLayout(app.outdir, config);
  else rmSync(path.join(app.outdir, ORGANIZATION_LAYOUT_FILE), { force: true });
}
