// objectLock on a bucket, in both file shapes: a valid default retention, COMPLIANCE confirmed, and a
// locked source only into a locked destination (S3 fails the versions otherwise, object by object).
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseConfig } from "../../../lib/config";
import { configProblems, defaultRawConfig, PROJECT_ROOT } from "../../support/fixtures";

const objectLockExample = (): any => JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples", "object-lock.json"), "utf8"));

describe("examples/object-lock.json", () => {
  test("keeps each bucket's lock, without the confirmation flag", () => {
    const config = parseConfig(objectLockExample());
    expect(config.sourceBuckets.map((b) => b.objectLock)).toEqual([{ mode: "COMPLIANCE", years: 7 }, undefined]);
    expect(config.destinationBuckets.map((b) => b.objectLock)).toEqual([
      { mode: "COMPLIANCE", years: 7 },
      { mode: "GOVERNANCE", days: 90 },
    ]);
  });
});

describe("the default retention", () => {
  const problems = (lock: unknown) => {
    const raw = objectLockExample();
    raw.destinationBuckets[1].objectLock = lock;
    return configProblems(raw);
  };

  test.each<[string, unknown, RegExp]>([
    ["days and years", { mode: "GOVERNANCE", days: 1, years: 1 }, /^destinationBuckets\.1\.objectLock\.days: needs exactly one of "days" and "years"/],
    ["neither", { mode: "GOVERNANCE" }, /^destinationBuckets\.1\.objectLock\.days: needs exactly one of "days" and "years"/],
    ["no days", { mode: "GOVERNANCE", days: 0 }, /^destinationBuckets\.1\.objectLock\.days: must be at least 1/],
    ["part of a day", { mode: "GOVERNANCE", days: 1.5 }, /^destinationBuckets\.1\.objectLock\.days: must be a whole number/],
    ["over this project's cap", { mode: "GOVERNANCE", years: 101 }, /^destinationBuckets\.1\.objectLock\.years: must be at most 100: this project refuses longer locks/],
    ["an unknown mode", { mode: "LEGAL_HOLD", days: 1 }, /^destinationBuckets\.1\.objectLock\.mode: must be "GOVERNANCE" or "COMPLIANCE"/],
    ["COMPLIANCE unconfirmed", { mode: "COMPLIANCE", days: 1 }, /^destinationBuckets\.1\.objectLock\.complianceModeConfirmed: is needed with mode "COMPLIANCE": no one, the root user included/],
    ["COMPLIANCE confirmed with false", { mode: "COMPLIANCE", days: 1, complianceModeConfirmed: false }, /^destinationBuckets\.1\.objectLock\.complianceModeConfirmed: must be true, or left out/],
    ["a confirmation without COMPLIANCE", { mode: "GOVERNANCE", days: 1, complianceModeConfirmed: true }, /^destinationBuckets\.1\.objectLock\.complianceModeConfirmed: confirms COMPLIANCE mode only/],
    ["an unknown field", { mode: "GOVERNANCE", days: 1, legalHold: true }, /^destinationBuckets\.1\.objectLock: unknown field "legalHold"/],
  ])("%s is refused, naming the field", (_name, lock, message) => {
    const found = problems(lock);
    expect(found.some((p) => message.test(p))).toBe(true);
  });

  test("a valid one is taken as written", () => {
    const raw = objectLockExample();
    raw.destinationBuckets[1].objectLock = { mode: "GOVERNANCE", years: 100 };
    expect(parseConfig(raw).destinationBuckets[1].objectLock).toEqual({ mode: "GOVERNANCE", years: 100 });
  });
});

describe("a locked source replicates only into a locked destination", () => {
  test("fleet: the rule into an unlocked bucket is refused, naming the bucket to lock", () => {
    const raw = objectLockExample();
    delete raw.destinationBuckets[0].objectLock;
    expect(configProblems(raw)).toEqual([
      expect.stringMatching(
        /^sourceBuckets\.0\.rules\.0\.destinationBucket: is bob-records-vault-222222222222, which has no objectLock, but alice-records-111111111111 has Object Lock: .*DstBucketObjectLockConfigMissing.*Add objectLock to destinationBuckets\.0/,
      ),
    ]);
  });

  test("fleet: an unlocked source may replicate into a locked destination (a WORM archive)", () => {
    const raw = objectLockExample();
    delete raw.sourceBuckets[0].objectLock;
    expect(parseConfig(raw).destinationBuckets[0].objectLock).toEqual({ mode: "COMPLIANCE", years: 7 });
  });

  test("pair: destination.objectLock is required with source.objectLock", () => {
    const raw = defaultRawConfig();
    raw.source.objectLock = { mode: "GOVERNANCE", days: 30 };
    expect(configProblems(raw)).toEqual([expect.stringMatching(/^destination\.objectLock: is needed because source\.objectLock is set: .*DstBucketObjectLockConfigMissing/)]);
    raw.destination.objectLock = { mode: "GOVERNANCE", days: 30 };
    const config = parseConfig(raw);
    expect(config.sourceBuckets[0].objectLock).toEqual({ mode: "GOVERNANCE", days: 30 });
    expect(config.destinationBuckets[0].objectLock).toEqual({ mode: "GOVERNANCE", days: 30 });
  });
});
