// Reads what `cdktf synth` wrote (the exact JSON a pipeline applies) and turns the replication
// pair into plain data with every Terraform reference resolved to an ARN in the right account
// and region. Values only AWS knows (a key's ID) become stable placeholders; anything else that
// cannot be resolved is an error naming the expression, never a silent pass.
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { accountRootArn, bucketArn, s3ServiceEndpoint } from "../../lib/arns";
import type { PolicyDocument } from "../../lib/policies";

export class VerifyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VerifyInputError";
  }
}

export type StackName = "source" | "dest";
const STACKS: StackName[] = ["source", "dest"];

export interface SynthOutput {
  dir: string;
  stacks: Record<StackName, any>;
}

/** Reads <dir>/manifest.json and both stacks' cdk.tf.json. */
export function loadSynthOutput(dir: string): SynthOutput {
  const rerun = "run `npx cdktf synth` first, or pass --dir <folder that cdktf synth wrote>";
  if (!existsSync(dir)) throw new VerifyInputError(`no synth output at ${dir}: ${rerun}`);
  const manifestFile = path.join(dir, "manifest.json");
  if (!existsSync(manifestFile)) throw new VerifyInputError(`${manifestFile} is missing (partial synth output?): ${rerun}`);
  const parse = (file: string) => {
    try {
      return JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      throw new VerifyInputError(`cannot parse ${file} (${(e as Error).message}): ${rerun}`);
    }
  };
  const manifest = parse(manifestFile);
  const stacks = {} as Record<StackName, any>;
  for (const name of STACKS) {
    const entry = manifest?.stacks?.[name];
    if (!entry?.synthesizedStackPath) throw new VerifyInputError(`stack "${name}" is not in ${manifestFile}: ${rerun}`);
    const file = path.join(dir, entry.synthesizedStackPath);
    if (!existsSync(file)) throw new VerifyInputError(`${file} is missing (partial synth output?): ${rerun}`);
    stacks[name] = parse(file);
  }
  return { dir, stacks };
}

// ---- one stack's view: providers, resources, reference resolution --------------------------

interface Placement {
  account: string;
  region: string;
}

/** Stable stand-in for a KMS key ID, which only AWS knows. */
export const keyIdPlaceholder = (resourceName: string): string => `keyid-${resourceName}`;

export class StackView {
  constructor(
    readonly name: StackName,
    readonly json: any,
    private readonly others: () => StackView[],
  ) {}

  resources(type: string): [string, any][] {
    return Object.entries(this.json.resource?.[type] ?? {});
  }

  /** Account and region of the provider a resource uses (allowed_account_ids says the account). */
  placement(resource?: any): Placement {
    const providers: any[] = this.json.provider?.aws ?? [];
    const alias = typeof resource?.provider === "string" ? resource.provider.replace(/^aws\.?/, "") : "";
    const provider = providers.find((p) => (p.alias ?? "") === alias) ?? (providers.length === 1 ? providers[0] : undefined);
    if (!provider) throw new VerifyInputError(`stack ${this.name}: no AWS provider "${resource?.provider ?? "aws"}"`);
    const accounts: string[] = provider.allowed_account_ids ?? [];
    if (accounts.length !== 1) {
      throw new VerifyInputError(
        `stack ${this.name}: provider aws.${provider.alias ?? ""} must pin exactly one allowed_account_ids entry, so the proof knows its account`,
      );
    }
    return { account: accounts[0], region: this.resolve(provider.region) };
  }

