// A role whose grants outgrow IAM's inline limit gets them as customer managed policies
// (lib/role-grants.ts): verify reads them where the role uses them, and fails closed on any managed
// policy or attachment it cannot account for.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fanOutFleet } from "../../dev/generate-fleet";
import { driftFindings } from "../../proof/checks/drift";
import { verify } from "../../proof/index";
import { buildFleetModel } from "../../proof/synth/model";
import { loadSynthOutput } from "../../proof/synth/synth-output";
import type { VerifyReport } from "../../proof/report";
import { runApp } from "../support/app";
import { editPolicy, mutated as mutatedCopy, type Stacks } from "../support/mutate";

const config = path.join(mkdtempSync(path.join(tmpdir(), "fan-out-")), "fan-out-18.json");
writeFileSync(config, JSON.stringify(fanOutFleet(18)));
const synth = runApp(config);
const mutated = (change: (stacks: Stacks) => void) => mutatedCopy(synth.outdir, change);

const failed = (r: VerifyReport) => [
  ...r.findings.filter((f) => !f.holds).map((f) => `${f.check}: ${f.detail}`),
  ...r.requests.filter((q) => !q.holds).map((q) => `${q.id} ${q.action}`),
  ...r.access.findings.map((a) => `unintended: ${a.principal} ${a.actions.join(",")} on ${a.resource}`),
];
const managed = (s: Stacks) => s.source.resource.aws_iam_policy as Record<string, any>;
const attachments = (s: Stacks) => s.source.resource.aws_iam_role_policy_attachment as Record<string, any>;

describe("one of Alice's buckets into 18 of Bob's: the role's grants as managed policies", () => {
  test("the app writes managed policies and their attachments, no inline policy, and verify passes", async () => {
    expect(synth.status).toBe(0);
    const report = await verify(synth.outdir);
    expect(failed(report)).toEqual([]);
    const sizes = report.findings.filter((f) => f.check === "policy within AWS's size limit" && f.detail.startsWith("managed policy "));
    expect(sizes.length).toBeGreaterThan(1);
    expect(report.findings.find((f) => f.check === "managed policies per role within IAM's quota")).toMatchObject({ holds: true });
    // The role's writes are allowed by a statement of a managed policy (named by its ARN).
    const write = report.requests.find((q) => q.id === "role-writes-replicas" && q.action === "s3:ReplicateObject")!;
    expect(write.decidedBy).toMatch(/identity policy arn:aws:iam::111111111111:policy\/s3-replication-alice-fanout-111111111111-\d+: WriteReplicasToDestinationBucket/);
  });

  test("a managed policy's statement widened to every bucket: the access analysis fails", async () => {
    const dir = mutated((s) => {
      const [first] = Object.values(managed(s));
      editPolicy(first, (doc) => {
        const write = doc.Statement.find((x: any) => /^WriteReplicasToDestinationBucket/.test(x.Sid));
        if (!write) throw new Error("no write statement in the first managed policy");
        write.Resource = "*";
      });
    });
    const report = await verify(dir);
    expect(report.ok).toBe(false);
    expect(report.access.findings.length).toBeGreaterThan(0);
  });

  test.each([
    ["an AWS managed policy attached to the role", (s: Stacks) => (Object.values(attachments(s))[0].policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"), /attaches arn:aws:iam::aws:policy\/AdministratorAccess, which is not an aws_iam_policy of this stack/],
    ["a managed policy attached to nothing the proof models", (s: Stacks) => delete attachments(s)[Object.keys(attachments(s))[0]], /is attached to no replication or backfill role of this stack/],
    ["an attachment to another role", (s: Stacks) => (Object.values(attachments(s))[0].role = "some-other-role"), /attaches a policy to role some-other-role, which is neither a replication nor a backfill role/],
    [
      "an IAM role in Bob's stack",
      (s: Stacks) =>
        (s.dest.resource.aws_iam_role = { door: { name: "door", provider: "aws.bob", assume_role_policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }] }) } }),
      /stack dest: aws_iam_role\.door: a role that is neither a replication role nor a backfill role/,
    ],
  ])("%s: verify fails closed, naming it", async (_what, change, message) => {
    const report = await verify(mutated(change));
    expect(report.ok).toBe(false);
    expect(report.findings.filter((f) => !f.holds).map((f) => f.detail).join("\n")).toMatch(message);
  });

  test("more managed policies on the role than IAM's default quota: the check fails", async () => {
    const dir = mutated((s) => {
      const [name, policy] = Object.entries(managed(s))[0];
      const [attachmentName, attachment] = Object.entries(attachments(s)).find(([, a]) => a.policy_arn === `\${aws_iam_policy.${name}.arn}`)!;
      // Small Deny-only policies: more attachments, no new access to analyse.
      const denyOnly = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "DenyBucketDeletion", Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*" }] });
      for (let i = 0; i < 10; i++) {
        managed(s)[`${name}_extra${i}`] = { ...policy, name: `${policy.name}-extra${i}`, policy: denyOnly };
        attachments(s)[`${attachmentName}_extra${i}`] = { ...attachment, policy_arn: `\${aws_iam_policy.${name}_extra${i}.arn}` };
      }
    });
    const report = await verify(dir);
    expect(report.findings.find((f) => f.check === "managed policies per role within IAM's quota")).toMatchObject({ holds: false });
  });

  test("verify --live compares each attached managed policy by its ARN, as AWS lists it", () => {
    const expected = buildFleetModel(loadSynthOutput(synth.outdir));
    const deployed = structuredClone(expected);
    for (const k of deployed.keys) k.state = "Enabled";
    const role = deployed.replications[0].role;
    const changed = role.policies.find((p) => p.managed)!;
    changed.document.Statement.pop();
    const buckets = new Set([...expected.replications.map((r) => r.sourceBucket.name), ...expected.destinationBuckets.map((d) => d.bucket.name)]);
    const drift = driftFindings(expected, { model: deployed, keyArns: new Map(), notes: [] }, { buckets }).filter((f) => !f.holds);
    expect(drift.map((f) => f.detail)).toEqual([expect.stringMatching(new RegExp(`^role ${role.name}: policy arn:aws:iam::111111111111:policy/${role.name}-\\d+: statement \\w+ removed$`))]);
  });
});

