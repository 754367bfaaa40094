// npm run verify [-- --dir <synth output>] [--json | --markdown] [--live [--config <file>]]
//
// Proves, before anything is deployed, that S3 replication between the two synthesized stacks
// will be allowed at every step and that nobody else gets in. With --live, proves what is deployed
// in both accounts instead, and names every difference from the synth output. Exit 0 only when
// everything holds, 1 when something does not, 2 when the input cannot be read.
import { VerifyInputError } from "./verify/synth-output";
import { formatJson, formatMarkdown, formatText } from "./verify/report";
import { ConfigError, loadConfig } from "../lib/config";
import { AccountAccessError } from "./accounts";
import { verify, verifyLive } from "./verify/index";
import { EngineGapError } from "./verify/engine";

const USAGE = "usage: npm run verify [-- --dir <synth output folder>] [--json | --markdown] [--live [--config <config file>]]";

export interface VerifyArgs {
  dir: string;
  format: "text" | "json" | "markdown";
  live: boolean;
  /** The config whose credentials --live reads with; undefined: $REPLICATION_CONFIG or replication.config.json. */
  config?: string;
}

export function parseArgs(argv: string[]): VerifyArgs {
  const args: VerifyArgs = { dir: "cdktf.out", format: "text", live: false };
  const value = (i: number, what: string) => {
    if (!argv[i + 1] || argv[i + 1].startsWith("--")) throw new VerifyInputError(`${argv[i]} needs ${what}: ${USAGE}`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--dir") args.dir = value(i++, "a folder");
    else if (a === "--config") args.config = value(i++, "a config file");
    else if (a === "--json") args.format = "json";
    else if (a === "--markdown") args.format = "markdown";
    else if (a === "--live") args.live = true;
    else throw new VerifyInputError(`unknown option ${a}: ${USAGE}`);
  }
  if (args.config && !args.live) throw new VerifyInputError(`--config is read only with --live (the synth output already holds the config): ${USAGE}`);
  return args;
}

async function main(): Promise<number> {
  try {
    const { dir, format, live, config } = parseArgs(process.argv.slice(2));
    const report = live ? await verifyLive(dir, loadConfig(config)) : await verify(dir);
    const text = format === "json" ? formatJson(report) : format === "markdown" ? formatMarkdown(report) : formatText(report);
    process.stdout.write(`${text}\n`);
    return report.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof VerifyInputError || e instanceof EngineGapError || e instanceof ConfigError || e instanceof AccountAccessError) {
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
