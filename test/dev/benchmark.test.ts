// npm run bench refuses arguments it cannot use with a usage line and exit 2, before measuring anything.
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { PROJECT_ROOT } from "../support/fixtures";

const bench = (...args: string[]) => spawnSync(process.execPath, [path.join(PROJECT_ROOT, "dist", "dev", "benchmark.js"), ...args], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 30_000 });

test.each([
  [["--shape", "bad"], /--shape must be one of fleet, fan-in, fan-out/],
  [["--fleet", "1,x"], /--fleet takes whole numbers of source buckets/],
  [["--runs", "0"], /--runs takes a whole number of runs/],
])("npm run bench %j: exit 2, naming the option", (args, message) => {
  const r = bench(...args);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toMatch(/usage: npm run bench/);
  expect(r.stdout).toBe("");
});
