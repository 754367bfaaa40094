// Every policy the app is about to write, measured as AWS will measure it once deployed: its JSON
// without whitespace, each Terraform reference at the longest value it can take (a key ID is known
// only to AWS; role names, bucket names and regions at their longest). main.ts refuses to write a
// synth output holding a policy over its AWS limit, so no deploy fails half-way on one. Every
// policy-bearing resource in the stacks is found by its type, so a new one is measured too.
import type { IConstruct } from "constructs";
import { TerraformStack } from "cdktf";
// cdktf's own token resolution (what its synth runs), for one attribute; not re-exported by the package root.
import { resolve } from "cdktf/lib/_tokens";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { KMS_KEY_ID_LENGTH, KNOWN_REGIONS, MANAGED_POLICIES_PER_ROLE, POLICY_SIZE_LIMITS, policyTextSize } from "./aws-facts";

const REGION = Math.max(...KNOWN_REGIONS.map((r) => r.length));
const ACCOUNT = 12;
/** IAM role names are at most 64 characters; S3 bucket names 63; SNS topic names 256. */
const ROLE_ARN = "arn:aws:iam::".length + ACCOUNT + ":role/".length + 64;
const LONGEST: [RegExp, number][] = [
  [/^aws_iam_role\.[\w-]+\.arn$/, ROLE_ARN],
  // dest reads the replication roles' ARNs from source's state.
  [/^data\.terraform_remote_state\.[\w-]+\.outputs\.[\w-]+$/, ROLE_ARN],
  [/^aws_kms_key\.[\w-]+\.arn$/, "arn:aws:kms:".length + REGION + 1 + ACCOUNT + ":key/".length + KMS_KEY_ID_LENGTH],
  [/^aws_s3_bucket\.[\w-]+\.arn$/, "arn:aws:s3:::".length + 63],
  [/^aws_s3_bucket\.[\w-]+\.(id|bucket)$/, 63],
  [/^aws_sns_topic\.[\w-]+\.arn$/, "arn:aws:sns:".length + REGION + 1 + ACCOUNT + 1 + 256],
];

/** The size a policy text will have, every `${...}` reference at its longest value. */
export function deployedPolicySize(text: string): number {
  const references = [...text.matchAll(/\$\{([^}]*)\}/g)];
  const longest = references.reduce((n, [, expression]) => {
    const known = LONGEST.find(([pattern]) => pattern.test(expression));
    // A reference nobody has measured: fail loudly in the tests rather than undercount.
    if (!known) throw new Error(`lib/policy-size.ts: no longest value known for the reference \${${expression}}: add it to LONGEST`);
    return n + known[1];
  }, 0);
  return policyTextSize(text.replace(/\$\{[^}]*\}/g, "")) + longest;
}

export interface MeasuredPolicy {
  /** The stack that writes it. */
  stack: string;
  /** What it is, by the names a user knows ("the inline policies of role s3-replication-x"). */
  what: string;
  size: number;
  limit: number;
  service: string;
  /** What size and limit count: characters without whitespace, unless said otherwise. */
  unit?: "policies";
  fix: string;
}

const stackOf = (scope: IConstruct): string => TerraformStack.of(scope).node.id;

const resolved = (scope: IConstruct, value: unknown): string => {
  const text: unknown = resolve(scope as never, value);
  return typeof text === "string" ? text : JSON.stringify(text);
};

/** A document's deployed size, as written in `scope` (its tokens resolved to references, each at its longest). */
export const documentSize = (scope: IConstruct, document: object): number => deployedPolicySize(resolved(scope, JSON.stringify(document)));

