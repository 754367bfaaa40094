// What adopting an existing bucket must prove on the emulator (issue "Bring existing buckets"): the
// first plan imports and destroys or replaces nothing; the bucket keeps every object; a destroy plan
// is refused while the bucket is in state (prevent_destroy); once detached, destroy leaves it, with
// its objects and its own policy statements, in place.
import { strict as assert } from "node:assert";
import { GetBucketPolicyCommand } from "@aws-sdk/client-s3";
import { bucketAddresses } from "../../lib/encrypted-bucket";
import { DESTINATION_READY_VARIABLE, sourceBucketNames } from "../../lib/naming";
import { CDKTF } from "../../tools/project-root";
import { runCommand } from "../../tools/run-command";
import { parsePolicy, terraform } from "./inspect";
import { planResourceChanges } from "./plan-diff";
import { md5, SEEDED_OBJECTS, storedObjects } from "./seed";
import { COMMAND_TIMEOUT_MS, type LocalDeployment } from "./workspace";

const adoptedConfigs = (d: LocalDeployment) => d.config.sourceBuckets.filter((b) => d.adopted.includes(b.bucketName));

/** Before bring-up: the first plan of source imports each adopted bucket (and its policy) and deletes nothing. */
export async function checkFirstPlanAdopts(d: LocalDeployment): Promise<void> {
  const synth = await runCommand(CDKTF, ["synth", "--no-color"], { cwd: d.work, env: d.env, timeoutMs: COMMAND_TIMEOUT_MS, logFile: d.logFile });
  assert.equal(synth, 0, `cdktf synth failed; see ${d.logFile}`);
  assert.equal(terraform(d, "source", ["init", "-input=false", "-no-color"]).status, 0, `terraform init of source failed; see ${d.logFile}`);
  const changes = planResourceChanges(d, "source", ["-var", `${DESTINATION_READY_VARIABLE}=false`]);
  const destructive = changes.filter((c) => c.change.actions.includes("delete"));
  assert.deepEqual(destructive.map((c) => `${c.address}: ${c.change.actions.join("+")}`), [], "the first plan destroys or replaces nothing");
  for (const b of adoptedConfigs(d)) {
    const id = sourceBucketNames(d.config, b.bucketName).bucket;
    const imported = bucketAddresses(id).filter((address) => changes.find((c) => c.address === address)?.change.importing?.id === b.bucketName);
    const expected = [`aws_s3_bucket.${id}`, ...(b.existing!.bucketPolicyStatements.length ? [`aws_s3_bucket_policy.${id}`] : [])];
    assert.deepEqual(imported, expected, `${b.bucketName} and its policy are imported, not created`);
    for (const address of expected) {
      const actions = changes.find((c) => c.address === address).change.actions;
      assert.ok(["no-op", "update"].includes(actions.join("+")), `${address}: imported and updated in place at most, not ${actions.join("+")}`);
    }
  }
}

/** The objects each adopted bucket held before bring-up, unchanged. */
export async function checkAdoptedObjects(d: LocalDeployment): Promise<void> {
  const expected = Object.fromEntries(Object.entries(SEEDED_OBJECTS).map(([name, body]) => [name, md5(body)]));
  for (const bucket of d.adopted) assert.deepEqual(await storedObjects(d.moto.endpoint, bucket), expected, `the objects of ${bucket}`);
}

/** A destroy of source is refused while an adopted bucket is in state; then each is detached (docs/existing-buckets.md, "Adopting"). */
export async function refuseThenDetach(d: LocalDeployment): Promise<void> {
  // A destroy plan, as `cdktf destroy` starts with: refused before anything is destroyed.
  const refused = terraform(d, "source", ["plan", "-destroy", "-input=false", "-no-color"]);
  assert.notEqual(refused.status, 0, "prevent_destroy makes a destroy of source fail");
  for (const b of adoptedConfigs(d)) {
    const address = `aws_s3_bucket.${sourceBucketNames(d.config, b.bucketName).bucket}`;
    assert.match(refused.stderr, new RegExp(`Instance cannot be destroyed[\\s\\S]*${address}[\\s\\S]*prevent_destroy`), `terraform names ${address} and prevent_destroy`);
  }
  for (const b of adoptedConfigs(d)) {
    const detach = terraform(d, "source", ["state", "rm", "-no-color", ...bucketAddresses(sourceBucketNames(d.config, b.bucketName).bucket)]);
    assert.equal(detach.status, 0, `terraform state rm of ${b.bucketName}: ${detach.stderr}`);
  }
}

/** After destroy: each adopted bucket is still there, with its objects and its own statements. */
export async function checkAdoptedAfterDestroy(d: LocalDeployment): Promise<void> {
  await checkAdoptedObjects(d);
  for (const b of adoptedConfigs(d)) {
    const { Policy } = await d.sourceClients.s3.send(new GetBucketPolicyCommand({ Bucket: b.bucketName }));
    const kept = parsePolicy(Policy!).Statement;
    for (const own of b.existing!.bucketPolicyStatements) assert.deepEqual(kept.find((s) => s.Sid === own.Sid), own, `${b.bucketName} keeps its statement ${own.Sid}`);
  }
}
