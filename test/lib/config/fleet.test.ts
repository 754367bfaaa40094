// The fleet file shape: every refusal names the field's path and the fix.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseConfig } from "../../../lib/config";
import { configProblems, fleetRawConfig, PROJECT_ROOT } from "../../support/fixtures";

function problemsAfter(change: (raw: any) => void): string[] {
  const raw = fleetRawConfig();
  change(raw);
  return configProblems(raw);
}

describe("examples/fleet.json", () => {
  const config = parseConfig(fleetRawConfig());

  test("is a fleet: 3 of Alice's buckets, 2 of Bob's", () => {
    expect(config.shape).toBe("fleet");
    expect(config.sourceBuckets.map((b) => b.bucketName)).toEqual([
      "alice-app-logs-111111111111",
      "alice-web-logs-111111111111",
      "alice-documents-111111111111",
    ]);
    expect(config.destinationBuckets.map((b) => b.bucketName)).toEqual(["bob-log-archive-222222222222", "bob-backup-222222222222"]);
  });

  test("fills in each rule's defaults and a role name per bucket", () => {
    const [appLogs, webLogs, documents] = config.sourceBuckets;
    expect(appLogs.replicationRoleName).toBe("s3-replication-alice-app-logs-111111111111");
    expect(documents.replicationRoleName).toBe("s3-replication-alice-documents");
    expect(webLogs.rules).toEqual([
      {
        id: "web-logs-to-log-archive",
        destinationBucket: "bob-log-archive-222222222222",
        filter: { prefix: "web-logs/" },
        storageClass: "GLACIER_IR",
        replicateDeleteMarkers: false,
        metrics: false,
        replicationTimeControl: false,
        ownerOverride: true,
        twoWay: false,
      },
    ]);
    expect(documents.rules[0]).toMatchObject({ replicationTimeControl: true, metrics: true });
  });

  test("covers what the issue asks of an example", () => {
    const rules = config.sourceBuckets.flatMap((b) => b.rules.map((r) => ({ ...r, source: b.bucketName })));
    // one source with two rules into two different destinations
    expect(config.sourceBuckets.some((b) => new Set(b.rules.map((r) => r.destinationBucket)).size >= 2)).toBe(true);
    // two sources into one destination, kept apart by prefix
    const intoArchive = rules.filter((r) => r.destinationBucket === "bob-log-archive-222222222222");
    expect(new Set(intoArchive.map((r) => r.source)).size).toBe(2);
    expect(new Set(intoArchive.map((r) => r.filter?.prefix)).size).toBe(2);
    expect(rules.some((r) => Object.keys(r.filter?.tags ?? {}).length > 0)).toBe(true);
    expect(rules.some((r) => r.storageClass && r.storageClass !== "STANDARD")).toBe(true);
  });
});

