// Generated fleet configs for `npm run bench -- --fleet` and the tests that need a large fleet: N
// independent pairs, a fan-in (N sources into one of Bob's buckets) and a fan-out (one source into
// N of Bob's). Deterministic: the same N gives the same config.
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
