// Who replicates where, and what resources and outputs are called: the fleet example and the pair.
import { destinationBucketNames, identifierOf, sourceBucketNames } from "../../lib/naming";
import { destinationsOf, sidSuffixOf, writersInto } from "../../lib/topology";
import { configWith, fleetConfig } from "../support/fixtures";

test("each source bucket's destinations, in rule order, once each", () => {
  const fleet = fleetConfig();
  const appLogs = fleet.sourceBuckets.find((b) => b.bucketName === "alice-app-logs-111111111111")!;
  expect(destinationsOf(fleet, appLogs).map((d) => [d.bucketName, d.kmsKeyAlias, d.sidSuffix])).toEqual([
    ["bob-log-archive-222222222222", "bob-log-archive", "BobLogArchive222222222222"],
    ["bob-backup-222222222222", "bob-backup", "BobBackup222222222222"],
  ]);
  // One destination: no Sid suffix, so the pair's statement IDs never change.
  expect(destinationsOf(configWith(), configWith().sourceBuckets[0]).map((d) => d.sidSuffix)).toEqual([""]);
});

test("each of Bob's buckets admits exactly the source buckets whose rules write there", () => {
  const fleet = fleetConfig();
  expect(writersInto(fleet, "bob-log-archive-222222222222").map((w) => w.source.bucketName)).toEqual(["alice-app-logs-111111111111", "alice-web-logs-111111111111"]);
  expect(writersInto(fleet, "bob-backup-222222222222").map((w) => w.source.bucketName)).toEqual(["alice-app-logs-111111111111", "alice-documents-111111111111"]);
  expect(writersInto(fleet, "no-such-bucket")).toEqual([]);
});

test("Sid suffixes and Terraform identifiers from bucket names", () => {
  expect(sidSuffixOf("bob-archive-2222")).toBe("BobArchive2222");
  expect(identifierOf("alice-logs-1111")).toBe("alice_logs_1111");
  expect(identifierOf("1logs")).toBe("_1logs");
});

test("the pair keeps its historical names; a fleet names everything after its bucket", () => {
  const pair = configWith();
  expect(sourceBucketNames(pair, "anything").bucket).toBe("source_bucket");
  expect(sourceBucketNames(pair, "anything").output("replication_role_arn")).toBe("replication_role_arn");
  expect(destinationBucketNames(pair, "anything").key).toBe("replica_key");
  const fleet = fleetConfig();
  const names = sourceBucketNames(fleet, "alice-app-logs-111111111111");
  expect([names.bucket, names.role, names.backfillRolePolicy, names.output("replication_role_arn")]).toEqual([
    "alice_app_logs_111111111111",
    "alice_app_logs_111111111111_replication_role",
    "alice_app_logs_111111111111_backfill_role_policy",
    "replication_role_arn_alice_app_logs_111111111111",
  ]);
  expect(destinationBucketNames(fleet, "bob-backup-222222222222").key).toBe("bob_backup_222222222222_key");
});
