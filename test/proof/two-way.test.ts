// verify on a two-way pair (examples/two-way.json): both directions proved, the way back with the
// same requests, rule checks and intended access as the way there; removing any grant of the way
// back, widening it, or leaving Alice's grants to a role Bob's stack does not hold, fails.
import * as path from "node:path";
import { verify } from "../../proof/index";
import type { VerifyReport } from "../../proof/report";
import { runApp } from "../support/app";
import { PROJECT_ROOT } from "../support/fixtures";
import { editPolicy, mutated as mutatedCopy, statementOf, type Stacks } from "../support/mutate";

const synth = runApp(path.join(PROJECT_ROOT, "examples", "two-way.json"));
const mutated = (change: (stacks: Stacks) => void) => mutatedCopy(synth.outdir, change);

const ALICE_BUCKET = "alice-orders-111111111111";
const BOB_BUCKET = "bob-orders-dr-222222222222";
const failed = (r: VerifyReport) => [
  ...r.findings.filter((f) => !f.holds).map((f) => `[${f.group}] ${f.check}: ${f.detail}`),
  ...r.requests.filter((q) => !q.holds).map((q) => `[${q.group}] ${q.id} ${q.action} ${q.actual}: ${q.title}`),
  ...r.access.findings.map((a) => `[${a.group}] unintended: ${a.principal} ${a.actions.join(",")} on ${a.resource}: ${a.allowedBy.join(", ")}`),
];
const aliceBucketPolicy = (s: Stacks) => s.source.resource.aws_s3_bucket_policy.alice_orders_111111111111;
const aliceKey = (s: Stacks) => s.source.resource.aws_kms_key.alice_orders_111111111111_key;
const backRolePolicy = (s: Stacks) => s.dest.resource.aws_iam_role_policy.bob_orders_dr_222222222222_reverse_replication_role_policy;
const backRole = (s: Stacks) => s.dest.resource.aws_iam_role.bob_orders_dr_222222222222_reverse_replication_role;
const backConfiguration = (s: Stacks) => s.dest.resource.aws_s3_bucket_replication_configuration.bob_orders_dr_222222222222_reverse_replication;
const without = (doc: any, sid: string) => (doc.Statement = doc.Statement.filter((x: any) => x.Sid !== sid));

