// The deployed replication rules as the synth reader shapes them: one proof runs on either.
import { ruleFromApi } from "../../../proof/live/model";

describe("ruleFromApi (GetBucketReplication's rule as the provider's rule block)", () => {
  test("every field the stacks write", () => {
    expect(
      ruleFromApi({
        ID: "r",
        Priority: 10,
        Status: "Enabled",
        Filter: { Prefix: "logs/" },
        DeleteMarkerReplication: { Status: "Disabled" },
        SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: "Enabled" } },
        Destination: {
          Bucket: "arn:aws:s3:::b",
          Account: "222222222222",
          StorageClass: "STANDARD_IA",
          AccessControlTranslation: { Owner: "Destination" },
          EncryptionConfiguration: { ReplicaKmsKeyID: "arn:aws:kms:us-west-2:222222222222:alias/k" },
          ReplicationTime: { Status: "Enabled", Time: { Minutes: 15 } },
          Metrics: { Status: "Enabled", EventThreshold: { Minutes: 15 } },
        },
      }),
    ).toEqual({
      id: "r",
      priority: 10,
      status: "Enabled",
      filter: { prefix: "logs/" },
      delete_marker_replication: { status: "Disabled" },
      source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
      destination: {
        bucket: "arn:aws:s3:::b",
        account: "222222222222",
        storage_class: "STANDARD_IA",
        access_control_translation: { owner: "Destination" },
        encryption_configuration: { replica_kms_key_id: "arn:aws:kms:us-west-2:222222222222:alias/k" },
        replication_time: { status: "Enabled", time: { minutes: 15 } },
        metrics: { status: "Enabled", event_threshold: { minutes: 15 } },
      },
    });
  });

  test('a filter of prefix "" is filter {}; tags become the provider\'s tag and and blocks', () => {
    expect(ruleFromApi({ Status: "Enabled", Filter: { Prefix: "" }, Destination: { Bucket: "b" } }).filter).toEqual({});
    expect(ruleFromApi({ Status: "Enabled", Filter: { Tag: { Key: "k", Value: "v" } }, Destination: { Bucket: "b" } }).filter).toEqual({ tag: { key: "k", value: "v" } });
    expect(
      ruleFromApi({ Status: "Enabled", Filter: { And: { Prefix: "p/", Tags: [{ Key: "k", Value: "v" }] } }, Destination: { Bucket: "b" } }).filter,
    ).toEqual({ and: { prefix: "p/", tags: { k: "v" } } });
  });

  test("a V1 rule keeps its prefix and has no filter, as the static check needs to see", () => {
    const rule = ruleFromApi({ Status: "Enabled", Prefix: "", Destination: { Bucket: "b" } });
    expect(rule.filter).toBeUndefined();
    expect(rule.prefix).toBe("");
  });
});
