// verify --live's comparison of the deployed model with the synthesized one: a deployment that
// matches holds everywhere; each kind of drift the issue names is one finding, with its fix.
import type { PolicyDocument } from "../../../lib/policies";
import { canonical, DRIFT_CHECK, driftFindings, KEY_STATE_CHECK, policyDrift } from "../../../proof/checks/drift";
import type { LiveFleet } from "../../../proof/live/model";
import { buildFleetModel, type FleetModel } from "../../../proof/synth/model";
import { DESTINATION_GROUP } from "../../../proof/checks/static-checks";
import { loadSynthOutput } from "../../../proof/synth/synth-output";
import { runApp } from "../../support/app";
import { PROJECT_ROOT } from "../../support/fixtures";
import * as path from "node:path";

const expected = buildFleetModel(loadSynthOutput(runApp(path.join(PROJECT_ROOT, "examples", "monitoring.json")).outdir));
const DEPLOYED_KEY = "arn:aws:kms:us-west-2:222222222222:key/0b6a2d3e-0000-4000-8000-000000000001";

/**
 * The baseline of every test below, a round trip on purpose: the synthesized model as a deployment
 * that matches it would read (keys Enabled, Bob's key under the ARN AWS gave it), then changed by
 * `change`. Each test changes one thing and expects literal findings; verify --live's reading of
 * real API answers is tested in test/proof/live and by the emulated deploy.
 */
function deployed(change: (m: FleetModel) => void = () => undefined): LiveFleet {
  const model: FleetModel = structuredClone(expected);
  for (const k of model.keys) k.state = "Enabled";
  // One key under its deployed ARN, as AWS names it: the comparison must map it back.
  const bobKey = expected.destinationBuckets[0].key!.arn;
  const swap = (m: FleetModel) => JSON.parse(JSON.stringify(m).split(bobKey).join(DEPLOYED_KEY));
  const live = swap(model);
  change(live);
  return { model: live, keyArns: new Map([[bobKey, DEPLOYED_KEY]]), notes: [] };
}

const allBuckets = new Set([...expected.replications.map((r) => r.sourceBucket.name), ...expected.destinationBuckets.map((d) => d.bucket.name)]);
const failed = (live: LiveFleet, buckets = allBuckets) => driftFindings(expected, live, { buckets }).filter((f) => !f.holds);

