// The organization file shape: a fleet per source account, each error named at the organization's
// field, and what this version refuses said with its reason.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ConfigError, parseAnyConfig, parseConfig, type OrganizationConfig } from "../../../lib/config";
import { PROJECT_ROOT } from "../../support/fixtures";

const raw = (): any => JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples/organization.json"), "utf8"));

function problemsAfter(change: (raw: any) => void): string[] {
  const r = raw();
  change(r);
  try {
    parseAnyConfig(r, "org.json");
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error("the config was accepted");
}

test("examples/organization.json: a slice per source account, each destination account with its writers", () => {
  const c = parseAnyConfig(raw()) as OrganizationConfig;
  expect(c.shape).toBe("organization");
  expect(c.sourceAccounts.map((a) => [a.stack, a.destination, a.config.sourceAccount.accountId, a.config.destinationBuckets.map((b) => b.bucketName)])).toEqual([
    ["source-payments", "archive", "111111111111", ["archive-payments-222222222222", "archive-payments-audit-222222222222"]],
    ["source-analytics", "archive", "333333333333", ["archive-analytics-222222222222"]],
    ["source-web", "log-archive", "444444444444", ["log-archive-web-555555555555"]],
  ]);
  expect(c.destinationAccounts.map((d) => [d.stack, d.writers, d.destinationBuckets.length])).toEqual([
    ["dest-archive", ["payments", "analytics"], 3],
    ["dest-log-archive", ["web"], 1],
  ]);
  // Each slice is a fleet: its defaults filled in by the fleet's own schema.
  expect(c.sourceAccounts[0].config.sourceBuckets[0].replicationRoleName).toBe("s3-replication-payments-ledger-111111111111");
});

test("the tools that work on a pair or a fleet refuse an organization, saying what works", () => {
  expect(() => parseConfig(raw(), "org.json")).toThrow(/is an organization .* npm run verify/);
});

test.each<[string, (r: any) => void, RegExp]>([
  ["a fleet's error inside an account, named at its organization path", (r) => (r.sourceAccounts[1].sourceBuckets[0].rules[0].id = ""), /^sourceAccounts\.1\.sourceBuckets\.0\.rules\.0\.id: must not be empty/],
  ["a malformed account ID", (r) => (r.destinationAccounts[1].accountId = "5555"), /^destinationAccounts\.1\.accountId: must be a 12-digit/],
  ["the same account twice", (r) => (r.sourceAccounts[2].accountId = "111111111111"), /^sourceAccounts\.2\.accountId: is also sourceAccounts\.0\.accountId/],
  ["a source account that is also a destination", (r) => (r.destinationAccounts[0].accountId = "333333333333"), /^destinationAccounts\.0\.accountId: is also sourceAccounts\.1\.accountId/],
  ["two accounts of one name", (r) => (r.sourceAccounts[1].name = "payments"), /^sourceAccounts\.1\.name: is also sourceAccounts\.0\.name/],
  ["a name no stack can carry", (r) => (r.sourceAccounts[0].name = "Payments_EU"), /^sourceAccounts\.0\.name: must be 1 to 32 lowercase/],
  ["a rule into no destination account's bucket", (r) => (r.sourceAccounts[0].sourceBuckets[0].rules[0].destinationBucket = "nowhere-bucket"), /^sourceAccounts\.0\.sourceBuckets\.0\.rules\.0\.destinationBucket: is no bucket of any destination account/],
  [
    "one account into two destination accounts",
    (r) => (r.sourceAccounts[0].sourceBuckets[1].rules[0].destinationBucket = "log-archive-web-555555555555"),
    /^sourceAccounts\.0\.sourceBuckets\.1\.rules\.0\.destinationBucket: is a bucket of destinationAccounts\.1 \(log-archive\), but this account's other rules replicate into destinationAccounts\.0/,
  ],
  [
    "a bucket of Bob's written by two accounts",
    (r) => (r.sourceAccounts[1].sourceBuckets[0].rules[0].destinationBucket = "archive-payments-222222222222"),
    /^sourceAccounts\.1\.sourceBuckets\.0\.rules\.0\.destinationBucket: is also written by sourceAccounts\.0 \(payments\)/,
  ],
  ["a bucket of Bob's no rule names", (r) => r.destinationAccounts[0].destinationBuckets.push({ bucketName: "archive-unused-222222222222", kmsKeyAlias: "unused" }), /^destinationAccounts\.0\.destinationBuckets\.3\.bucketName: is the destination of no rule/],
  ["a bucket listed in two accounts", (r) => (r.sourceAccounts[2].sourceBuckets[0].bucketName = "payments-ledger-111111111111"), /^sourceAccounts\.2\.sourceBuckets\.0\.bucketName: is also sourceAccounts\.0\.sourceBuckets\.0\.bucketName/],
  ["one alias for two keys of Bob's, written by two accounts", (r) => (r.destinationAccounts[0].destinationBuckets[2].kmsKeyAlias = "archive-payments"), /^destinationAccounts\.0\.destinationBuckets\.2\.kmsKeyAlias: is also destinationAccounts\.0\.destinationBuckets\.0\.kmsKeyAlias/],
  ["two-way, not yet supported here", (r) => (r.sourceAccounts[2].sourceBuckets[0].rules[0].twoWay = true), /^sourceAccounts\.2\.sourceBuckets\.0\.rules\.0\.twoWay: two-way replication is not supported in an organization yet/],
  [
    "a rule across fields a fleet checks, at the destination account's own index",
    (r) => {
      r.sourceAccounts[1].sourceBuckets[0].objectLock = { mode: "GOVERNANCE", days: 1 };
    },
    /^sourceAccounts\.1\.sourceBuckets\.0\.rules\.0\.destinationBucket: .*Add objectLock to destinationAccounts\.0\.destinationBuckets\.2/,
  ],
  ["the pair's workspace names", (r) => (r.backend = { type: "cloud", organization: "acme", workspaces: { source: "a" } }), /^backend\.workspaces: names the two stacks of a pair or fleet/],
])("%s", (_name, change, message) => {
  const problems = problemsAfter(change);
  expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
});

test("a shared field's error is reported once, not once per account", () => {
  const problems = problemsAfter((r) => (r.monitoring = { enabled: true, subscriptions: [{ protocol: "sms", endpoint: "x" }] }));
  expect(problems.filter((p) => p.startsWith("monitoring.")).length).toBe(1);
});

test("with Terraform Cloud, a destination account read by more than 20 source stacks is warned about (run triggers take 20 source workspaces)", () => {
  const { quotaWarnings } = require("../../../lib/config/quotas") as typeof import("../../../lib/config/quotas");
  const { generatedOrganization } = require("../../../dev/generate-fleet") as typeof import("../../../dev/generate-fleet");
  const org = (n: number) => ({ ...(generatedOrganization(n, 1) as any), backend: { type: "cloud", organization: "acme" } });
  expect(quotaWarnings(parseAnyConfig(org(20)))).toEqual([]);
  expect(quotaWarnings(parseAnyConfig(org(21)))).toEqual([expect.stringMatching(/^dest-archive reads the state of 21 source stacks, but a Terraform Cloud workspace takes run triggers from at most 20/)]);
});
