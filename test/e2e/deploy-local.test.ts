// The real deployment path (cdktf deploy through the project's bring-up command) onto two
// emulated AWS accounts: the same steps as `npm run deploy:local -- --config examples/fleet.json`,
// one test per step. The fleet covers what the single pair does (it is the same code, with the
// pair's resource names), plus several buckets and rules per bucket.
import * as path from "node:path";
import { PROJECT_ROOT } from "../support/fixtures";
import { describeEmulatedDeploy } from "../support/emulated-deploy";

// Monitoring, and a two-way pair with Object Lock on both buckets, too: one deployment proves
// the fleet, its alerts, a way back and the locks.
describeEmulatedDeploy(
  "deploy, check and destroy examples/fleet.json, with monitoring and a locked two-way pair, on two emulated accounts (terraform + moto)",
  path.join(PROJECT_ROOT, "examples", "fleet.json"),
  { withMonitoring: true, withTwoWay: true },
);
