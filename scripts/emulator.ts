// moto_server on a free loopback port, standing in for both AWS accounts, and SDK clients that
// act inside one emulated account (STS AssumeRole into a role ARN of that account).
import { spawn, type ChildProcess } from "node:child_process";
import { openSync } from "node:fs";
import { createServer } from "node:net";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";

export const EMULATOR_KEYS = { accessKeyId: "test", secretAccessKey: "test" };

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface Moto {
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts moto_server on 127.0.0.1 only and waits until it answers. */
export async function startMoto(motoServer: string, logFile: string, timeoutMs = 30_000): Promise<Moto> {
  const port = await freeLoopbackPort();
  const out = openSync(logFile, "a");
  const child: ChildProcess = spawn(motoServer, ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", out, out] });
  const endpoint = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(killer);
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}); see ${logFile}`);
    try {
      await fetch(`${endpoint}/moto-api/`);
      return { endpoint, pid: child.pid!, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await stop();
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms; see ${logFile}`);
}

export interface AccountClients {
  accountId: string;
  s3: S3Client;
  kms: KMSClient;
  iam: IAMClient;
  sns: SNSClient;
  cloudwatch: CloudWatchClient;
}

/** SDK clients acting in `accountId` of the emulator, in `region`. */
export async function clientsFor(endpoint: string, accountId: string, region: string): Promise<AccountClients> {
  const sts = new STSClient({ endpoint, region, credentials: EMULATOR_KEYS });
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/e2e-inspector`, RoleSessionName: "e2e" }),
  );
  const credentials = { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken };
  return {
    accountId,
    s3: new S3Client({ endpoint, region, credentials, forcePathStyle: true }),
    kms: new KMSClient({ endpoint, region, credentials }),
    iam: new IAMClient({ endpoint, region, credentials }),
    sns: new SNSClient({ endpoint, region, credentials }),
    cloudwatch: new CloudWatchClient({ endpoint, region, credentials }),
  };
}