/** Every policy of the app, measured, beside its limit. */
export function measuredPolicies(app: IConstruct): MeasuredPolicy[] {
  const all = app.node.findAll();
  const measured: MeasuredPolicy[] = [];
  const measure = (stack: string, what: string, size: number, limit: number, service: string, fix: string) => measured.push({ stack, what, size, limit, service, fix });
  const tooManyDestinations = "fewer destination buckets for this source bucket's rules (each adds its statements): split the rules across more source buckets";
  const fanIn = "fewer of Alice's buckets writing into this one: split them across more of Bob's buckets (each has its own key and policy)";

  // A role's inline policies count together; they are grouped by the role they name.
  const roleNames = new Map(all.filter((c): c is IamRole => c instanceof IamRole).map((r) => [resolved(r, r.id), resolved(r, r.nameInput)]));
  const inline = new Map<string, number>();
  const roleStacks = new Map<string, string>();
  for (const p of all.filter((c): c is IamRolePolicy => c instanceof IamRolePolicy)) {
    const role = resolved(p, p.roleInput);
    inline.set(role, (inline.get(role) ?? 0) + deployedPolicySize(resolved(p, p.policyInput)));
    roleStacks.set(role, stackOf(p));
  }
  for (const [role, size] of inline) {
    measure(
      roleStacks.get(role)!,
      `the inline policies of role ${roleNames.get(role) ?? role}, together`,
      size,
      POLICY_SIZE_LIMITS.roleInlinePolicies,
      "IAM",
      tooManyDestinations,
    );
  }
  // Past the inline limit a role's grants are customer managed policies (./role-grants.ts): each has its limit, and a role holds 10.
  for (const m of all.filter((c): c is IamPolicy => c instanceof IamPolicy)) {
    measure(stackOf(m), `the managed policy ${resolved(m, m.nameInput)}`, deployedPolicySize(resolved(m, m.policyInput)), POLICY_SIZE_LIMITS.managedPolicy, "IAM", tooManyDestinations);
  }
  const attached = new Map<string, number>();
  for (const a of all.filter((c): c is IamRolePolicyAttachment => c instanceof IamRolePolicyAttachment)) {
    const role = resolved(a, a.roleInput);
    attached.set(role, (attached.get(role) ?? 0) + 1);
    roleStacks.set(role, stackOf(a));
  }
  for (const [role, count] of attached) {
    measured.push({
      stack: roleStacks.get(role)!,
      what: `the managed policies attached to role ${roleNames.get(role) ?? role}`,
      size: count,
      limit: MANAGED_POLICIES_PER_ROLE,
      service: "IAM",
      unit: "policies",
      fix: `${tooManyDestinations}, or raise IAM's "managed policies per role" quota (up to 20) and this limit with it`,
    });
  }
  for (const r of all.filter((c): c is IamRole => c instanceof IamRole)) {
    measure(stackOf(r), `the trust policy of role ${resolved(r, r.nameInput)}`, deployedPolicySize(resolved(r, r.assumeRolePolicyInput)), POLICY_SIZE_LIMITS.trustPolicy, "IAM", "ask for IAM's role trust policy quota increase (up to 4,096)");
  }
  const bucketNames = new Map(all.filter((c): c is S3Bucket => c instanceof S3Bucket).map((b) => [resolved(b, b.id), resolved(b, b.bucketInput)]));
  for (const b of all.filter((c): c is S3BucketPolicy => c instanceof S3BucketPolicy)) {
    const bucket = resolved(b, b.bucketInput);
    measure(stackOf(b), `the bucket policy of ${bucketNames.get(bucket) ?? bucket}`, deployedPolicySize(resolved(b, b.policyInput)), POLICY_SIZE_LIMITS.bucketPolicy, "S3", fanIn);
  }
  for (const k of all.filter((c): c is KmsKey => c instanceof KmsKey)) {
    measure(stackOf(k), `the key policy of the key "${resolved(k, k.descriptionInput)}"`, deployedPolicySize(resolved(k, k.policyInput)), POLICY_SIZE_LIMITS.keyPolicy, "KMS", fanIn);
  }
  for (const t of all.filter((c): c is SnsTopicPolicy => c instanceof SnsTopicPolicy)) {
    measure(stackOf(t), `the alerts topic's policy`, deployedPolicySize(resolved(t, t.policyInput)), POLICY_SIZE_LIMITS.topicPolicy, "SNS", "fewer source buckets in one deployment: split the fleet into several configs");
  }
  return measured;
}

/** Every policy of the app over its AWS limit (none: it may be written). */
export const policiesOverLimit = (app: IConstruct): MeasuredPolicy[] => measuredPolicies(app).filter((p) => p.size > p.limit);

/** The refusal main.ts prints: each policy, its size, its limit and the fix. */
export const overLimitMessage = (over: MeasuredPolicy[]): string =>
  [
    "the stacks would hold policies AWS rejects (sizes in characters without whitespace, each reference at its longest), so nothing was written:",
    ...over.map((o) =>
      o.unit === "policies"
        ? `  - ${o.what} would be ${o.size}, over ${o.service}'s ${o.limit}: ${o.fix}`
        : `  - ${o.what} would be about ${o.size.toLocaleString("en-US")} characters, over ${o.service}'s ${o.limit.toLocaleString("en-US")}: ${o.fix}`,
    ),
  ].join("\n");
