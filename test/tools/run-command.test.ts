import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { runCommand } from "../../tools/run-command";

const scratch = mkdtempSync(path.join(tmpdir(), "run-command-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test("resolves with the command's exit status and appends its output to the log", async () => {
  const log = path.join(scratch, "ok.log");
  expect(await runCommand("sh", ["-c", "echo out; echo err >&2; exit 3"], { logFile: log })).toBe(3);
  expect(readFileSync(log, "utf8")).toBe('\n$ sh -c echo out; echo err >&2; exit 3\nout\nerr\n');
});

test("a command that outlives its timeout is killed with everything it started, and resolves 124", async () => {
  const log = path.join(scratch, "slow.log");
  const started = Date.now();
  expect(await runCommand("sh", ["-c", "sleep 30 & sleep 30"], { logFile: log, timeoutMs: 300 })).toBe(124);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(readFileSync(log, "utf8")).toMatch(/\[killed after 300 ms\]\n$/);
});

test("a command that cannot start rejects", async () => {
  await expect(runCommand(path.join(scratch, "no-such-program"), [])).rejects.toThrow(/ENOENT/);
});

test("an interrupted command gets SIGTERM, with everything it started, and can finish cleanly first", async () => {
  const log = path.join(scratch, "interrupted.log");
  const interrupt = new AbortController();
  // The child traps SIGTERM as terraform does: it writes what it was doing, then exits.
  const running = runCommand("sh", ["-c", "trap 'echo state written; exit 130' TERM; echo started; while true; do sleep 0.1; done"], {
    logFile: log,
    signal: interrupt.signal,
    onOutput: (chunk) => {
      if (chunk.includes("started")) interrupt.abort();
    },
  });
  expect(await running).toBe(130);
  // The sleep of the group is terminated too (the shell may report it, in any order).
  const output = readFileSync(log, "utf8");
  expect(output).toMatch(/\nstarted\n/);
  expect(output).toMatch(/\nstate written\n/);
});
