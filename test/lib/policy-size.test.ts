// The app's refusal to write a policy AWS would reject: each policy measured as AWS measures it,
// references at their longest.
import { tmpdir } from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { buildApp } from "../../main";
import { parseAnyConfig, parseConfig } from "../../lib/config";
import { deployedPolicySize, measuredPolicies, overLimitMessage, policiesOverLimit } from "../../lib/policy-size";
import { fanInFleet, fanOutFleet } from "../../dev/generate-fleet";
import { CONFIG_VARIANTS, defaultRawConfig } from "../support/fixtures";

// cdktf's App makes its output folder at once: in the test file's temporary folder, not the project.
const overLimit = (raw: unknown) => policiesOverLimit(buildApp(parseAnyConfig(raw), new App({ outdir: path.join(tmpdir(), "cdktf.out") })));

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

  test("fan-out: one bucket into 40 of Bob's outgrows a role's inline limit, so its grants become managed policies, each within 6,144", () => {
    const app = buildApp(parseConfig(fanOutFleet(40)), new App({ outdir: path.join(tmpdir(), "cdktf.out") }));
    const managed = measuredPolicies(app).filter((p) => p.what.startsWith("the managed policy "));
    expect(managed.length).toBeGreaterThan(1);
    expect(managed.every((p) => p.size <= 6_144 && p.limit === 6_144)).toBe(true);
    expect(managed.reduce((n, p) => n + p.size, 0)).toBeGreaterThan(20_000);
    expect(measuredPolicies(app).filter((p) => p.what.startsWith("the inline policies"))).toEqual([]);
    expect(policiesOverLimit(app)).toEqual([]);
  });

  test("fan-out: one bucket into 130 of Bob's needs more managed policies than a role holds (10): refused", () => {
    const over = overLimit(fanOutFleet(130));
    expect(over.map((o) => [o.what, o.limit, o.unit])).toEqual([["the managed policies attached to role s3-replication-alice-fanout-111111111111", 10, "policies"]]);
    expect(overLimitMessage(over)).toMatch(/the managed policies attached to role s3-replication-alice-fanout-111111111111 would be 1\d, over IAM's 10: /);
  });

  test("fan-in: 300 buckets into one of Bob's outgrow S3's bucket policy and KMS's key policy limits; 100 fit", () => {
    expect(overLimit(fanInFleet(300)).map((o) => [o.what, o.limit])).toEqual([
      ["the bucket policy of bob-archive-222222222222", 20_480],
      ['the key policy of the key "Encrypts replicas in s3://bob-archive-222222222222"', 32_768],
    ]);
    expect(overLimit(fanInFleet(100))).toEqual([]);
  });
});
