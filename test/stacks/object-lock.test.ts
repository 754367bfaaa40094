// Object Lock in both stacks (examples/object-lock.json): the setting on exactly the locked buckets,
// after versioning, and the lock reads in the role policy of exactly the locked source.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseConfig } from "../../lib/config";
import { bucketAddresses } from "../../lib/encrypted-bucket";
import { policyIn, PROJECT_ROOT, statement, synthPair } from "../support/fixtures";

const config = parseConfig(JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples", "object-lock.json"), "utf8")));
const { source, dest } = synthPair(config);
const locks = (stack: any) => stack.resource.aws_s3_bucket_object_lock_configuration ?? {};

describe("Object Lock", () => {
  test("each locked bucket gets its object lock configuration, written after its versioning; the others none", () => {
    expect(Object.keys(locks(source))).toEqual(["alice_records_111111111111"]);
    expect(locks(source).alice_records_111111111111).toMatchObject({
      bucket: "${aws_s3_bucket.alice_records_111111111111.id}",
      object_lock_enabled: "Enabled",
      rule: { default_retention: { mode: "COMPLIANCE", years: 7 } },
      depends_on: ["aws_s3_bucket_versioning.alice_records_111111111111"],
    });
    expect(locks(dest)).toMatchObject({
      bob_records_vault_222222222222: { rule: { default_retention: { mode: "COMPLIANCE", years: 7 } } },
      bob_log_archive_222222222222: { rule: { default_retention: { mode: "GOVERNANCE", days: 90 } } },
    });
    expect(locks(dest).bob_log_archive_222222222222.rule.default_retention.years).toBeUndefined();
  });

  test("the bucket itself is not marked object_lock_enabled: changing that attribute replaces a bucket", () => {
    for (const stack of [source, dest]) {
      for (const bucket of Object.values<any>(stack.resource.aws_s3_bucket)) expect(bucket.object_lock_enabled).toBeUndefined();
    }
  });

  test("the role of the locked source reads retention and legal holds; the other role does not", () => {
    const reads = (bucket: string) => statement(policyIn(source, "aws_iam_role_policy", `${bucket}_replication_role_policy`), "ReadSourceObjectVersions").Action;
    expect(reads("alice_records_111111111111")).toEqual(expect.arrayContaining(["s3:GetObjectRetention", "s3:GetObjectLegalHold"]));
    expect(reads("alice_app_logs_111111111111")).not.toEqual(expect.arrayContaining(["s3:GetObjectRetention"]));
    expect(reads("alice_app_logs_111111111111")).not.toEqual(expect.arrayContaining(["s3:GetObjectLegalHold"]));
  });

  test("state rm of an adopted bucket names its object lock configuration only when it has one", () => {
    expect(bucketAddresses("b")).not.toContain("aws_s3_bucket_object_lock_configuration.b");
    expect(bucketAddresses("b", true)).toContain("aws_s3_bucket_object_lock_configuration.b");
  });
});
