// An organization on moto: two source accounts and one destination account brought up, checked,
// grown by a fourth account and destroyed with the project's commands (dev/deploy-local/organization.ts),
// one test per step. Skipped, loudly, without terraform, moto or the provider mirror.
import { organizationSteps, prepareOrganization, type OrganizationDeployment } from "../../dev/deploy-local/organization";
import { cleanup, findTools } from "../../dev/deploy-local/workspace";
import { findProviderMirror } from "../../dev/toolchain";
import { stepTests } from "../support/emulated-deploy";
import { describeWithTools, missingReasons } from "../support/tools";

const { tools, missing } = findTools();

describeWithTools("an organization of three accounts on moto: bring-up, isolation, a fourth account, destroy", [...missing, ...missingReasons(findProviderMirror())], () => {
  let d: OrganizationDeployment;
  let failedStep: string | undefined;
  beforeAll(async () => {
    d = await prepareOrganization(tools!);
  }, 60_000);
  afterAll(async () => {
    if (d) await cleanup(d, Boolean(failedStep));
    if (failedStep) console.error(`organization e2e failed at "${failedStep}"; work folder kept: ${d?.work}`);
  }, 30_000);
  stepTests(organizationSteps, () => d, (name) => (failedStep = name));
});
