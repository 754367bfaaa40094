// The typed replication rule: what the synth reader makes of the provider's rule block, in every
// form Terraform accepts it, and what it refuses rather than drop.
import { VerifyInputError } from "../../proof/errors";
import { overridesOwner, ruleFromTerraform } from "../../proof/replication-rule";
import { ruleFromApi } from "../../proof/live/model";

const WHERE = "stack source: resource.aws_s3_bucket_replication_configuration.r.rule[0]";

describe("ruleFromTerraform", () => {
  test("blocks written as lists of one and numbers written as strings read as the plain values", () => {
    expect(
      ruleFromTerraform(
        {
          id: "r",
          priority: "10",
          status: "Enabled",
          filter: [{ and: [{ prefix: "logs/", tags: { team: "a" } }] }],
          delete_marker_replication: [{ status: "Disabled" }],
          destination: [{ bucket: "arn:aws:s3:::b", replication_time: [{ status: "Enabled", time: [{ minutes: "15" }] }], metrics: { status: "Enabled", event_threshold: { minutes: 15 } } }],
        },
        WHERE,
      ),
    ).toEqual({
      id: "r",
      priority: 10,
      status: "Enabled",
      filter: { and: { prefix: "logs/", tags: { team: "a" } } },
      delete_marker_replication: { status: "Disabled" },
      destination: { bucket: "arn:aws:s3:::b", replication_time: { status: "Enabled", time: { minutes: 15 } }, metrics: { status: "Enabled", event_threshold: { minutes: 15 } } },
    });
  });

  test("filter {} stays an empty filter; a rule without one has none (a V1 rule)", () => {
    expect(ruleFromTerraform({ status: "Enabled", filter: {}, destination: {} }, WHERE).filter).toEqual({});
    expect(ruleFromTerraform({ status: "Enabled", prefix: "", destination: {} }, WHERE)).toEqual({ status: "Enabled", prefix: "", destination: {} });
  });

  test("an attribute the provider does not have is refused, naming where, not dropped", () => {
    expect(() => ruleFromTerraform({ status: "Enabled", destination: { bucket: "arn:aws:s3:::b", replica_kms_key_id: "k" } }, WHERE)).toThrow(
      new VerifyInputError(`${WHERE}.destination: replica_kms_key_id is not an attribute of the provider's replication rule`),
    );
  });

  test("a value of the wrong type is refused with its path", () => {
    expect(() => ruleFromTerraform({ status: 1, destination: {} }, WHERE)).toThrow(`${WHERE}.status: expected a string, found number 1`);
    expect(() => ruleFromTerraform({ priority: "first", destination: {} }, WHERE)).toThrow(`${WHERE}.priority: expected a number, found "first"`);
    expect(() => ruleFromTerraform({ destination: [{}, {}] }, WHERE)).toThrow(`${WHERE}.destination: expected one block, found several`);
  });

  test("overridesOwner reads access_control_translation", () => {
    expect(overridesOwner(ruleFromTerraform({ destination: { access_control_translation: { owner: "Destination" } } }, WHERE))).toBe(true);
    expect(overridesOwner(ruleFromTerraform({ destination: {} }, WHERE))).toBe(false);
  });
});

// On purpose a round trip: the two readers must agree, or verify --live reports drift that is not there.
test("the synth reader and the live reader decode one rule to the same value", () => {
  const synthesized = ruleFromTerraform(
    {
      id: "r",
      priority: 1,
      status: "Enabled",
      filter: {},
      delete_marker_replication: { status: "Disabled" },
      source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
      destination: { bucket: "arn:aws:s3:::b", account: "222222222222", access_control_translation: { owner: "Destination" }, encryption_configuration: { replica_kms_key_id: "k" } },
    },
    WHERE,
  );
  const read = ruleFromApi({
    ID: "r",
    Priority: 1,
    Status: "Enabled",
    Filter: { Prefix: "" },
    DeleteMarkerReplication: { Status: "Disabled" },
    SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: "Enabled" } },
    Destination: { Bucket: "arn:aws:s3:::b", Account: "222222222222", AccessControlTranslation: { Owner: "Destination" }, EncryptionConfiguration: { ReplicaKmsKeyID: "k" } },
  });
  expect(read).toEqual(synthesized);
});
