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