describe("verify, examples/two-way.json", () => {
  test("passes, proving the way back with requests of its own and both ends' replica modification sync", async () => {
    expect(synth.status).toBe(0);
    const report = await verify(synth.outdir);
    expect(failed(report)).toEqual([]);
    const back = report.requests.filter((q) => q.group === BOB_BUCKET);
    expect(back.map((q) => q.id)).toEqual(expect.arrayContaining(["s3-assumes-replication-role", "role-reads-source-versions", "role-reads-source-locks", "role-writes-replicas", "role-encrypts-replicas", "deployer-reads-destination-versioning"]));
    expect(back.find((q) => q.id === "role-writes-replicas")!.title).toBe("the role writes replicas into Alice's bucket (the way back)");
    expect(back.find((q) => q.id === "role-writes-replicas")!.resource).toBe(`arn:aws:s3:::${ALICE_BUCKET}/replicated/object.txt`);
    expect(report.findings.find((f) => f.check === "replica modification sync at both ends of a two-way pair")).toMatchObject({ holds: true, group: ALICE_BUCKET });
    expect(report.access.intended.some((row) => row.group === BOB_BUCKET && row.id === "replication-role-writes-replicas")).toBe(true);
    expect(report.topology?.rules.map((r) => `${r.from} -> ${r.to}`)).toEqual(expect.arrayContaining([`${ALICE_BUCKET} -> ${BOB_BUCKET}`, `${BOB_BUCKET} -> ${ALICE_BUCKET}`]));
  });

  // Every grant of the way back, removed: verify fails naming the request it breaks.
  test.each<[string, (s: Stacks) => void, RegExp]>([
    ["Alice's bucket policy: the role's replica writes", (s) => editPolicy(aliceBucketPolicy(s), (d) => without(d, "BobReplicationRoleWritesReplicas")), /^\[bob-orders-dr-222222222222\] role-writes-replicas s3:ReplicateObject DENIED: the role writes replicas into Alice's bucket \(the way back\)$/],
    ["Alice's bucket policy: Bob's versioning read", (s) => editPolicy(aliceBucketPolicy(s), (d) => without(d, "BobChecksSourceVersioning")), /^\[bob-orders-dr-222222222222\] deployer-reads-destination-versioning s3:GetBucketVersioning DENIED: Bob's deployer reads Alice's bucket versioning/],
    ["Alice's key policy: encrypting replicas", (s) => editPolicy(aliceKey(s), (d) => without(d, "BobReplicationRoleEncryptsReplicas")), /^\[bob-orders-dr-222222222222\] role-encrypts-replicas kms:Encrypt DENIED/],
    ["the role's trust", (s) => editPolicy(backRole(s), (d) => (d.Statement[0].Condition.ArnLike["aws:SourceArn"] = "arn:aws:s3:::another-bucket"), "assume_role_policy"), /^\[bob-orders-dr-222222222222\] s3-assumes-replication-role sts:AssumeRole DENIED/],
    ["the role's writes into Alice's bucket", (s) => editPolicy(backRolePolicy(s), (d) => without(d, "WriteReplicasToDestinationBucket")), /^\[bob-orders-dr-222222222222\] role-writes-replicas s3:ReplicateObject DENIED/],
    ["the role's reads of Bob's bucket", (s) => editPolicy(backRolePolicy(s), (d) => without(d, "ReadSourceObjectVersions")), /^\[bob-orders-dr-222222222222\] role-reads-source-versions s3:GetObjectVersionForReplication DENIED/],
    ["the role's decrypts with Bob's key", (s) => editPolicy(backRolePolicy(s), (d) => without(d, "DecryptSourceObjects")), /^\[bob-orders-dr-222222222222\] role-decrypts-source kms:Decrypt DENIED/],
    ["the role's encrypts with Alice's key", (s) => editPolicy(backRolePolicy(s), (d) => without(d, "EncryptReplicasWithDestinationKey")), /^\[bob-orders-dr-222222222222\] role-encrypts-replicas kms:Encrypt DENIED/],
    ["replica modification sync on the way back", (s) => delete backConfiguration(s).rule[0].source_selection_criteria.replica_modifications, /replica modification sync at both ends of a two-way pair: .*back \(rule orders-dr\): off/],
    ["replica modification sync on the way there", (s) => delete s.source.resource.aws_s3_bucket_replication_configuration.alice_orders_111111111111_replication.rule[0].source_selection_criteria.replica_modifications, /replica modification sync at both ends of a two-way pair: .*\(rule orders-dr\): off; back/],
  ])("%s removed fails, naming it", async (_name, change, expected) => {
    const report = await verify(mutated(change));
    expect(report.ok).toBe(false);
    expect(failed(report)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  test.each<[string, (s: Stacks) => void, RegExp]>([
    [
      "Alice's grant widened to every role of Bob's",
      (s) => editPolicy(aliceBucketPolicy(s), (d) => (statementOf(d, "BobReplicationRoleWritesReplicas").Condition = { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::222222222222:role/*" } })),
      /unintended: .*Bob's.* s3:.*Replicate.* on an object of alice-orders-111111111111.*BobReplicationRoleWritesReplicas/,
    ],
    [
      "the role of the way back reading Alice's objects",
      (s) => editPolicy(backRolePolicy(s), (d) => statementOf(d, "WriteReplicasToDestinationBucket").Action.push("s3:GetObject")),
      /^\[bob-orders-dr-222222222222\] unintended: the replication role of bob-orders-dr-222222222222 s3:GetObject on .*alice-orders-111111111111/,
    ],
    [
      "the way back removed from Bob's stack, Alice's grants left naming its role",
      (s) => {
        delete s.dest.resource.aws_s3_bucket_replication_configuration;
        delete s.dest.resource.aws_iam_role;
        delete s.dest.resource.aws_iam_role_policy;
      },
      /unintended: the role arn:aws:iam::222222222222:role\/s3-replication-bob-orders-dr-222222222222 \(a policy names it; the deployment holds no such role\) .*Replicate/,
    ],
  ])("%s fails", async (_name, change, expected) => {
    const report = await verify(mutated(change));
    expect(report.ok).toBe(false);
    expect(failed(report)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  // Not widenings: the exact aws:PrincipalArn condition still admits Bob's role alone (the
  // regression corpus leaves them out for that reason, test/support/regressions.ts).
  test.each<[string, (s: Stacks) => void]>([
    ['Alice\'s grant with principal "*"', (s) => editPolicy(aliceBucketPolicy(s), (d) => (statementOf(d, "BobReplicationRoleWritesReplicas").Principal = { AWS: "*" }))],
    ["Alice's grant with a third account beside Bob's", (s) => editPolicy(aliceKey(s), (d) => (statementOf(d, "BobReplicationRoleEncryptsReplicas").Principal = { AWS: ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"] }))],
    ["Alice's grant with ArnEqualsIfExists on the role", (s) => editPolicy(aliceBucketPolicy(s), (d) => {
      const st = statementOf(d, "BobReplicationRoleWritesReplicas");
      st.Condition = { ArnEqualsIfExists: st.Condition.ArnEquals };
    })],
  ])("%s still admits only the role of the way back: verify passes", async (_name, change) => {
    const report = await verify(mutated(change));
    expect(failed(report)).toEqual([]);
  });

  test("a way back naming a role its stack does not hold is unusable input, named", async () => {
    await expect(verify(mutated((s) => (backConfiguration(s).role = "arn:aws:iam::222222222222:role/elsewhere")))).rejects.toThrow(
      /the replication role arn:aws:iam::222222222222:role\/elsewhere of aws_s3_bucket_replication_configuration\.bob_orders_dr_222222222222_reverse_replication is not an aws_iam_role of stack dest/,
    );
  });
});