describe("a fleet config S3 would reject, or that would do something else than meant, is refused", () => {
  test.each<[string, (raw: any) => void, string]>([
    [
      "a rule naming a bucket that is not one of Bob's",
      (r) => (r.sourceBuckets[1].rules[0].destinationBucket = "bob-nowhere-222222222222"),
      "sourceBuckets.1.rules.0.destinationBucket: is not one of Bob's buckets (destinationBuckets: bob-log-archive-222222222222, bob-backup-222222222222)",
    ],
    ["a rule ID used twice in a bucket", (r) => (r.sourceBuckets[0].rules[1].id = "app-logs-to-log-archive"), "sourceBuckets.0.rules.1.id: is also sourceBuckets.0.rules.0.id: rule IDs must be unique"],
    [
      "several rules, one without a filter",
      (r) => delete r.sourceBuckets[0].rules[1].filter,
      "sourceBuckets.0.rules.1.filter: is required when a bucket has several rules",
    ],
    ["several rules, one without a priority", (r) => delete r.sourceBuckets[0].rules[0].priority, "sourceBuckets.0.rules.0.priority: is required when a bucket has several rules"],
    ["two rules with the same priority", (r) => (r.sourceBuckets[0].rules[1].priority = 10), "sourceBuckets.0.rules.1.priority: is also sourceBuckets.0.rules.0.priority"],
    [
      "a tag filter with delete marker replication",
      (r) => (r.sourceBuckets[2].rules[0].replicateDeleteMarkers = true),
      "sourceBuckets.2.rules.0.replicateDeleteMarkers: must be false in a rule with a tag filter",
    ],
    [
      "Replication Time Control with metrics off",
      (r) => (r.sourceBuckets[2].rules[0].metrics = false),
      "sourceBuckets.2.rules.0.metrics: must not be false while replicationTimeControl is true",
    ],
    ["an unknown storage class", (r) => (r.sourceBuckets[1].rules[0].storageClass = "COLD"), "sourceBuckets.1.rules.0.storageClass: must be one of STANDARD, STANDARD_IA"],
    ["a storage class for S3 on Outposts", (r) => (r.sourceBuckets[1].rules[0].storageClass = "OUTPOSTS"), "OUTPOSTS is for S3 on Outposts only"],
    ["a source bucket listed twice", (r) => (r.sourceBuckets[1].bucketName = r.sourceBuckets[0].bucketName), "sourceBuckets.1.bucketName: is also sourceBuckets.0.bucketName: bucket names are global"],
    [
      "a bucket that is both a source and a destination",
      (r) => (r.destinationBuckets[1].bucketName = r.sourceBuckets[2].bucketName),
      "destinationBuckets.1.bucketName: is also sourceBuckets.2.bucketName: a bucket cannot be both a source and a destination",
    ],
    ["a key alias used twice in Alice's account", (r) => (r.sourceBuckets[1].kmsKeyAlias = "alice-app-logs"), "sourceBuckets.1.kmsKeyAlias: is also sourceBuckets.0.kmsKeyAlias"],
    ["a key alias used twice in Bob's account", (r) => (r.destinationBuckets[1].kmsKeyAlias = "bob-log-archive"), "destinationBuckets.1.kmsKeyAlias: is also destinationBuckets.0.kmsKeyAlias"],
    [
      "two source buckets with one role",
      (r) => (r.sourceBuckets[0].replicationRoleName = "s3-replication-alice-documents"),
      "sourceBuckets.2.replicationRoleName: is also sourceBuckets.0.replicationRoleName: each source bucket gets its own replication role",
    ],
    [
      "a bucket name too long for the default role name",
      (r) => (r.sourceBuckets[1].bucketName = `alice-${"w".repeat(50)}`),
      'sourceBuckets.1.replicationRoleName: is needed for this bucket: the default "s3-replication-alice-',
    ],
    ["a destination no rule writes into", (r) => r.destinationBuckets.push({ bucketName: "bob-spare-222222222222", kmsKeyAlias: "bob-spare" }), "destinationBuckets.2.bucketName: is the destination of no rule"],
    ["an empty filter", (r) => (r.sourceBuckets[1].rules[0].filter = {}), 'sourceBuckets.1.rules.0.filter: must give "prefix" and/or "tags"'],
    ["a source bucket without rules", (r) => (r.sourceBuckets[1].rules = []), "sourceBuckets.1.rules: needs at least one rule"],
    ["the same account twice", (r) => (r.destinationAccount.accountId = "111111111111"), "destinationAccount.accountId: must differ from sourceAccount.accountId"],
    ["a negative priority", (r) => (r.sourceBuckets[0].rules[0].priority = -1), "sourceBuckets.0.rules.0.priority: must be 0 or more"],
    ["a pair field in a fleet", (r) => (r.replication = {}), '(top level): unknown field "replication"'],
  ])("%s", (_name, change, expected) => {
    expect(problemsAfter(change).join("\n")).toContain(expected);
  });
});

