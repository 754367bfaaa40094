// The real deployment path (cdktf deploy through the project's bring-up command) onto two
// emulated AWS accounts: the same steps as `npm run deploy:local -- --config <file>`, one test per
// step. One deployment (one moto run, one bring-up, one destroy) proves as much as it can at once:
// the fleet example (several buckets and rules per bucket; the pair is the same code with the
// pair's resource names), examples/adopt-existing.json's buckets beside it (one adopted: created
// with data before bring-up, imported, detached before destroy), monitoring on, and a two-way pair
// with Object Lock on both buckets.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../support/fixtures";
import { describeEmulatedDeploy } from "../support/emulated-deploy";

const example = (name: string) => JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples", name), "utf8"));
const fleet = example("fleet.json");
const adopting = example("adopt-existing.json");
const config = path.join(mkdtempSync(path.join(tmpdir(), "e2e-config-")), "fleet-and-adopted.json");
writeFileSync(
  config,
  JSON.stringify({
    ...fleet,
    $schema: undefined,
    sourceBuckets: [...fleet.sourceBuckets, ...adopting.sourceBuckets],
    destinationBuckets: [...fleet.destinationBuckets, ...adopting.destinationBuckets],
  }),
);

describeEmulatedDeploy(
  "deploy, check and destroy examples/fleet.json with examples/adopt-existing.json's buckets, monitoring and a locked two-way pair, on two emulated accounts (terraform + moto)",
  config,
  { withMonitoring: true, withTwoWay: true },
);
