// npm run deploy:local [-- --config <file>]
//
// Deploys the two stacks for real, with the same cdktf commands users run, onto two emulated AWS
// accounts (one moto_server on 127.0.0.1), checks what landed where with the AWS SDK, checks that
// a second plan is empty but for the known moto read-back gap, destroys everything and stops moto
// (also on failure). test/e2e/deploy-local.test.ts runs the same steps inside `npm test`.
// The parts: deploy-local/workspace.ts (tools, scratch project), inspect.ts (SDK and terraform
// reads), plan-diff.ts (the second plan), steps.ts (the step list).
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgv, UsageError } from "../tools/cli";
import { deploySteps } from "./deploy-local/steps";
import { cleanup, findTools, prepare } from "./deploy-local/workspace";

export const DEPLOY_LOCAL_ARGS = { usage: "usage: npm run deploy:local [-- --config <config file>]", switches: [], options: ["config"] } as const;

const tail = (file: string, lines = 40) => {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
};

async function main(): Promise<number> {
  const started = Date.now();
  const { tools, missing, notes } = findTools();
  if (!tools) {
    console.error(`deploy:local needs ${missing.join("; ")}`);
    return 1;
  }
  notes.forEach((n) => console.log(`note: ${n}`));
  let configFile: string | undefined;
  try {
    const { options } = parseArgv(process.argv.slice(2), DEPLOY_LOCAL_ARGS);
    configFile = options.config === undefined ? undefined : path.resolve(options.config);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`deploy:local: ${e.message}`);
    return 2;
  }
  const d = await prepare(tools, configFile, { print: (line) => console.log(line) });
  console.log(`moto on ${d.moto.endpoint} (pid ${d.moto.pid}); terraform's output goes to ${d.logFile} (kept if a step fails)`);
  let failed = false;
  try {
    for (const step of deploySteps({ adopts: d.adopted.length > 0 })) {
      const t = Date.now();
      process.stdout.write(`… ${step.name}\n`);
      try {
        await step.run(d);
        console.log(`✓ ${step.name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
      } catch (e) {
        console.error(`✗ ${step.name} (${((Date.now() - t) / 1000).toFixed(1)} s)\n${(e as Error).message}\n--- last lines of ${d.logFile}\n${tail(d.logFile)}`);
        failed = true;
        break;
      }
    }
  } finally {
    await cleanup(d, failed);
  }
  if (!failed) for (const line of d.done) console.log(`  ${line}`);
  console.log(`${failed ? "FAILED" : "passed"} in ${((Date.now() - started) / 1000).toFixed(1)} s${failed ? `; the log is ${d.logFile}, the work folder ${d.work} is kept` : ""}`);
  return failed ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