describe("monitoring", () => {
  const monitoringRaw = () => JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples", "monitoring.json"), "utf8"));

  test("off by default", () => {
    expect(parseConfig(fleetRawConfig()).monitoring).toEqual({ enabled: false, topicName: "s3-replication-alerts", kmsKeyAlias: "s3-replication-alerts", subscriptions: [] });
  });

  test("on: every rule's metrics follow it, since its alarm reads them", () => {
    const config = parseConfig(monitoringRaw());
    expect(config.monitoring.enabled).toBe(true);
    expect(config.sourceBuckets.flatMap((b) => b.rules.map((r) => r.metrics))).toEqual([true, true, true]);
  });

  test.each<[string, (raw: any) => void, string]>([
    [
      "a rule's metrics turned off",
      (r) => (r.sourceBuckets[1].rules[0].metrics = false),
      "sourceBuckets.1.rules.0.metrics: must not be false while monitoring.enabled is true",
    ],
    ["a subscription of an unknown protocol", (r) => (r.monitoring.subscriptions = [{ protocol: "sms", endpoint: "+1555" }]), 'monitoring.subscriptions.0.protocol: protocol must be "email" or "https"'],
    ["an https subscription to a plain http URL", (r) => (r.monitoring.subscriptions = [{ protocol: "https", endpoint: "http://x" }]), "monitoring.subscriptions.0.endpoint: must be an https:// URL"],
    ["a topic name with a dot", (r) => (r.monitoring.topicName = "a.b"), "monitoring.topicName: must be 1 to 256 letters"],
  ])("%s is refused", (_name, change, expected) => {
    const raw = monitoringRaw();
    change(raw);
    expect(configProblems(raw).join("\n")).toContain(expected);
  });
});

