// cdktf's jest matchers (toHaveResourceWithProperties, toBeValidTerraform, ...).
const { Testing } = require("cdktf");
Testing.setupJest();

// Every temporary folder a test file makes (synth output, mutated copies, bad configs, cdktf's own
// Testing folders, the processes it spawns) goes under one folder of its own, removed when the file
// is done. os.tmpdir is replaced, not only TMPDIR: jest gives each test file a copy of process.env,
// which Node's os module never reads, but the os module itself is shared. KEEP_TEST_TMP=1 keeps it.
const os = require("node:os");
const { mkdtempSync, rmSync } = require("node:fs");
const path = require("node:path");
const systemTmpdir = os.tmpdir;
const own = mkdtempSync(path.join(systemTmpdir(), "s3-replication-test-"));
const previous = process.env.TMPDIR;
os.tmpdir = () => own;
process.env.TMPDIR = own; // for the processes the tests spawn with process.env
afterAll(() => {
  os.tmpdir = systemTmpdir;
  if (previous === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previous;
  if (process.env.KEEP_TEST_TMP !== "1") rmSync(own, { recursive: true, force: true });
  else process.stderr.write(`kept ${own}\n`);
});
