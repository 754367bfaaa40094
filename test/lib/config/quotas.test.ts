// Account quotas AWS raises on request: a fleet past one is warned about, not refused.
import { parseConfig } from "../../../lib/config";
import { quotaWarnings } from "../../../lib/config/quotas";
import { generatedFleet } from "../../../dev/generate-fleet";

test("1,000 source buckets fit IAM's default 1,000 roles; 1,001 get a warning naming the quota and how to raise it", () => {
  expect(quotaWarnings(parseConfig(generatedFleet(1000)))).toEqual([]);
  expect(quotaWarnings(parseConfig(generatedFleet(1001)))).toEqual([
    "Alice's account 111111111111 gets 1001 roles (a replication role per source bucket, a backfill role per backfill), over IAM's default quota of 1000 roles per account (with the roles it has already): ask for an increase in Service Quotas (IAM, \"Roles per account\") before deploying",
  ]);
});

test("more than 1,000 rules on one bucket is refused: S3's limit per replication configuration", () => {
  const raw: any = generatedFleet(1);
  raw.sourceBuckets[0].rules = Array.from({ length: 1001 }, (_, i) => ({ id: `r${i}`, priority: i, filter: { prefix: `p${i}/` }, destinationBucket: raw.destinationBuckets[0].bucketName }));
  expect(() => parseConfig(raw)).toThrow(/sourceBuckets\.0\.rules: must be at most 1,000: S3 accepts no more rules in one replication configuration/);
});