  /** Replaces every ${...} in `value` with what it will be on AWS. */
  resolve(value: string, seen: string[] = []): string {
    if (typeof value !== "string") return value;
    return value.replace(/\$\{([^}]+)\}/g, (_m, expr: string) => this.resolveExpression(expr.trim(), seen));
  }

  private resolveExpression(expr: string, seen: string[]): string {
    const key = `${this.name}:${expr}`;
    if (seen.includes(key)) throw new VerifyInputError(`cyclic reference \${${expr}} in stack ${this.name}`);
    const next = [...seen, key];
    const remote = expr.match(/^data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)$/);
    if (remote) return this.resolveRemoteOutput(remote[1], remote[2], next);
    // `cond ? a : b`, as cdktf writes Fn.conditional (e.g. the replication configuration's count).
    const conditional = expr.match(/^(.+?) \? (.+?) : (.+)$/);
    if (conditional) {
      const literal = (e: string) => (/^(\d+|true|false|"[^"]*")$/.test(e) ? e.replace(/^"|"$/g, "") : this.resolveExpression(e, next));
      const cond = this.resolveExpression(conditional[1].trim(), next);
      if (cond !== "true" && cond !== "false") throw new VerifyInputError(`cannot resolve \${${expr}} in stack ${this.name}: the condition is not a bool`);
      return literal((cond === "true" ? conditional[2] : conditional[3]).trim());
    }
    const variable = expr.match(/^var\.([\w-]+)$/);
    if (variable) {
      const v = this.json.variable?.[variable[1]];
      if (!v || v.default === undefined) throw new VerifyInputError(`cannot resolve \${${expr}} in stack ${this.name}: the variable has no default`);
      return String(v.default);
    }
    const attr = expr.match(/^(aws_[a-z0-9_]+)\.([\w-]+)(?:\[0\])?\.([\w]+)$/);
    if (attr) return this.resolveAttribute(attr[1], attr[2], attr[3], next);
    throw new VerifyInputError(`cannot resolve \${${expr}} in stack ${this.name}: not a reference the proof knows how to evaluate`);
  }

  private resolveAttribute(type: string, name: string, attribute: string, seen: string[]): string {
    const r = this.json.resource?.[type]?.[name];
    if (!r) throw new VerifyInputError(`cannot resolve \${${type}.${name}.${attribute}} in stack ${this.name}: no such resource`);
    const { account, region } = this.placement(r);
    const own = (field: string) => this.resolve(r[field], seen);
    const known: Record<string, Record<string, () => string>> = {
      aws_s3_bucket: { arn: () => bucketArn(own("bucket")), id: () => own("bucket"), bucket: () => own("bucket") },
      aws_iam_role: {
        arn: () => `arn:aws:iam::${account}:role${r.path ?? "/"}${own("name")}`,
        id: () => own("name"),
        name: () => own("name"),
      },
      aws_kms_key: {
        arn: () => `arn:aws:kms:${region}:${account}:key/${keyIdPlaceholder(name)}`,
        id: () => keyIdPlaceholder(name),
        key_id: () => keyIdPlaceholder(name),
      },
      aws_kms_alias: { arn: () => `arn:aws:kms:${region}:${account}:${own("name")}`, id: () => own("name"), name: () => own("name") },
      aws_iam_policy: { arn: () => `arn:aws:iam::${account}:policy${r.path ?? "/"}${own("name")}` },
    };
    const resolver = known[type]?.[attribute];
    if (!resolver) {
      throw new VerifyInputError(`cannot resolve \${${type}.${name}.${attribute}} in stack ${this.name}: only AWS knows it, and the proof has no stand-in`);
    }
    return resolver();
  }

  /** Finds which stack writes the state this data source reads, then evaluates that stack's output. */
  private resolveRemoteOutput(dataName: string, output: string, seen: string[]): string {
    const data = this.json.data?.terraform_remote_state?.[dataName];
    if (!data) throw new VerifyInputError(`cannot resolve data.terraform_remote_state.${dataName} in stack ${this.name}: no such data source`);
    const writer = this.others().find((other) => other.writesStateReadBy(data));
    if (!writer) {
      throw new VerifyInputError(
        `data.terraform_remote_state.${dataName} in stack ${this.name} reads ${data.backend} state ${JSON.stringify(data.config)} that no stack of this synth output writes: backend and reader disagree`,
      );
    }
    const value = writer.json.output?.[output]?.value;
    if (value === undefined) {
      throw new VerifyInputError(`data.terraform_remote_state.${dataName}.outputs.${output} in stack ${this.name}: stack ${writer.name} has no output "${output}"`);
    }
    return writer.resolve(value, seen);
  }

  /** Whether this stack's backend is where a terraform_remote_state data source reads from. */
  writesStateReadBy(data: { backend: string; config: any }): boolean {
    const backend = this.json.terraform?.backend ?? {};
    const cloud = this.json.terraform?.cloud;
    const c = data.config ?? {};
    switch (data.backend) {
      case "local":
        return Boolean(backend.local) && backend.local.path === c.path;
      case "s3":
        return Boolean(backend.s3) && backend.s3.bucket === c.bucket && backend.s3.key === c.key && backend.s3.region === c.region;
      case "remote": {
        const writer = cloud ?? backend.remote;
        return (
          Boolean(writer) &&
          writer.organization === c.organization &&
          (writer.hostname ?? "app.terraform.io") === (c.hostname ?? "app.terraform.io") &&
          writer.workspaces?.name !== undefined &&
          writer.workspaces.name === c.workspaces?.name
        );
      }
      default:
        return false;
    }
  }
}

// ---- the pair as plain data ---------------------------------------------------------------

export interface BucketModel {
  stack: StackName;
  resourceName: string;
  name: string;
  arn: string;
  account: string;
  region: string;
  versioning?: string;
  /** Default encryption; kmsKeyId resolved (undefined: the AWS managed key aws/s3). */
  sse?: { algorithm: string; kmsKeyId?: string; bucketKeyEnabled: boolean };
  policy?: PolicyDocument;
  restrictPublicBuckets: boolean;
}

