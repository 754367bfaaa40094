// twoWay on a rule (fleet) or on the pair's replication: a pair of one bucket of Alice's and one of
// Bob's, a role of Bob's account for the way back, and what S3 needs of both ends.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseConfig } from "../../../lib/config";
import { configProblems, defaultRawConfig, PROJECT_ROOT } from "../../support/fixtures";

const twoWayExample = (): any => JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples", "two-way.json"), "utf8"));

describe("examples/two-way.json", () => {
  test("one two-way rule, with the default role of the way back", () => {
    const config = parseConfig(twoWayExample());
    const [orders, logs] = config.sourceBuckets;
    expect(orders.rules[0]).toMatchObject({ id: "orders-dr", twoWay: true, reverseRoleName: "s3-replication-bob-orders-dr-222222222222" });
    expect(logs.rules[0].twoWay).toBe(false);
    expect(logs.rules[0].reverseRoleName).toBeUndefined();
  });
});

describe("a two-way rule is refused, naming the field, when", () => {
  test.each<[string, (raw: any) => void, RegExp]>([
    [
      "another bucket of Alice's writes into its destination too",
      (raw) => (raw.sourceBuckets[1].rules[0].destinationBucket = "bob-orders-dr-222222222222"),
      /^sourceBuckets\.0\.rules\.0\.twoWay: is true, but bob-orders-dr-222222222222 is also written by sourceBuckets\.1 \(alice-app-logs-111111111111\)/,
    ],
    [
      "its bucket has a second two-way rule",
      (raw) => raw.sourceBuckets[0].rules.push({ id: "second", priority: 2, filter: { prefix: "b/" }, destinationBucket: "bob-log-archive-222222222222", twoWay: true }),
      /^sourceBuckets\.0\.rules\.1\.twoWay: is also set on sourceBuckets\.0\.rules\.0/,
    ],
    [
      "its bucket keeps its own key",
      (raw) => {
        delete raw.sourceBuckets[0].kmsKeyAlias;
        raw.sourceBuckets[0].existing = { bucketPolicyStatements: [], kmsKeyArn: "arn:aws:kms:us-east-1:111111111111:key/0b6a2d3e-0000-4000-8000-000000000001" };
      },
      /^sourceBuckets\.0\.rules\.0\.twoWay: is true, but alice-orders-111111111111 keeps its own key/,
    ],
    [
      "Bob's bucket is locked and Alice's is not",
      (raw) => delete raw.sourceBuckets[0].objectLock,
      /^sourceBuckets\.0\.objectLock: is needed: sourceBuckets\.0\.rules\.0 is two-way and bob-orders-dr-222222222222 has Object Lock/,
    ],
    ["the default role name is too long", (raw) => (raw.sourceBuckets[0].rules[0].reverseRoleName = "r".repeat(65)), /^sourceBuckets\.0\.rules\.0\.reverseRoleName: must be 1 to 64 characters/],
    [
      "a role of the way back is named on a one-way rule",
      (raw) => (raw.sourceBuckets[1].rules[0].reverseRoleName = "back"),
      /^sourceBuckets\.1\.rules\.0\.reverseRoleName: names the role of the way back: set twoWay to true, or remove it/,
    ],
  ])("%s", (_name, change, message) => {
    const raw = twoWayExample();
    change(raw);
    expect(configProblems(raw)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  test("two pairs name the same role of the way back", () => {
    const raw = twoWayExample();
    raw.sourceBuckets[1].rules[0].twoWay = true;
    raw.sourceBuckets[0].rules[0].reverseRoleName = "back";
    raw.sourceBuckets[1].rules[0].reverseRoleName = "back";
    raw.sourceBuckets[1].objectLock = undefined;
    expect(configProblems(raw)).toEqual([expect.stringMatching(/^sourceBuckets\.1\.rules\.0\.reverseRoleName: is also sourceBuckets\.0\.rules\.0\.reverseRoleName/)]);
  });
});

describe("the pair", () => {
  test("replication.twoWay makes its one rule two-way, with a default role of the way back", () => {
    const raw = defaultRawConfig();
    raw.replication = { twoWay: true };
    const rule = parseConfig(raw).sourceBuckets[0].rules[0];
    expect(rule).toMatchObject({ twoWay: true, reverseRoleName: "s3-replication-bob-replication-destination-222222222222" });
  });

  test("a locked destination needs a locked source", () => {
    const raw = defaultRawConfig();
    raw.replication = { twoWay: true };
    raw.destination.objectLock = { mode: "GOVERNANCE", days: 1 };
    expect(configProblems(raw)).toEqual([expect.stringMatching(/^source\.objectLock: is needed because replication\.twoWay is true and destination\.objectLock is set/)]);
  });

  test("replication.reverseRoleName without twoWay is refused", () => {
    const raw = defaultRawConfig();
    raw.replication = { reverseRoleName: "back" };
    expect(configProblems(raw)).toEqual([expect.stringMatching(/^replication\.reverseRoleName: names the role of the way back/)]);
  });
});
