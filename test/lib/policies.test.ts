// Policy builders on inputs the shipped configs do not reach: writers and destinations that differ
// in owner override get the override permission only where a rule asks for it.
import { destinationBucketPolicy, replicationRolePolicy, type ReplicaDestination } from "../../lib/policies";

const destination = (bucketName: string, ownerOverride: boolean, sidSuffix: string): ReplicaDestination => ({
  bucketName,
  accountId: "222222222222",
  region: "us-west-2",
  kmsKeyAlias: bucketName,
  ownerOverride,
  sidSuffix,
});

test("a role writing into two buckets, one with owner override: the override only there", () => {
  const policy = replicationRolePolicy({
    source: { bucketName: "alice", region: "us-east-1" },
    sourceKeyArn: "arn:aws:kms:us-east-1:111111111111:key/k",
    destinations: [destination("bob-a", true, "BobA"), destination("bob-b", false, "BobB")],
  });
  const writes = policy.Statement.filter((s) => s.Sid?.startsWith("WriteReplicas")).map((s) => [s.Sid, s.Action, s.Resource]);
  expect(writes).toEqual([
    ["WriteReplicasToDestinationBucket", ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"], "arn:aws:s3:::bob-a/*"],
    ["WriteReplicasToDestinationBucketOwnerKept", ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], "arn:aws:s3:::bob-b/*"],
  ]);
  expect(policy.Statement.filter((s) => s.Sid?.startsWith("EncryptReplicas")).map((s) => s.Sid)).toEqual([
    "EncryptReplicasWithDestinationKeyBobA",
    "EncryptReplicasWithDestinationKeyBobB",
  ]);
});

test("a bucket of Bob's with two writers, one with owner override: a statement each", () => {
  const policy = destinationBucketPolicy({
    bucketName: "bob",
    sourceAccountId: "111111111111",
    writers: [
      { roleArn: "arn:aws:iam::111111111111:role/a", ownerOverride: false },
      { roleArn: "arn:aws:iam::111111111111:role/b", ownerOverride: true },
    ],
  });
  expect(policy.Statement.filter((s) => s.Sid?.startsWith("AliceReplicationRole")).map((s) => [s.Sid, s.Principal, (s.Action as string[]).length])).toEqual([
    ["AliceReplicationRoleWritesReplicas", { AWS: "arn:aws:iam::111111111111:role/b" }, 4],
    ["AliceReplicationRoleWritesReplicasOwnerKept", { AWS: "arn:aws:iam::111111111111:role/a" }, 3],
  ]);
});
