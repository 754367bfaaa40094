// One emulated deploy as a jest suite: prepare the scratch project on moto, run the deploy steps of
// dev/deploy-local/steps.ts one test each (a failed step stops the rest), clean up. Skipped,
// loudly, without terraform, moto or the provider mirror (test/support/tools.ts).
import { readFileSync } from "node:fs";
import { adoptedBucketNames } from "../../dev/deploy-local/seed";
import { deploySteps } from "../../dev/deploy-local/steps";
import { cleanup, findTools, prepare, type LocalDeployment } from "../../dev/deploy-local/workspace";
import { findProviderMirror } from "../../dev/toolchain";
import { describeWithTools, missingReasons } from "./tools";

export function describeEmulatedDeploy(title: string, configFile: string, options: { withMonitoring?: boolean; withTwoWay?: boolean } = {}): void {
  const { tools, missing } = findTools();
  // The step list is fixed before the deployment exists: adoption's steps when the file adopts.
  const adopts = adoptedBucketNames(JSON.parse(readFileSync(configFile, "utf8"))).length > 0;
  // Here the mirror is required: CI is offline, so terraform could not download the provider.
  const required = [...missing, ...missingReasons(findProviderMirror())];

  describeWithTools(title, required, () => {
    let deployment: LocalDeployment;
    let failedStep: string | undefined;

    beforeAll(async () => {
      deployment = await prepare(tools!, configFile, { withMonitoring: options.withMonitoring, withTwoWay: options.withTwoWay });
    }, 60_000);

    afterAll(async () => {
      if (deployment) await cleanup(deployment, Boolean(failedStep));
      if (failedStep) console.error(`e2e failed at "${failedStep}"; work folder kept: ${deployment?.work}`);
    }, 30_000);

    stepTests(deploySteps({ adopts, grows: options.withTwoWay }), () => deployment, (name) => (failedStep = name));
  });
}

/**
 * One test per step of a deployment, in order; a failed step stops the rest (each then says which
 * failed). `failed` is told the failed step's name, for the suite's cleanup.
 */
export function stepTests<D>(steps: { name: string; run(d: D): Promise<void> }[], deployment: () => D, failed: (name: string) => void): void {
  let failedStep: string | undefined;
  for (const step of steps) {
    test(
      step.name,
      async () => {
        if (failedStep) throw new Error(`not run: an earlier step failed ("${failedStep}")`);
        try {
          await step.run(deployment());
        } catch (e) {
          failed((failedStep = step.name));
          throw e;
        }
      },
      // Every command inside is bounded (tools/run-command.ts); this bounds the step as a whole.
      10 * 60_000,
    );
  }
}
