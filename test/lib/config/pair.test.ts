import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
// The single-pair file shape, and the loader both shapes share.
import { loadConfig, parseConfig } from "../../../lib/config";
import { configProblems, configWith, defaultRawConfig } from "../../support/fixtures";

/** The problems ConfigError reports for the default config after `change`. */
function problemsAfter(change: (raw: any) => void): string[] {
  const raw = defaultRawConfig();
  change(raw);
  return configProblems(raw);
}

describe("the committed default config", () => {
  test("is valid and fills in defaults", () => {
    const config = configWith();
    expect(config.shape).toBe("pair");
    expect(config.sourceAccount).toEqual({ accountId: "111111111111", region: "us-east-1", credentials: { profile: "alice" } });
    expect(config.destinationAccount).toEqual({ accountId: "222222222222", region: "us-west-2", credentials: { profile: "bob" } });
    expect(config.sourceBuckets).toEqual([
      {
        bucketName: "alice-replication-source-111111111111",
        kmsKeyAlias: "alice-replication-source",
        replicationRoleName: "s3-replication-alice-to-bob",
        rules: [
          {
            id: "Replicate_to_Bob_bucket",
            destinationBucket: "bob-replication-destination-222222222222",
            replicateDeleteMarkers: false,
            metrics: false,
            replicationTimeControl: false,
            ownerOverride: true,
            twoWay: false,
          },
        ],
      },
    ]);
    expect(config.destinationBuckets).toEqual([{ bucketName: "bob-replication-destination-222222222222", kmsKeyAlias: "bob-replication-replica" }]);
    expect(config.backend).toEqual({ type: "local", stateDir: "." });
  });

  test("optional sections default to the documented values", () => {
    const config = configWith((raw) => {
      delete raw.replication;
      delete raw.backend;
      delete raw.tags;
      delete raw.source.credentials;
    });
    expect(config.sourceBuckets[0].rules).toEqual([
      {
        id: "Replicate_to_Bob_bucket",
        destinationBucket: "bob-replication-destination-222222222222",
        ownerOverride: true,
        replicateDeleteMarkers: false,
        metrics: false,
        replicationTimeControl: false,
        twoWay: false,
      },
    ]);
    expect(config.backend).toEqual({ type: "local", stateDir: "." });
    expect(config.tags).toEqual({});
    expect(config.sourceAccount.credentials).toBeUndefined();
  });
});

describe("Replication Time Control and metrics", () => {
  test.each<[string, { metrics?: boolean; replicationTimeControl?: boolean }, { metrics: boolean; replicationTimeControl: boolean }]>([
    ["neither", {}, { metrics: false, replicationTimeControl: false }],
    ["metrics alone", { metrics: true }, { metrics: true, replicationTimeControl: false }],
    ["RTC with metrics left out turns metrics on", { replicationTimeControl: true }, { metrics: true, replicationTimeControl: true }],
    ["RTC with metrics on", { replicationTimeControl: true, metrics: true }, { metrics: true, replicationTimeControl: true }],
  ])("%s", (_name, given, expected) => {
    const config = configWith((raw) => {
      raw.replication = { ...given };
    });
    const [rule] = config.sourceBuckets[0].rules;
    expect({ metrics: rule.metrics, replicationTimeControl: rule.replicationTimeControl }).toEqual(expected);
  });
});

