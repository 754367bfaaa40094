import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the command (and everything it started) after this long; a hang then fails instead of waiting forever. */
  timeoutMs?: number;
  /** Append the command's output to this file instead of showing it. */
  logFile?: string;
  /** With logFile: also hand each chunk of output here (e.g. a TerraformProgress). */
  onOutput?: (chunk: string) => void;
  /** Interrupts the command (SIGTERM to it and everything it started: terraform stops cleanly, writing its state), as a cancelled pipeline does. */
  signal?: AbortSignal;
}

/** Runs a command to completion; resolves with its exit status (124 after a timeout, like timeout(1)). */
export function runCommand(command: string, args: string[], opts: RunOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const toFile = opts.logFile;
    if (toFile) appendFileSync(toFile, `\n$ ${[command, ...args].join(" ")}\n`);
    // Its own process group, so a timeout also stops the terraform processes cdktf started.
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: toFile ? ["ignore", "pipe", "pipe"] : "inherit",
      detached: Boolean(opts.timeoutMs || opts.signal),
    });
    const interrupt = () => {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
    };
    opts.signal?.addEventListener("abort", interrupt, { once: true });
    if (toFile) {
      for (const stream of [child.stdout, child.stderr]) {
        stream?.on("data", (d: Buffer) => {
          appendFileSync(toFile, d);
          opts.onOutput?.(d.toString("utf8"));
        });
      }
    }
    let timedOut = false;
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          try {
            process.kill(-child.pid!, "SIGKILL");
          } catch {
            child.kill("SIGKILL");
          }
        }, opts.timeoutMs)
      : undefined;
    child.on("error", reject);
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener("abort", interrupt);
      if (toFile && timedOut) appendFileSync(toFile, `\n[killed after ${opts.timeoutMs} ms]\n`);
      resolve(timedOut ? 124 : (code ?? 1));
    });
  });
}