describe("driftFindings", () => {
  test("a deployment as synthesized holds everywhere, and every resource kind is compared", () => {
    const findings = driftFindings(expected, deployed(), { buckets: allBuckets });
    expect(findings.filter((f) => !f.holds)).toEqual([]);
    const compared = findings.filter((f) => f.check === DRIFT_CHECK).map((f) => f.detail.replace(/: as synthesized$/, ""));
    for (const what of [/: bucket policy$/, /: settings$/, /key policy$/, /trust policy$/, /policy s3-cross-account-replication$/, /^replication configuration of /, /topic policy$/, /^alarm /, /^notifications of /]) {
      expect(compared.some((c) => what.test(c))).toBe(true);
    }
    expect(findings.filter((f) => f.check === KEY_STATE_CHECK)).toHaveLength(expected.keys.length);
  });

  test("a statement removed from Bob's key policy is named, with the deploy that restores it", () => {
    const live = deployed((m) => {
      const key = m.destinationBuckets[0].key!;
      key.policy.Statement = key.policy.Statement.filter((s) => s.Sid !== "AliceReplicationRoleEncryptsReplicas");
    });
    const f = failed(live);
    expect(f.map((x) => [x.group, x.detail])).toEqual([
      [DESTINATION_GROUP, "Bob's key of bob-archive-222222222222 (alias/bob-archive): key policy: statement AliceReplicationRoleEncryptsReplicas removed"],
    ]);
    expect(f[0].fix).toMatch(/^run cdktf deploy dest/);
  });

  test("versioning suspended, a rule changed, a statement added outside the stack", () => {
    const source = "alice-customers-111111111111";
    const f = failed(
      deployed((m) => {
        m.replications[0].sourceBucket.versioning = "Suspended";
        m.replications[0].rules[0].rule.destination.storage_class = "GLACIER";
        m.replications[0].sourceBucket.policy!.Statement.push({ Sid: "Console", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" });
      }),
    );
    expect(f.map((x) => x.detail)).toEqual([
      `bucket ${source}: settings: versioning: "Enabled" → "Suspended"`,
      `bucket ${source}: bucket policy: statement Console added outside the stack`,
      `replication configuration of ${source}: rule customers-to-archive destination.storage_class: "STANDARD_IA" → "GLACIER"`,
    ]);
    expect(f[1].fix).toMatch(/add it to the stack if it is meant to stay/);
  });

  test("a policy attached to the role by hand is named, and the fix says the next deploy removes it", () => {
    const [first] = expected.replications;
    const f = failed(
      deployed((m) =>
        m.replications[0].role.policies.push({ name: "arn:aws:iam::aws:policy/AmazonS3FullAccess", document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] } }),
      ),
    );
    expect(f.map((x) => x.detail)).toEqual([`role ${first.role.name}: policy arn:aws:iam::aws:policy/AmazonS3FullAccess: present, added outside the stack`]);
    expect(f[0].fix).toMatch(/^run cdktf deploy source .*; a statement or policy added outside the stack: add it to the stack if it is meant to stay/);
  });

  test("a missing bucket, a missing replication configuration, a missing alarm", () => {
    const [first] = expected.replications;
    const f = failed(
      deployed((m) => {
        m.replications[0].count = 0;
        m.alerts!.alarms.pop();
      }),
      new Set([...allBuckets].filter((b) => b !== first.sourceBucket.name)),
    );
    expect(f.map((x) => x.detail)).toEqual([
      `bucket ${first.sourceBucket.name}: does not exist`,
      `replication configuration of ${first.sourceBucket.name}: missing: nothing replicates`,
      `alarm ${String(expected.alerts!.alarms.at(-1)!.name)}: missing`,
    ]);
  });

  test.each([
    ["Disabled", /^aws kms enable-key --key-id /],
    ["PendingDeletion", /^aws kms cancel-key-deletion .* before any deploy/],
    ["NotFound", /cdktf deploy dest.*cannot be recovered/],
  ])("a key %s fails 'key enabled' with the command that recovers it", (state, fix) => {
    const index = expected.keys.findIndex((k) => k.stack === "dest");
    const f = failed(deployed((m) => (m.keys[index].state = state)));
    expect(f.map((x) => x.check)).toEqual([KEY_STATE_CHECK]);
    expect(f[0].fix).toMatch(fix);
  });
});

describe("policyDrift reads meaning, not form", () => {
  const doc = (statement: object): PolicyDocument => ({ Version: "2012-10-17", Statement: [{ Sid: "A", Effect: "Allow", Resource: "*", ...statement }] as any });

  test("one-item lists, list order and an account ID for its root ARN are the same policy", () => {
    expect(
      policyDrift(
        doc({ Action: ["kms:Encrypt", "kms:Decrypt"], Principal: { AWS: "arn:aws:iam::222222222222:root" } }),
        doc({ Action: ["kms:Decrypt", "kms:Encrypt"], Principal: { AWS: ["222222222222"] } }),
      ),
    ).toEqual([]);
  });

  test("a changed condition is named with both values", () => {
    expect(
      policyDrift(doc({ Action: "s3:GetObject", Condition: { StringEquals: { "aws:SourceAccount": "1" } } }), doc({ Action: "s3:GetObject", Condition: { StringEquals: { "aws:SourceAccount": "2" } } })),
    ).toEqual(['statement A changed (Condition.StringEquals.aws:SourceAccount: "1" → "2")']);
  });

  test("canonical leaves other strings alone", () => {
    expect(canonical({ b: ["y", "x"], a: "222222222222" })).toEqual({ a: "222222222222", b: ["x", "y"] });
  });
});
