// The access analysis on the default config's synth output: nothing beyond the intended access as
// synthesized, and each kind of widening named with principal, action, resource and statement.
import { analyseAccess } from "../../../proof/access/analysis";
import { bindIntendedAccess } from "../../../proof/access/intended";
import { buildFleetModel } from "../../../proof/synth/model";
import { loadSynthOutput, type SynthOutput } from "../../../proof/synth/synth-output";
import { runApp } from "../../support/app";

const out = loadSynthOutput(runApp().outdir);
const GROUPS = { destination: "Bob's buckets", alerts: "alerts" };
const SRC = "arn:aws:s3:::alice-replication-source-111111111111";
const DEST = "arn:aws:s3:::bob-replication-destination-222222222222";

function withEdit(edit: (stacks: any) => void): SynthOutput {
  const stacks = JSON.parse(JSON.stringify(out.stacks));
  edit(stacks);
  return { dir: out.dir, stacks };
}
const editPolicy = (resource: any, attribute: string, change: (doc: any) => void) => {
  const doc = JSON.parse(resource[attribute]);
  change(doc);
  resource[attribute] = JSON.stringify(doc);
};

test("the intended access of the pair, bound to its ARNs", () => {
  const rows = bindIntendedAccess(buildFleetModel(out)).map((b) => [b.row.id, b.principal, b.resources]);
  expect(rows).toEqual([
    ["s3-assumes-replication-role", "service:s3.amazonaws.com", ["arn:aws:iam::111111111111:role/s3-replication-alice-to-bob"]],
    ["replication-role-reads-source-bucket", "replication-role:alice-replication-source-111111111111", [SRC]],
    ["replication-role-reads-source-versions", "replication-role:alice-replication-source-111111111111", [`${SRC}/*`]],
    ["replication-role-decrypts-source-objects", "replication-role:alice-replication-source-111111111111", ["arn:aws:kms:us-east-1:111111111111:key/keyid-source_key"]],
    ["replication-role-writes-replicas", "replication-role:alice-replication-source-111111111111", [`${DEST}/*`]],
    ["replication-role-hands-replicas-to-bob", "replication-role:alice-replication-source-111111111111", [`${DEST}/*`]],
    ["replication-role-uses-replica-key", "replication-role:alice-replication-source-111111111111", ["arn:aws:kms:us-west-2:222222222222:key/keyid-replica_key"]],
    ["replication-role-describes-replica-key", "replication-role:alice-replication-source-111111111111", ["arn:aws:kms:us-west-2:222222222222:key/keyid-replica_key"]],
    ["source-account-reads-destination-versioning", "account:111111111111", [DEST]],
  ]);
});

test("as synthesized, nothing beyond the intended access, and every side was asked", async () => {
  const a = await analyseAccess(buildFleetModel(out), GROUPS);
  expect(a.findings).toEqual([]);
  expect(a.simulations).toBeGreaterThan(200);
});

test("Bob's key policy granting Alice's root kms:Decrypt: every principal of Alice's it reaches, by statement", async () => {
  const a = await analyseAccess(
    buildFleetModel(
      withEdit((s) =>
        editPolicy(s.dest.resource.aws_kms_key.replica_key, "policy", (d) =>
          d.Statement.push({ Sid: "Leak", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:Decrypt", Resource: "*" }),
        ),
      ),
    ),
    GROUPS,
  );
  expect(a.findings.map((f) => [f.side, f.principal, f.actions, f.allowedBy])).toEqual(
    expect.arrayContaining([
      ["resource", "an administrator of Alice's account", ["kms:Decrypt"], ["key policy of Bob's key of bob-replication-destination-222222222222: Leak"]],
      ["resource", "Alice's account root", ["kms:Decrypt"], ["key policy of Bob's key of bob-replication-destination-222222222222: Leak"]],
    ]),
  );
  expect(a.findings.every((f) => f.group === "Bob's buckets")).toBe(true);
});

test("a role policy reaching another bucket of Bob's is an identity-side finding", async () => {
  const a = await analyseAccess(
    buildFleetModel(
      withEdit((s) =>
        editPolicy(s.source.resource.aws_iam_role_policy.replication_role_policy, "policy", (d) => {
          d.Statement[2].Resource = "arn:aws:s3:::bob-*/*";
        }),
      ),
    ),
    GROUPS,
  );
  const lookalike = a.findings.find((f) => f.resource.includes("bob-replication-destination-222222222222-lookalike"));
  expect(lookalike).toMatchObject({ side: "identity", principal: "the replication role of alice-replication-source-111111111111", allowedBy: ["role policy s3-cross-account-replication: WriteReplicasToDestinationBucket"] });
  expect(lookalike!.actions).toEqual(expect.arrayContaining(["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]));
});

test("StringEqualsIfExists on kms:ViaService: allowed when the key is absent, and the context says so", async () => {
  const a = await analyseAccess(
    buildFleetModel(
      withEdit((s) =>
        editPolicy(s.dest.resource.aws_kms_key.replica_key, "policy", (d) => {
          const st = d.Statement[1];
          st.Condition.StringEqualsIfExists = st.Condition.StringEquals;
          delete st.Condition.StringEquals;
        }),
      ),
    ),
    GROUPS,
  );
  expect(a.findings.length).toBeGreaterThan(0);
  expect(a.findings[0].contexts.join(" | ")).toMatch(/kms:ViaService absent/);
});

// The engine is asked once per action class (actions matched by the same statements): a Deny on
// one action of a grant's wildcard splits it off, on either side, so no other action's answer
// stands in for it.
test("a Deny on one action of a wildcard grant: the others are findings, that one is not", async () => {
  const a = await analyseAccess(
    buildFleetModel(
      withEdit((s) => {
        editPolicy(s.dest.resource.aws_kms_key.replica_key, "policy", (d) =>
          d.Statement.push(
            { Sid: "Leak", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:GenerateDataKey*", Resource: "*" },
            { Sid: "NoPairs", Effect: "Deny", Principal: "*", Action: "kms:GenerateDataKeyPair", Resource: "*" },
          ),
        );
        editPolicy(s.source.resource.aws_iam_role_policy.replication_role_policy, "policy", (d) =>
          d.Statement.push(
            { Sid: "Wider", Effect: "Allow", Action: "kms:GenerateDataKey*", Resource: "arn:aws:kms:us-west-2:222222222222:key/*" },
            { Sid: "NotThatOne", Effect: "Deny", Action: "kms:GenerateDataKeyPairWithoutPlaintext", Resource: "*" },
          ),
        );
      }),
    ),
    GROUPS,
  );
  const root = a.findings.find((f) => f.side === "resource" && f.principal === "Alice's account root")!;
  expect([...root.actions].sort()).toEqual(["kms:GenerateDataKey", "kms:GenerateDataKeyPairWithoutPlaintext", "kms:GenerateDataKeyWithoutPlaintext"]);
  const role = a.findings.filter((f) => f.side === "identity" && f.allowedBy.some((x) => x.endsWith(": Wider"))).flatMap((f) => f.actions);
  expect(role).toEqual(expect.arrayContaining(["kms:GenerateDataKeyPair", "kms:GenerateDataKeyWithoutPlaintext"]));
  expect(role).not.toContain("kms:GenerateDataKeyPairWithoutPlaintext");
});
