// npm run backfill -- --bucket <source bucket> [--config <file>] [--dry-run] [--token <client token>]
//
// Starts an S3 Batch Replication job that replicates the objects one of Alice's buckets held before
// its replication rules existed (and retries failed ones), with the backfill role the source stack
// creates when the bucket's `backfill` is set. Prints the job ID and how to follow it. --dry-run
// prints the CreateJob request instead of sending it. The same command the same UTC day sends the
// same client token, so it never starts a second job; --token starts another. Exit 0 started (or
// already started), 1 AWS refused, 2 bad input.
import { CreateJobCommand, S3ControlClient } from "@aws-sdk/client-s3-control";
import { ConfigError, loadConfig } from "../lib/config";
import { AccountAccessError, accountOf, awsClientConfig, checkAccount, credentialsError } from "./accounts";
import { BackfillInputError, backfillJobRequest, backfillToken, followInstructions } from "./backfill/job";
import { parseArgv, UsageError } from "./cli";

export const BACKFILL_ARGS = {
  usage: "usage: npm run backfill -- --bucket <source bucket> [--config <config file>] [--dry-run] [--token <client token>]",
  switches: ["dry-run"],
  options: ["bucket", "config", "token"],
} as const;

export function parseArgs(argv: string[]): { bucket: string; config?: string; dryRun: boolean; token?: string } {
  const { switches, options } = parseArgv(argv, BACKFILL_ARGS);
  if (!options.bucket) throw new UsageError(`--bucket is required: ${BACKFILL_ARGS.usage}`);
  // CreateJob's ClientRequestToken: 1 to 64 characters.
  if (options.token !== undefined && !/^[\x21-\x7e]{1,64}$/.test(options.token)) throw new UsageError(`--token must be 1 to 64 printable characters without spaces: ${BACKFILL_ARGS.usage}`);
  return { bucket: options.bucket, config: options.config, dryRun: switches.has("dry-run"), ...(options.token !== undefined ? { token: options.token } : {}) };
}

async function main(): Promise<number> {
  try {
    const args = parseArgs(process.argv.slice(2));
    const config = loadConfig(args.config);
    if (config.emulator) throw new BackfillInputError("the config points at the emulator, which has no S3 Batch Operations: run backfill against AWS");
    const request = backfillJobRequest(config, args.bucket, args.token ?? backfillToken(config, args.bucket, new Date()));
    if (args.dryRun) {
      process.stdout.write(`${JSON.stringify(request, null, 2)}\n`);
      return 0;
    }
    let client: S3ControlClient;
    try {
      const clientConfig = await awsClientConfig(config.sourceAccount, "s3-backfill");
      checkAccount(config.sourceAccount, "source", await accountOf(clientConfig));
      client = new S3ControlClient(clientConfig);
    } catch (e) {
      throw e instanceof AccountAccessError ? e : credentialsError(config.sourceAccount, "source", e as Error);
    }
    const { JobId } = await client.send(new CreateJobCommand(request));
    process.stdout.write(`${followInstructions(config, args.bucket, JobId ?? "?").join("\n")}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof BackfillInputError || e instanceof ConfigError || e instanceof AccountAccessError) {
      process.stderr.write(`backfill: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`backfill: S3 refused the job (${(e as Error).name}: ${(e as Error).message})\n`);
    return 1;
  }
}

if (require.main === module) main().then((code) => (process.exitCode = code));
