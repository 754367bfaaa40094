// The replication rule on its own: filters, priority, storage class, and what S3 requires of
// metrics and Replication Time Control.
import type { RuleConfig } from "../../lib/config";
import { replicationRule, type ReplicationRuleProps } from "../../lib/replication-rule";

const rule: RuleConfig = {
  id: "rule-1",
  destinationBucket: "bob-bucket",
  ownerOverride: false,
  replicateDeleteMarkers: false,
  metrics: false,
  replicationTimeControl: false,
  twoWay: false,
};
const props: ReplicationRuleProps = {
  rule,
  destination: { accountId: "222222222222", region: "eu-west-1", bucketName: "bob-bucket", kmsKeyAlias: "bob-key" },
};
const ruleWith = (change: Partial<RuleConfig>) => replicationRule({ ...props, rule: { ...rule, ...change } });

describe("replicationRule", () => {
  test("a V2 rule for the whole bucket that replicates SSE-KMS objects with Bob's key, named by alias ARN", () => {
    expect(replicationRule(props)).toEqual({
      id: "rule-1",
      status: "Enabled",
      filter: {},
      deleteMarkerReplication: { status: "Disabled" },
      sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
      destination: {
        bucket: "arn:aws:s3:::bob-bucket",
        account: "222222222222",
        encryptionConfiguration: { replicaKmsKeyId: "arn:aws:kms:eu-west-1:222222222222:alias/bob-key" },
      },
    });
  });

  test("owner override and delete markers", () => {
    const synthesized = ruleWith({ ownerOverride: true, replicateDeleteMarkers: true });
    expect(synthesized.destination.accessControlTranslation).toEqual({ owner: "Destination" });
    expect(synthesized.deleteMarkerReplication).toEqual({ status: "Enabled" });
  });

  test.each<[string, Partial<RuleConfig>, object]>([
    ["metrics alone: no event threshold (S3 rejects one without RTC)", { metrics: true }, { metrics: { status: "Enabled" } }],
    [
      "RTC: replication time and metrics with the event threshold, 15 minutes each",
      { metrics: true, replicationTimeControl: true },
      { replicationTime: { status: "Enabled", time: { minutes: 15 } }, metrics: { status: "Enabled", eventThreshold: { minutes: 15 } } },
    ],
    [
      "RTC brings metrics even if asked without them",
      { metrics: false, replicationTimeControl: true },
      { replicationTime: { status: "Enabled", time: { minutes: 15 } }, metrics: { status: "Enabled", eventThreshold: { minutes: 15 } } },
    ],
  ])("%s", (_name, change, expected) => {
    const { destination } = ruleWith(change);
    expect({ replicationTime: destination.replicationTime, metrics: destination.metrics }).toEqual({ replicationTime: undefined, metrics: undefined, ...expected });
  });

  test.each<[string, RuleConfig["filter"], object]>([
    ["a prefix", { prefix: "logs/" }, { prefix: "logs/" }],
    ["one tag", { tags: { backup: "yes" } }, { tag: { key: "backup", value: "yes" } }],
    ["two tags", { tags: { a: "1", b: "2" } }, { and: { tags: { a: "1", b: "2" } } }],
    ["a prefix and a tag", { prefix: "logs/", tags: { a: "1" } }, { and: { prefix: "logs/", tags: { a: "1" } } }],
  ])("filter: %s", (_name, filter, expected) => {
    expect(ruleWith({ filter }).filter).toEqual(expected);
  });

  test("priority and storage class when given, absent otherwise", () => {
    const synthesized = ruleWith({ priority: 7, storageClass: "GLACIER_IR" });
    expect(synthesized.priority).toBe(7);
    expect(synthesized.destination.storageClass).toBe("GLACIER_IR");
    expect(replicationRule(props)).not.toHaveProperty("priority");
    expect(replicationRule(props).destination).not.toHaveProperty("storageClass");
  });
});
