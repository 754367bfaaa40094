// moto_server on a free loopback port, standing in for both AWS accounts. The SDK clients that act
// inside one emulated account are tools/accounts.ts's clientsFor.
import { spawn, type ChildProcess } from "node:child_process";
import { openSync } from "node:fs";
import { createServer } from "node:net";
import type { ReplicationRuleField } from "../proof/replication-rule";

/**
 * The fields of a replication rule moto does not read back as written: it drops the source
 * selection criteria and reports every filter as prefix "" and every delete-marker setting as
 * Disabled (the second plan's gap, dev/deploy-local/plan-diff.ts; verify --live's notes).
 */
export const MOTO_RULE_READ_BACK_GAP: readonly ReplicationRuleField[] = ["filter", "source_selection_criteria", "delete_marker_replication"];

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
