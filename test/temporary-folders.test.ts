// Tests leave nothing in the system's temporary folder: each test file's folders, and those of the
// processes it spawns, go under one folder of its own that test/setup.js removes when the file ends.
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import * as path from "node:path";

test("a test file's temporary folder is its own, and its child processes use it too", () => {
  expect(path.basename(tmpdir())).toMatch(/^s3-replication-test-/);
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(require('node:os').tmpdir())"], { encoding: "utf8", env: process.env });
  expect(child.stdout).toBe(tmpdir());
});
