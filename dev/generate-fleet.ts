// Generated fleet configs for `npm run bench -- --fleet` and the tests that need a large fleet: N
// independent pairs, a fan-in (N sources into one of Bob's buckets) and a fan-out (one source into
// N of Bob's), and an organization (N source accounts of 10 buckets each into one archive account).
// Deterministic: the same N gives the same config.
const ALICE = "111111111111";
const BOB = "222222222222";

const index = (i: number) => String(i).padStart(4, "0");

/** A fleet config of Alice's and Bob's accounts around the buckets given. */
const fleetOf = (sourceBuckets: object[], destinationBuckets: object[]): object => ({
  sourceAccount: { accountId: ALICE, region: "us-east-1" },
  destinationAccount: { accountId: BOB, region: "us-west-2" },
  sourceBuckets,
  destinationBuckets,
  tags: { Project: "s3-cross-account-replication" },
  backend: { type: "local", stateDir: "." },
});

export function generatedFleet(n: number): object {
  return fleetOf(
    Array.from({ length: n }, (_, i) => ({
      bucketName: `alice-fleet-${index(i)}-${ALICE}`,
      kmsKeyAlias: `alice-fleet-${index(i)}`,
      rules: [{ id: `fleet-${index(i)}`, destinationBucket: `bob-fleet-${index(i)}-${BOB}` }],
    })),
    Array.from({ length: n }, (_, i) => ({ bucketName: `bob-fleet-${index(i)}-${BOB}`, kmsKeyAlias: `bob-fleet-${index(i)}` })),
  );
}

/** Fan-in: N of Alice's buckets into one central archive bucket of Bob's. */
export function fanInFleet(n: number): object {
  return fleetOf(
    Array.from({ length: n }, (_, i) => ({
      bucketName: `alice-fanin-${index(i)}-${ALICE}`,
      kmsKeyAlias: `alice-fanin-${index(i)}`,
      rules: [{ id: `to-archive`, destinationBucket: `bob-archive-${BOB}` }],
    })),
    [{ bucketName: `bob-archive-${BOB}`, kmsKeyAlias: "bob-archive" }],
  );
}

/** Fan-out: one of Alice's buckets with N rules, each into a bucket of Bob's of its own. */
export function fanOutFleet(n: number): object {
  return fleetOf(
    [
      {
        bucketName: `alice-fanout-${ALICE}`,
        kmsKeyAlias: "alice-fanout",
        rules: Array.from({ length: n }, (_, i) => ({
          id: `to-${index(i)}`,
          priority: i,
          filter: { prefix: `p${index(i)}/` },
          destinationBucket: `bob-fanout-${index(i)}-${BOB}`,
        })),
      },
    ],
    Array.from({ length: n }, (_, i) => ({ bucketName: `bob-fanout-${index(i)}-${BOB}`, kmsKeyAlias: `bob-fanout-${index(i)}` })),
  );
}

/** An organization: N source accounts, each with 10 buckets, each into a bucket of its own in one archive account. */
export function generatedOrganization(n: number, bucketsPerAccount = 10): object {
  const accountOf = (i: number) => String(300_000_000_000 + i);
  const archive = BOB;
  const accounts = Array.from({ length: n }, (_, i) => ({
    name: `workload-${index(i)}`,
    accountId: accountOf(i),
    region: "us-east-1",
    sourceBuckets: Array.from({ length: bucketsPerAccount }, (_, j) => ({
      bucketName: `w${index(i)}-data-${index(j)}-${accountOf(i)}`,
      kmsKeyAlias: `data-${index(j)}`,
      rules: [{ id: `to-archive`, destinationBucket: `archive-w${index(i)}-${index(j)}-${archive}` }],
    })),
  }));
  return {
    sourceAccounts: accounts,
    destinationAccounts: [
      {
        name: "archive",
        accountId: archive,
        region: "us-west-2",
        destinationBuckets: accounts.flatMap((_, i) => Array.from({ length: bucketsPerAccount }, (_, j) => ({ bucketName: `archive-w${index(i)}-${index(j)}-${archive}`, kmsKeyAlias: `w${index(i)}-${index(j)}` }))),
      },
    ],
    tags: { Project: "s3-cross-account-replication" },
    backend: { type: "local", stateDir: "." },
  };
}

/** An organization (examples/organization.json's shape) grown by a fourth source account, hr, into a new bucket of the archive account. */
export function withFourthAccount(raw: any): any {
  const grown = JSON.parse(JSON.stringify(raw));
  grown.sourceAccounts.push({
    name: "hr",
    accountId: "666666666666",
    region: "us-east-1",
    sourceBuckets: [{ bucketName: "hr-records-666666666666", kmsKeyAlias: "hr-records", rules: [{ id: "records-to-archive", destinationBucket: "archive-hr-222222222222" }] }],
  });
  grown.destinationAccounts[0].destinationBuckets.push({ bucketName: "archive-hr-222222222222", kmsKeyAlias: "archive-hr" });
  return grown;
}
