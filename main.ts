// Entry point of `cdktf synth`: load and validate the config, then build the two stacks.
import { App, Aspects } from "cdktf";
import { ConfigError, configPath, loadConfig, type ReplicationConfig } from "./lib/config";
import { STACK_NAMES } from "./lib/naming";
import { removeIfEmpty, removeOtherFormat, writeSynthRecord } from "./lib/synth-record";
import { overLimitMessage, policiesOverLimit } from "./lib/policy-size";
import { quotaWarnings } from "./lib/config/quotas";
import { HclWriterRepairs } from "./lib/hcl-output";
import { withoutTokenCreationStacks } from "./lib/token-creation-stacks";
import { DestStack } from "./stacks/dest-stack";
import { SourceStack } from "./stacks/source-stack";

export function buildApp(config: ReplicationConfig, app: App = new App()): App {
  const source = new SourceStack(app, "source", { config });
  const dest = new DestStack(app, "dest", { config });
  // dest reads the replication role ARN from source's state.
  dest.addDependency(source);
  // cdktf runs aspects per stack, never from the app down.
  if (app.hclOutput) for (const stack of [source, dest]) Aspects.of(stack).add(new HclWriterRepairs());
  return app;
}

if (require.main === module) {
  let config: ReplicationConfig;
  const configFile = configPath();
  try {
    config = loadConfig(configFile);
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
  removeOtherFormat(app.outdir, STACK_NAMES, app.hclOutput);
  withoutTokenCreationStacks(() => app.synth());
  writeSynthRecord(app.outdir, configFile);
}
