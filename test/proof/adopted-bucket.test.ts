// verify on an adopted bucket (examples/adopt-existing.json): an imported bucket must carry
// prevent_destroy, and dropping it is caught with the fix.
import * as path from "node:path";
import { verify } from "../../proof/index";
import { runApp } from "../support/app";
import { PROJECT_ROOT } from "../support/fixtures";
import { mutated } from "../support/mutate";

const synth = runApp(path.join(PROJECT_ROOT, "examples", "adopt-existing.json")).outdir;
const ID = "alice_customers_archive_111111111111";
const CHECK = "an adopted bucket is never destroyed";

test("the imported bucket, and only it, is checked for prevent_destroy", async () => {
  const report = await verify(synth);
  expect(report.findings.filter((f) => f.check === CHECK).map((f) => [f.holds, f.detail])).toEqual([
    [true, "alice-customers-archive-111111111111: imported; lifecycle.prevent_destroy true"],
  ]);
});

test("an imported bucket without prevent_destroy fails, naming the fix", async () => {
  const report = await verify(mutated(synth, (s) => delete s.source.resource.aws_s3_bucket[ID].lifecycle));
  const failed = report.findings.filter((f) => !f.holds);
  expect(failed.map((f) => f.check)).toEqual([CHECK]);
  expect(failed[0].fix).toMatch(new RegExp(`^set lifecycle \\{ prevent_destroy = true \\} on aws_s3_bucket.${ID}`));
  expect(report.ok).toBe(false);
});
