// The replication rule on its own: what S3 requires of metrics and Replication Time Control.
import { replicationRule, type ReplicationRuleProps } from "../lib/replication-rule";

const props: ReplicationRuleProps = {
  id: "rule-1",
  destination: { accountId: "222222222222", region: "eu-west-1", bucketName: "bob-bucket", kmsKeyAlias: "bob-key" },
  ownerOverride: false,
  replicateDeleteMarkers: false,
  metrics: false,
  replicationTimeControl: false,
};

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
    const rule = replicationRule({ ...props, ownerOverride: true, replicateDeleteMarkers: true });
    expect(rule.destination.accessControlTranslation).toEqual({ owner: "Destination" });
    expect(rule.deleteMarkerReplication).toEqual({ status: "Enabled" });
  });

  test.each<[string, Partial<ReplicationRuleProps>, object]>([
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
    const { destination } = replicationRule({ ...props, ...change });
    expect({ replicationTime: destination.replicationTime, metrics: destination.metrics }).toEqual({ replicationTime: undefined, metrics: undefined, ...expected });
  });
});