describe("adopting an existing bucket, and backfill (examples/adopt-existing.json)", () => {
  const adoptRaw = () => JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples", "adopt-existing.json"), "utf8"));

  test("the example: one adopted bucket keeping its policy statement and key, with backfill; one new bucket", () => {
    const [adopted, created] = parseConfig(adoptRaw()).sourceBuckets;
    expect(adopted.existing?.bucketPolicyStatements.map((s) => s.Sid)).toEqual(["AnalyticsReadsCustomerExports"]);
    expect(adopted.existing?.kmsKeyArn).toBe("arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    expect(adopted.kmsKeyAlias).toBeUndefined();
    expect(adopted.backfill).toEqual({ reportPrefix: "batch-replication-reports/", roleName: "s3-backfill-alice-customers-archive-111111111111" });
    expect([created.existing, created.backfill, created.kmsKeyAlias]).toEqual([undefined, undefined, "alice-invoices"]);
  });

  test("an adopted bucket without a policy says so with []; backfill's prefix has a default", () => {
    const raw = adoptRaw();
    raw.sourceBuckets[0].existing.bucketPolicyStatements = [];
    raw.sourceBuckets[0].backfill = {};
    const [adopted] = parseConfig(raw).sourceBuckets;
    expect(adopted.existing?.bucketPolicyStatements).toEqual([]);
    expect(adopted.backfill?.reportPrefix).toBe("batch-replication-reports/");
  });

  test.each<[string, (raw: any) => void, string]>([
    [
      "adoption without the bucket policy's statements",
      (r) => delete r.sourceBuckets[0].existing.bucketPolicyStatements,
      "sourceBuckets.0.existing.bucketPolicyStatements: is needed to adopt alice-customers-archive-111111111111: the stack owns its bucket policy, and would drop every statement it does not know. Copy them: aws s3api get-bucket-policy --bucket alice-customers-archive-111111111111",
    ],
    ["a statement with the stack's own Sid", (r) => (r.sourceBuckets[0].existing.bucketPolicyStatements[0].Sid = "DenyInsecureTransport"), "sourceBuckets.0.existing.bucketPolicyStatements.0.Sid: is the Sid of a statement the stack writes itself"],
    ["a statement with the Sid of a two-way pair's grant", (r) => (r.sourceBuckets[0].existing.bucketPolicyStatements[0].Sid = "BobChecksSourceVersioning"), "sourceBuckets.0.existing.bucketPolicyStatements.0.Sid: is the Sid of a statement the stack writes itself"],
    [
      "a statement granting everyone",
      (r) => (r.sourceBuckets[0].existing.bucketPolicyStatements[0].Principal = "*"),
      "sourceBuckets.0.existing.bucketPolicyStatements.0.Principal: grants everyone without a condition: the public access block the stack turns on (BlockPublicPolicy) makes S3 reject the whole policy",
    ],
    ["a statement without an Effect", (r) => delete r.sourceBuckets[0].existing.bucketPolicyStatements[0].Effect, "sourceBuckets.0.existing.bucketPolicyStatements.0.Effect"],
    [
      "a statement with both Action and NotAction",
      (r) => (r.sourceBuckets[0].existing.bucketPolicyStatements[0].NotAction = "s3:DeleteObject"),
      "sourceBuckets.0.existing.bucketPolicyStatements.0.Action: needs exactly one of Action and NotAction: S3 rejects a bucket policy statement with neither or both (MalformedPolicy)",
    ],
    [
      "a statement without a principal",
      (r) => delete r.sourceBuckets[0].existing.bucketPolicyStatements[0].Principal,
      "sourceBuckets.0.existing.bucketPolicyStatements.0.Principal: needs exactly one of Principal and NotPrincipal",
    ],
    [
      "a statement with an element IAM does not have",
      (r) => (r.sourceBuckets[0].existing.bucketPolicyStatements[0].Actions = "s3:GetObject"),
      'sourceBuckets.0.existing.bucketPolicyStatements.0: unknown field "Actions": remove or correct it',
    ],
    ["its own key named by alias", (r) => (r.sourceBuckets[0].existing.kmsKeyArn = "alias/customers"), 'sourceBuckets.0.existing.kmsKeyArn: must be a key ARN, "arn:aws:kms:<region>:<account>:key/<key id>" (not an alias)'],
    [
      "its own key in another account",
      (r) => (r.sourceBuckets[0].existing.kmsKeyArn = "arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
      "sourceBuckets.0.existing.kmsKeyArn: must be a key of Alice's account 111111111111 in us-east-1",
    ],
    ["its own key and a new key's alias", (r) => (r.sourceBuckets[0].kmsKeyAlias = "customers"), "sourceBuckets.0.kmsKeyAlias: must be left out when existing.kmsKeyArn keeps the bucket's own key"],
    ["neither a key alias nor its own key", (r) => delete r.sourceBuckets[1].kmsKeyAlias, "sourceBuckets.1.kmsKeyAlias: is missing: add it (the alias of the key the stack creates for the bucket), or, for an adopted bucket, existing.kmsKeyArn"],
    ["a report prefix without its trailing slash", (r) => (r.sourceBuckets[0].backfill.reportPrefix = "reports"), 'sourceBuckets.0.backfill.reportPrefix: must be a key prefix of letters, digits and "_.-/", ending in "/"'],
    [
      "a backfill role named like a replication role",
      (r) => (r.sourceBuckets[0].backfill.roleName = "s3-replication-alice-invoices-111111111111"),
      "sourceBuckets.1.replicationRoleName: is also sourceBuckets.0.backfill.roleName: each source bucket gets its own replication role, and its own backfill role",
    ],
    [
      "a bucket name too long for the default backfill role name",
      (r) => {
        r.sourceBuckets[0].bucketName = `alice-${"c".repeat(48)}`;
        r.sourceBuckets[0].replicationRoleName = "replication";
      },
      'sourceBuckets.0.backfill.roleName: is needed for this bucket: the default "s3-backfill-alice-',
    ],
  ])("%s is refused", (_name, change, expected) => {
    const raw = adoptRaw();
    change(raw);
    expect(configProblems(raw).join("\n")).toContain(expected);
  });
});