describe("bad input names the field and the fix", () => {
  test.each([
    ["a malformed account ID", (r: any) => (r.source.accountId = "11111111111"), "source.accountId: must be a 12-digit AWS account ID"],
    ["an account ID given as a number", (r: any) => (r.destination.accountId = 222222222222), "destination.accountId:"],
    ["the same account twice", (r: any) => (r.destination.accountId = r.source.accountId), "destination.accountId: must differ from source.accountId"],
    ["the same bucket twice", (r: any) => (r.destination.bucketName = r.source.bucketName), "destination.bucketName: must differ from source.bucketName"],
    ["an upper-case bucket name", (r: any) => (r.source.bucketName = "Alice-Bucket"), "source.bucketName: may hold only lowercase letters"],
    ["a bucket name with dots", (r: any) => (r.source.bucketName = "alice.bucket"), "source.bucketName: must not contain dots: S3's wildcard TLS certificate (*.s3.amazonaws.com) does not match a dotted name"],
    ["a too short bucket name", (r: any) => (r.destination.bucketName = "ab"), "destination.bucketName: must be 3 to 63 characters"],
    ["a reserved bucket prefix", (r: any) => (r.destination.bucketName = "xn--bucket"), "destination.bucketName: must not begin with xn--"],
    ["a reserved bucket suffix", (r: any) => (r.destination.bucketName = "bucket-s3alias"), "destination.bucketName: must not end with -s3alias"],
    ["a region that is not one", (r: any) => (r.source.region = "us-middle-1"), "source.region: must be an AWS region"],
    ["an alias with its prefix", (r: any) => (r.destination.kmsKeyAlias = "alias/bob"), 'destination.kmsKeyAlias: write the alias without the "alias/" prefix'],
    ["an AWS managed alias", (r: any) => (r.destination.kmsKeyAlias = "aws/s3"), 'destination.kmsKeyAlias: must not begin with "aws/"'],
    ["a bad role name", (r: any) => (r.source.replicationRoleName = "has space"), "source.replicationRoleName: must be 1 to 64 characters"],
    ["a missing field", (r: any) => delete r.source.bucketName, "source.bucketName: is missing: add it"],
    ["a missing section", (r: any) => delete r.destination, "destination: is missing: add it"],
    ["an unknown field", (r: any) => (r.source.bucket = "x"), 'source: unknown field "bucket": remove or correct it'],
    ["credentials of neither kind", (r: any) => (r.source.credentials = { key: "x" }), 'source.credentials: must be either { "profile"'],
    [
      "a deploy role in another account",
      (r: any) => (r.destination.credentials = { assumeRoleArn: "arn:aws:iam::111111111111:role/deployer" }),
      "destination.credentials.assumeRoleArn: must be a role in account 222222222222",
    ],
    ["an unknown backend", (r: any) => (r.backend = { type: "consul" }), 'backend.type: type must be one of "local", "s3" or "cloud"'],
    ["an absolute local state dir", (r: any) => (r.backend = { type: "local", stateDir: "/var/state" }), "backend.stateDir: must be a relative path"],
    ["a non-boolean switch", (r: any) => (r.replication.ownerOverride = "yes"), "replication.ownerOverride:"],
    [
      "monitoring on with metrics off",
      (r: any) => {
        r.replication.metrics = false;
        r.monitoring = { enabled: true };
      },
      "replication.metrics: must not be false while monitoring.enabled is true",
    ],
    [
      "Replication Time Control with metrics turned off",
      (r: any) => Object.assign(r.replication, { replicationTimeControl: true, metrics: false }),
      "replication.metrics: must not be false while replication.replicationTimeControl is true",
    ],
  ])("%s", (_name, change, expected) => {
    const problems = problemsAfter(change);
    expect(problems.join("\n")).toContain(expected);
  });

  test("every problem is reported at once", () => {
    const problems = problemsAfter((r) => {
      r.source.accountId = "x";
      r.destination.region = "mars-1";
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^source\.accountId:/);
    expect(problems[1]).toMatch(/^destination\.region:/);
  });

  test("the error message names the file", () => {
    expect(() => parseConfig({}, "my.json")).toThrow(/^my\.json is not a valid replication config:/);
  });
});

describe("loadConfig", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "config-test-"));

  test("reads the file named by REPLICATION_CONFIG", () => {
    const file = path.join(dir, "other.json");
    const raw = defaultRawConfig();
    raw.replication.ruleId = "from-env";
    writeFileSync(file, JSON.stringify(raw));
    const saved = process.env.REPLICATION_CONFIG;
    process.env.REPLICATION_CONFIG = file;
    try {
      expect(loadConfig().sourceBuckets[0].rules[0].id).toBe("from-env");
    } finally {
      if (saved === undefined) delete process.env.REPLICATION_CONFIG;
      else process.env.REPLICATION_CONFIG = saved;
    }
  });

  test("a missing file says how to fix it", () => {
    expect(() => loadConfig(path.join(dir, "absent.json"))).toThrow(/cannot read the file \(ENOENT\).*REPLICATION_CONFIG/);
  });

  test("invalid JSON is reported as such", () => {
    const file = path.join(dir, "broken.json");
    writeFileSync(file, "{ not json");
    expect(() => loadConfig(file)).toThrow(/is not valid JSON at line 1, column 3: expected a key: fix it there/);
  });

  test("a trailing comma is named, with its line and column", () => {
    const file = path.join(dir, "comma.json");
    writeFileSync(file, '{\n  "source": {},\n}\n');
    expect(() => loadConfig(file)).toThrow("is not valid JSON at line 3, column 1: a trailing comma before '}' (JSON allows none: remove it): fix it there");
  });

  test("a key written twice is refused: JSON.parse would silently keep the last", () => {
    const file = path.join(dir, "twice.json");
    writeFileSync(file, '{\n  "tags": {},\n  "tags": {}\n}\n');
    expect(() => loadConfig(file)).toThrow('is not valid JSON at line 3, column 3: the key "tags" appears twice in the top-level object');
  });
});

describe("errors that finish the thought", () => {
  test("an account ID written as a number says how to write it", () => {
    expect(problemsAfter((r) => (r.source.accountId = 111111111111))).toEqual(['source.accountId: is the number 111111111111: write it as a string, in quotes: "111111111111"']);
  });

  test("a mistyped region suggests the closest one", () => {
    expect(problemsAfter((r) => (r.destination.region = "us-east-l"))).toEqual([
      'destination.region: must be an AWS region of the standard partition, e.g. "us-east-1" or "eu-west-1"; did you mean "us-east-1"?',
    ]);
  });

  test("a region nothing resembles gets no guess", () => {
    expect(problemsAfter((r) => (r.destination.region = "moon-base"))).toEqual(['destination.region: must be an AWS region of the standard partition, e.g. "us-east-1" or "eu-west-1"']);
  });
});
