// npm run verify [-- --dir <synth output>] [--json | --markdown]
//
// Proves, before anything is deployed, that S3 replication between the two synthesized stacks
// will be allowed at every step and that nobody else gets in. Exit 0 only when everything holds.
import { VerifyInputError } from "./verify/synth-output";
import { formatJson, formatMarkdown, formatText } from "./verify/report";
import { verify } from "./verify/index";
import { EngineGapError } from "./verify/engine";

const USAGE = "usage: npm run verify [-- --dir <synth output folder>] [--json | --markdown]";

export function parseArgs(argv: string[]): { dir: string; format: "text" | "json" | "markdown" } {
  let dir = "cdktf.out";
  let format: "text" | "json" | "markdown" = "text";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--dir") {
      if (!argv[i + 1] || argv[i + 1].startsWith("--")) throw new VerifyInputError(`--dir needs a folder: ${USAGE}`);
      dir = argv[++i];
    } else if (a === "--json") format = "json";
    else if (a === "--markdown") format = "markdown";
    else throw new VerifyInputError(`unknown option ${a}: ${USAGE}`);
  }
  return { dir, format };
}

async function main(): Promise<number> {
  try {
    const { dir, format } = parseArgs(process.argv.slice(2));
    const report = await verify(dir);
    const text = format === "json" ? formatJson(report) : format === "markdown" ? formatMarkdown(report) : formatText(report);
    process.stdout.write(`${text}\n`);
    return report.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof VerifyInputError || e instanceof EngineGapError) {
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
