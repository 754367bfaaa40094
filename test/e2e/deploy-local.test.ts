// The real deployment path (cdktf deploy through the project's bring-up command) onto two
// emulated AWS accounts: the same steps as `npm run deploy:local -- --config examples/fleet.json`,
// one test per step. The fleet covers what the single pair does (it is the same code, with the
// pair's resource names), plus several buckets and rules per bucket.
import * as path from "node:path";
import { deploySteps } from "../../scripts/deploy-local/steps";
import { cleanup, findTools, prepare, type LocalDeployment } from "../../scripts/deploy-local/workspace";
import { findProviderMirror } from "../../scripts/toolchain";
import { PROJECT_ROOT } from "../support/fixtures";
import { describeWithTools, missingReasons } from "../support/tools";

const { tools, missing } = findTools();
// Here the mirror is required: CI is offline, so terraform could not download the provider.
const required = [...missing, ...missingReasons(findProviderMirror())];

describeWithTools("deploy, check and destroy examples/fleet.json, with monitoring on, on two emulated accounts (terraform + moto)", required, () => {
  let deployment: LocalDeployment;
  let failedStep: string | undefined;

  beforeAll(async () => {
    // Monitoring on too: one deployment proves the fleet and its alerts.
    deployment = await prepare(tools!, path.join(PROJECT_ROOT, "examples", "fleet.json"), { withMonitoring: true });
  }, 60_000);

  afterAll(async () => {
    if (deployment) await cleanup(deployment, Boolean(failedStep));
    if (failedStep) console.error(`e2e failed at "${failedStep}"; work folder kept: ${deployment?.work}`);
  }, 30_000);

  for (const step of deploySteps) {
    test(
      step.name,
      async () => {
        if (failedStep) throw new Error(`not run: an earlier step failed ("${failedStep}")`);
        try {
          await step.run(deployment);
        } catch (e) {
          failedStep = step.name;
          throw e;
        }
      },
      // Every command inside is bounded (scripts/run-command.ts); this bounds the step as a whole.
      10 * 60_000,
    );
  }
});
