// The JSON Schema editors check configs with, against the app: every shipped config passes both;
// every bad config the app refuses, the schema refuses too, except the rules across fields that
// only the app can check, listed here by name.
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { parseAnyConfig as parseConfig } from "../../../lib/config";
import { configJsonSchema } from "../../../lib/config/json-schema";
import { defaultRawConfig, PROJECT_ROOT } from "../../support/fixtures";

const ajv = new Ajv2020({ allErrors: true, strict: false });
const schemaAccepts = ajv.compile(configJsonSchema());
const appAccepts = (raw: unknown) => {
  try {
    parseConfig(raw, "x.json");
    return true;
  } catch {
    return false;
  }
};
const read = (file: string) => JSON.parse(readFileSync(path.join(PROJECT_ROOT, file), "utf8"));
const fleet = () => read("examples/fleet.json");
const shipped = ["replication.config.json", ...readdirSync(path.join(PROJECT_ROOT, "examples")).filter((f) => f.endsWith(".json")).map((f) => `examples/${f}`)];

test.each(shipped)("%s: the schema and the app accept it", (file) => {
  const raw = read(file);
  expect([schemaAccepts(raw), ajv.errorsText(schemaAccepts.errors)]).toEqual([true, "No errors"]);
  expect(appAccepts(raw)).toBe(true);
});

const pair = (change: (raw: any) => void) => {
  const raw = defaultRawConfig();
  change(raw);
  return raw;
};
const inFleet = (change: (raw: any) => void) => {
  const raw = fleet();
  change(raw);
  return raw;
};

// Each refused by the app; the schema refuses it too.
test.each<[string, unknown]>([
  ["an account ID as a number", pair((r) => (r.source.accountId = 111111111111))],
  ["a malformed account ID", pair((r) => (r.source.accountId = "12345"))],
  ["a mistyped region", pair((r) => (r.destination.region = "us-east-l"))],
  ["a dotted bucket name", pair((r) => (r.source.bucketName = "alice.bucket"))],
  ["a bucket name with capitals", pair((r) => (r.destination.bucketName = "Bob_Bucket"))],
  ["a reserved bucket prefix", pair((r) => (r.destination.bucketName = "xn--bucket"))],
  ["a key alias with alias/", pair((r) => (r.source.kmsKeyAlias = "alias/x"))],
  ["an AWS managed key alias", pair((r) => (r.destination.kmsKeyAlias = "aws/s3"))],
  ["a missing field", pair((r) => delete r.source.region)],
  ["an unknown field", pair((r) => (r.source.bucket = "x"))],
  ["an unknown backend", pair((r) => (r.backend = { type: "etcd" }))],
  ["credentials of neither form", pair((r) => (r.source.credentials = { user: "alice" }))],
  ["an http subscription", pair((r) => (r.monitoring = { subscriptions: [{ protocol: "http", endpoint: "http://x" }] }))],
  ["an unknown storage class", inFleet((r) => (r.sourceBuckets[0].rules[0].storageClass = "OUTPOSTS"))],
  ["a negative priority", inFleet((r) => (r.sourceBuckets[0].rules[0].priority = -1))],
  ["an empty filter prefix", inFleet((r) => (r.sourceBuckets[0].rules[0].filter = { prefix: "" }))],
  ["a fleet without buckets of Bob's", inFleet((r) => (r.destinationBuckets = []))],
  ["a report prefix without its slash", inFleet((r) => (r.sourceBuckets[0].backfill = { reportPrefix: "reports" }))],
  ["an emulator that is not loopback", pair((r) => (r.emulator = { endpoint: "http://10.0.0.1:5000" }))],
])("%s: both refuse it", (_name, raw) => {
  expect(appAccepts(raw)).toBe(false);
  expect(schemaAccepts(raw)).toBe(false);
});

// Rules across fields, or of a field's value beyond its type: the app's alone.
test.each<[string, unknown]>([
  ["the same account twice", pair((r) => (r.destination.accountId = r.source.accountId))],
  ["the same bucket on both sides", pair((r) => (r.destination.bucketName = r.source.bucketName))],
  ["RTC with metrics off", pair((r) => Object.assign(r.replication, { replicationTimeControl: true, metrics: false }))],
  ["a deploy role of another account", pair((r) => (r.source.credentials = { assumeRoleArn: "arn:aws:iam::222222222222:role/deployer" }))],
  ["a rule into a bucket that is not Bob's", inFleet((r) => (r.sourceBuckets[0].rules[0].destinationBucket = "bob-nowhere-222222222222"))],
  ["two rules with one priority", inFleet((r) => (r.sourceBuckets[0].rules[1].priority = r.sourceBuckets[0].rules[0].priority))],
  ["a bucket of Bob's no rule writes into", inFleet((r) => r.destinationBuckets.push({ bucketName: "bob-unused-222222222222", kmsKeyAlias: "bob-unused" }))],
  ["a source bucket with neither key alias nor key", inFleet((r) => delete r.sourceBuckets[0].kmsKeyAlias)],
])("%s: only the app refuses it (a rule across fields)", (_name, raw) => {
  expect(appAccepts(raw)).toBe(false);
  expect(schemaAccepts(raw)).toBe(true);
});
