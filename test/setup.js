// cdktf's jest matchers (toHaveResourceWithProperties, toBeValidTerraform, ...).
const { Testing } = require("cdktf");
Testing.setupJest();

// Every temporary folder a test file makes (synth output, mutated copies, bad configs, the
// processes it spawns) goes under one folder of its own, removed when the file is done.
// KEEP_TEST_TMP=1 keeps it, to look at what a failing test wrote.
const { mkdtempSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const path = require("node:path");
const previous = process.env.TMPDIR;
const own = mkdtempSync(path.join(tmpdir(), "s3-replication-test-"));
process.env.TMPDIR = own;
afterAll(() => {
  if (previous === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previous;
  if (process.env.KEEP_TEST_TMP !== "1") rmSync(own, { recursive: true, force: true });
  else process.stderr.write(`kept ${own}\n`);
});
