// The two stacks of a two-way pair (examples/two-way.json): Alice's bucket and key admit exactly
// Bob's role of the way back, by an exact aws:PrincipalArn (the role does not exist when Alice's
// stack is applied first); Bob's stack holds that role and the configuration of the way back.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseConfig } from "../../lib/config";
import { policyIn, PROJECT_ROOT, statement, synthPair } from "../support/fixtures";

const config = parseConfig(JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples", "two-way.json"), "utf8")));
const { source, dest } = synthPair(config);
const BACK_ROLE = "arn:aws:iam::222222222222:role/s3-replication-bob-orders-dr-222222222222";
const onlyBackRole = { ArnEquals: { "aws:PrincipalArn": BACK_ROLE } };

describe("Alice's stack", () => {
  test("the bucket of the pair admits the role of the way back, and Bob's account to read its versioning; the other bucket nothing of Bob's", () => {
    const policy = policyIn(source, "aws_s3_bucket_policy", "alice_orders_111111111111");
    expect(statement(policy, "BobReplicationRoleWritesReplicas")).toEqual({
      Sid: "BobReplicationRoleWritesReplicas",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::222222222222:root" },
      Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
      Resource: "arn:aws:s3:::alice-orders-111111111111/*",
      Condition: onlyBackRole,
    });
    expect(statement(policy, "BobChecksSourceVersioning")).toMatchObject({ Action: "s3:GetBucketVersioning", Resource: "arn:aws:s3:::alice-orders-111111111111" });
    expect(JSON.stringify(policyIn(source, "aws_s3_bucket_policy", "alice_app_logs_111111111111"))).not.toContain("222222222222");
  });

  test("the key of the pair lets the role of the way back encrypt through S3, for that bucket only, and no more than the role's policy asks", () => {
    const key = policyIn(source, "aws_kms_key", "alice_orders_111111111111_key");
    expect(statement(key, "BobReplicationRoleEncryptsReplicas")).toEqual({
      Sid: "BobReplicationRoleEncryptsReplicas",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::222222222222:root" },
      Action: ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"],
      Resource: "*",
      Condition: {
        StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::alice-orders-111111111111", "arn:aws:s3:::alice-orders-111111111111/*"] },
        ...onlyBackRole,
      },
    });
    expect(key.Statement).toHaveLength(2);
  });

  test("the two-way rule syncs replica modifications; the one-way rule does not", () => {
    const rule = (name: string) => source.resource.aws_s3_bucket_replication_configuration[name].rule[0];
    expect(rule("alice_orders_111111111111_replication").source_selection_criteria).toEqual({ replica_modifications: { status: "Enabled" }, sse_kms_encrypted_objects: { status: "Enabled" } });
    expect(rule("alice_app_logs_111111111111_replication").source_selection_criteria).toEqual({ sse_kms_encrypted_objects: { status: "Enabled" } });
  });
});

describe("Bob's stack", () => {
  test("the role of the way back: trusted by S3 for Bob's bucket only; reads it, writes into Alice's bucket with her key", () => {
    expect(Object.keys(dest.resource.aws_iam_role)).toEqual(["bob_orders_dr_222222222222_reverse_replication_role"]);
    const role = dest.resource.aws_iam_role.bob_orders_dr_222222222222_reverse_replication_role;
    expect(role.name).toBe("s3-replication-bob-orders-dr-222222222222");
    expect(JSON.parse(role.assume_role_policy).Statement[0]).toMatchObject({
      Principal: { Service: "s3.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": "222222222222" }, ArnLike: { "aws:SourceArn": "arn:aws:s3:::bob-orders-dr-222222222222" } },
    });
    const policy = policyIn(dest, "aws_iam_role_policy", "bob_orders_dr_222222222222_reverse_replication_role_policy");
    expect(statement(policy, "WriteReplicasToDestinationBucket").Resource).toBe("arn:aws:s3:::alice-orders-111111111111/*");
    // Bob's bucket is locked: the way back reads each version's lock.
    expect(statement(policy, "ReadSourceObjectVersions").Action).toEqual(expect.arrayContaining(["s3:GetObjectRetention", "s3:GetObjectLegalHold"]));
    expect(statement(policy, "EncryptReplicasWithDestinationKey").Condition).toMatchObject({ "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/alice-orders" } });
  });

  test("the replication configuration of the way back: the two-way rule's ID, into Alice's bucket and key, replica modification sync on", () => {
    const back = dest.resource.aws_s3_bucket_replication_configuration.bob_orders_dr_222222222222_reverse_replication;
    expect(back.role).toBe("${aws_iam_role.bob_orders_dr_222222222222_reverse_replication_role.arn}");
    expect(back.count).toBeUndefined();
    expect(back.rule).toEqual([
      {
        id: "orders-dr",
        status: "Enabled",
        filter: {},
        delete_marker_replication: { status: "Disabled" },
        source_selection_criteria: { replica_modifications: { status: "Enabled" }, sse_kms_encrypted_objects: { status: "Enabled" } },
        destination: {
          bucket: "arn:aws:s3:::alice-orders-111111111111",
          account: "111111111111",
          encryption_configuration: { replica_kms_key_id: "arn:aws:kms:us-east-1:111111111111:alias/alice-orders" },
          access_control_translation: { owner: "Destination" },
        },
      },
    ]);
    expect(dest.output.reverse_replication_role_arn_bob_orders_dr_222222222222.value).toBe("${aws_iam_role.bob_orders_dr_222222222222_reverse_replication_role.arn}");
  });
});
