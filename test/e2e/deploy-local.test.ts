// The real deployment path (cdktf deploy through the project's bring-up command) onto two
// emulated AWS accounts: the same steps as `npm run deploy:local`, one test per step.
import { cleanup, deploySteps, findTools, prepare, type LocalDeployment } from "../../scripts/deploy-local";
import { findProviderMirror } from "../../scripts/toolchain";
import { describeWithTools, missingReasons } from "../support/tools";

const { tools, missing } = findTools();
// Here the mirror is required: CI is offline, so terraform could not download the provider.
const required = [...missing, ...missingReasons(findProviderMirror())];

describeWithTools("deploy, check and destroy on an emulated pair of accounts (terraform + moto)", required, () => {
  let deployment: LocalDeployment;
  let failedStep: string | undefined;

  beforeAll(async () => {
    deployment = await prepare(tools!);
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