export interface KeyModel {
  /** Resource name in its stack, or undefined for an AWS managed key. */
  resourceName?: string;
  arn: string;
  account: string;
  region: string;
  policy: PolicyDocument;
  aliases: string[];
  customerManaged: boolean;
}

export interface RoleModel {
  resourceName: string;
  name: string;
  arn: string;
  trustPolicy: PolicyDocument;
  policies: { name: string; document: PolicyDocument }[];
}

export interface ReplicationModel {
  resourceName: string;
  /** Instances with the variables' defaults (0: held back). */
  count: number;
  role: string;
  /** The rule, with every string resolved. */
  rules: any[];
}

export interface PairModel {
  source: { account: string; region: string };
  dest: { account: string; region: string };
  replication: ReplicationModel;
  role: RoleModel;
  sourceBucket: BucketModel;
  destBucket?: BucketModel;
  /** The key of the destination bucket's default encryption. */
  destBucketKey?: KeyModel;
  sourceKey?: KeyModel;
  /** The key replica_kms_key_id names, as resolved (undefined when unset or unresolvable). */
  replicaKey?: KeyModel;
  replicaKmsKeyId?: string;
}

/** Deep-resolves every string inside a JSON value. */
function resolveDeep(view: StackView, value: any): any {
  if (typeof value === "string") return view.resolve(value);
  if (Array.isArray(value)) return value.map((v) => resolveDeep(view, v));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "//").map(([k, v]) => [k, resolveDeep(view, v)]));
  }
  return value;
}

const parsePolicy = (view: StackView, text: string, what: string): PolicyDocument => {
  try {
    return JSON.parse(view.resolve(text));
  } catch (e) {
    throw new VerifyInputError(`${what} in stack ${view.name} is not a JSON policy document (${(e as Error).message})`);
  }
};

const first = <T>(items: T[]): T | undefined => items[0];
/** A nested block as cdktf writes it: an object, or a one-element list. */
export const block = (v: any) => (Array.isArray(v) ? v[0] : v);

/** The key policy AWS gives its managed key aws/s3: only callers of its own account, only through S3. */
export function awsManagedS3KeyPolicy(account: string, region: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowAccessThroughS3ForPrincipalsOfTheAccount",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: "*",
        Condition: { StringEquals: { "kms:CallerAccount": account, "kms:ViaService": s3ServiceEndpoint(region) } },
      },
    ],
  };
}

function bucketModel(view: StackView, bucketName: string): BucketModel | undefined {
  const found = view.resources("aws_s3_bucket").find(([, r]) => view.resolve(r.bucket) === bucketName);
  if (!found) return undefined;
  const [resourceName, r] = found;
  const { account, region } = view.placement(r);
  const forBucket = (type: string) => view.resources(type).filter(([, x]) => view.resolve(x.bucket) === bucketName).map(([, x]) => x);
  const versioning = first(forBucket("aws_s3_bucket_versioning"));
  const sseConfig = first(forBucket("aws_s3_bucket_server_side_encryption_configuration"));
  const sseRule = block(sseConfig?.rule);
  const byDefault = block(sseRule?.apply_server_side_encryption_by_default);
  const policy = first(forBucket("aws_s3_bucket_policy"));
  const pab = first(forBucket("aws_s3_bucket_public_access_block"));
  return {
    stack: view.name,
    resourceName,
    name: bucketName,
    arn: bucketArn(bucketName),
    account,
    region,
    versioning: block(versioning?.versioning_configuration)?.status,
    sse: byDefault
      ? {
          algorithm: byDefault.sse_algorithm,
          kmsKeyId: byDefault.kms_master_key_id ? view.resolve(byDefault.kms_master_key_id) : undefined,
          bucketKeyEnabled: sseRule.bucket_key_enabled === true,
        }
      : undefined,
    policy: policy ? parsePolicy(view, policy.policy, `the bucket policy of ${bucketName}`) : undefined,
    restrictPublicBuckets: pab?.restrict_public_buckets === true,
  };
}

/**
 * The key a key ARN, alias ARN, bare alias or key ID names. A bare alias or ID resolves in the
 * caller's account, so `callerAccount` decides where it looks; aws/* aliases are AWS managed keys.
 */
