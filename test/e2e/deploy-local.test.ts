// The real deployment path (cdktf deploy through the project's bring-up command) onto two
// emulated AWS accounts: the same steps as `npm run deploy:local -- --config examples/fleet.json`,
// one test per step. The fleet covers what the single pair does (it is the same code, with the
// pair's resource names), plus several buckets and rules per bucket.
import * as path from "node:path";
import { PROJECT_ROOT } from "../support/fixtures";
import { describeEmulatedDeploy } from "../support/emulated-deploy";

// Monitoring and Object Lock (on one source bucket and the buckets it writes into) too: one
// deployment proves the fleet, its alerts and its locks.
describeEmulatedDeploy(
  "deploy, check and destroy examples/fleet.json, with monitoring and one locked pair, on two emulated accounts (terraform + moto)",
  path.join(PROJECT_ROOT, "examples", "fleet.json"),
  { withMonitoring: true, withObjectLock: true },
);
