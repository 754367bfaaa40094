// The app's refusal to write a policy AWS would reject: each policy measured as AWS measures it,
// references at their longest.
import { tmpdir } from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { buildApp } from "../../main";
import { parseConfig } from "../../lib/config";
import { deployedPolicySize, policiesOverLimit } from "../../lib/policy-size";
import { fanInFleet, fanOutFleet } from "../../dev/generate-fleet";
import { CONFIG_VARIANTS, defaultRawConfig } from "../support/fixtures";

// cdktf's App makes its output folder at once: in the test file's temporary folder, not the project.
const overLimit = (raw: unknown) => policiesOverLimit(buildApp(parseConfig(raw), new App({ outdir: path.join(tmpdir(), "cdktf.out") })));

describe("deployedPolicySize", () => {
  test("whitespace does not count; a role ARN reference counts at IAM's longest role ARN (95)", () => {
    expect(deployedPolicySize('{ "Resource": "${aws_iam_role.r.arn}" }')).toBe('{"Resource":""}'.length + 95);
  });

  test("a key ARN reference counts a real key ID, not the short placeholder", () => {
    // arn:aws:kms: (12) + ap-southeast-1 (14) + : (1) + account (12) + :key/ (5) + key ID (36)
    expect(deployedPolicySize("${aws_kms_key.k.arn}")).toBe(80);
  });

  test("a reference nobody measured is an error, never an undercount", () => {
    expect(() => deployedPolicySize("${aws_lambda_function.f.arn}")).toThrow(/no longest value known for the reference \$\{aws_lambda_function.f.arn\}/);
  });
});

describe("policiesOverLimit", () => {
  test.each(Object.entries(CONFIG_VARIANTS))("%s: every policy within its limit", (_name, change) => {
    const raw = defaultRawConfig();
    change(raw);
    expect(overLimit(raw)).toEqual([]);
  });

  test("fan-out: one bucket into 40 of Bob's outgrows IAM's 10,240 for a role's inline policies", () => {
    const over = overLimit(fanOutFleet(40));
    expect(over.map((o) => [o.what, o.limit, o.service])).toEqual([["the inline policies of role s3-replication-alice-fanout-111111111111, together", 10_240, "IAM"]]);
    expect(over[0].size).toBeGreaterThan(20_000);
  });

  test("fan-in: 300 buckets into one of Bob's outgrow S3's bucket policy and KMS's key policy limits; 100 fit", () => {
    expect(overLimit(fanInFleet(300)).map((o) => [o.what, o.limit])).toEqual([
      ["the bucket policy of bob-archive-222222222222", 20_480],
      ['the key policy of the key "Encrypts replicas in s3://bob-archive-222222222222"', 32_768],
    ]);
    expect(overLimit(fanInFleet(100))).toEqual([]);
  });
});