function keyModel(views: StackView[], keyRef: string, caller: Placement): KeyModel | undefined {
  const arn = keyRef.match(/^arn:aws:kms:([a-z0-9-]+):(\d{12}):(key\/.+|alias\/.+)$/);
  const where: Placement = arn ? { region: arn[1], account: arn[2] } : caller;
  const target = arn ? arn[3] : keyRef.startsWith("alias/") ? keyRef : `key/${keyRef}`;
  if (target === "alias/aws/s3") {
    return {
      arn: `arn:aws:kms:${where.region}:${where.account}:key/aws-managed-s3`,
      ...where,
      policy: awsManagedS3KeyPolicy(where.account, where.region),
      aliases: ["alias/aws/s3"],
      customerManaged: false,
    };
  }
  for (const view of views) {
    for (const [name, key] of view.resources("aws_kms_key")) {
      const placed = view.placement(key);
      if (placed.account !== where.account || placed.region !== where.region) continue;
      const keyArn = view.resolve(`\${aws_kms_key.${name}.arn}`);
      const aliases = view
        .resources("aws_kms_alias")
        .filter(([, a]) => [keyIdPlaceholder(name), keyArn].includes(view.resolve(a.target_key_id)))
        .map(([, a]) => view.resolve(a.name));
      if (target === `key/${keyIdPlaceholder(name)}` || aliases.includes(target)) {
        return {
          resourceName: name,
          arn: keyArn,
          ...placed,
          policy: key.policy ? parsePolicy(view, key.policy, `the key policy of aws_kms_key.${name}`) : defaultKeyPolicy(placed.account),
          aliases,
          customerManaged: true,
        };
      }
    }
  }
  return undefined;
}

/** What KMS applies when a key is created without a policy. */
const defaultKeyPolicy = (account: string): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: accountRootArn(account) }, Action: "kms:*", Resource: "*" }],
});

export function buildPairModel(out: SynthOutput): PairModel {
  const views: StackView[] = [];
  const source: StackView = new StackView("source", out.stacks.source, (): StackView[] => views.filter((v) => v !== source));
  const dest: StackView = new StackView("dest", out.stacks.dest, (): StackView[] => views.filter((v) => v !== dest));
  views.push(source, dest);

  const replications = source.resources("aws_s3_bucket_replication_configuration");
  if (replications.length !== 1) {
    throw new VerifyInputError(`stack source must hold exactly one aws_s3_bucket_replication_configuration, found ${replications.length}`);
  }
  const [replicationName, replicationBody] = replications[0];
  const count = replicationBody.count === undefined ? 1 : Number(source.resolve(String(replicationBody.count)));
  const replication: ReplicationModel = {
    resourceName: replicationName,
    count,
    role: source.resolve(replicationBody.role),
    rules: resolveDeep(source, replicationBody.rule ?? []),
  };

  const sourceBucketName = source.resolve(replicationBody.bucket);
  const sourceBucket = bucketModel(source, sourceBucketName);
  if (!sourceBucket) throw new VerifyInputError(`the replication configuration's bucket ${sourceBucketName} is not an aws_s3_bucket of stack source`);

  const roleEntry = source.resources("aws_iam_role").find(([name]) => source.resolve(`\${aws_iam_role.${name}.arn}`) === replication.role);
  if (!roleEntry) throw new VerifyInputError(`the replication role ${replication.role} is not an aws_iam_role of stack source`);
  const [roleResource, roleBody] = roleEntry;
  const roleName = source.resolve(roleBody.name);
  if (source.resources("aws_iam_role_policy_attachment").length || roleBody.managed_policy_arns || roleBody.inline_policy) {
    throw new VerifyInputError(`the replication role's policies must be aws_iam_role_policy resources; the proof cannot read managed or inline_policy attachments`);
  }
  const role: RoleModel = {
    resourceName: roleResource,
    name: roleName,
    arn: replication.role,
    trustPolicy: parsePolicy(source, roleBody.assume_role_policy, "the replication role's trust policy"),
    policies: source
      .resources("aws_iam_role_policy")
      .filter(([, p]) => source.resolve(p.role) === roleName)
      .map(([name, p]) => ({ name: p.name ? source.resolve(p.name) : name, document: parsePolicy(source, p.policy, `aws_iam_role_policy.${name}`) })),
  };

  const sourcePlace = source.placement(replicationBody);
  const destPlace = dest.placement(dest.resources("aws_s3_bucket")[0]?.[1]);
  const rule = replication.rules[0] ?? {};
  const destination = block(rule.destination) ?? {};
  const destBucketName = String(destination.bucket ?? "").replace(/^arn:aws:s3:::/, "");
  const replicaKmsKeyId: string | undefined = block(destination.encryption_configuration)?.replica_kms_key_id;

  const sourceKeyId = sourceBucket.sse?.kmsKeyId ?? "alias/aws/s3";
  const destBucket = bucketModel(dest, destBucketName);
  return {
    source: sourcePlace,
    dest: destPlace,
    replication,
    role,
    sourceBucket,
    destBucket,
    destBucketKey: destBucket?.sse ? keyModel(views, destBucket.sse.kmsKeyId ?? "alias/aws/s3", destPlace) : undefined,
    sourceKey: keyModel(views, sourceKeyId, sourcePlace),
    // S3 resolves the replica key as the replication role, i.e. from Alice's account.
    replicaKey: replicaKmsKeyId ? keyModel(views, replicaKmsKeyId, sourcePlace) : undefined,
    replicaKmsKeyId,
  };
}
