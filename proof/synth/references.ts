// One stack's view of the synthesized JSON: its providers, its resources, and every Terraform
// reference in it resolved to what it will be on AWS (an ARN in the right account and region).
// Values only AWS knows (a key's ID) become stable placeholders; anything else that cannot be
// resolved is an error naming the expression, never a silent pass.
import { bucketArn, snsTopicArn } from "../../lib/arns";
import { blocksAt, objectAt, objectsAt, optionalObjectAt, stringAt } from "./read";
import { VerifyInputError } from "../errors";
import { type StackName } from "./synth-output";

export interface Placement {
  account: string;
  region: string;
}

/** The account the proof assumes for a provider that pins none (a failed static check says so). */
export const UNPINNED_ACCOUNT = "000000000000";

/** Another account, for requests that must stay outside. */
export const OUTSIDER_ACCOUNT = "999999999999";

/** Stable stand-in for a KMS key ID, which only AWS knows. */
export const keyIdPlaceholder = (resourceName: string): string => `keyid-${resourceName}`;

export class StackView {
  readonly json: Record<string, any>;

  constructor(
    readonly name: StackName,
    json: unknown,
    private readonly others: () => StackView[],
  ) {
    this.json = objectAt(json, `stack ${name}`);
  }

  /** The resources of one type, each checked to be an object. */
  resources(type: string): [string, any][] {
    const all = optionalObjectAt(this.json.resource, `stack ${this.name}: resource`);
    return objectsAt(all?.[type], `stack ${this.name}: resource.${type}`);
  }

  /** A value that must be a string, with every reference in it resolved. */
  resolveString(value: unknown, where: string): string {
    return this.resolve(stringAt(value, `stack ${this.name}: ${where}`));
  }

  /** Account and region of the provider a resource uses (allowed_account_ids says the account). */
  placement(resource?: any): Placement {
    const providers = blocksAt(optionalObjectAt(this.json.provider, `stack ${this.name}: provider`)?.aws, `stack ${this.name}: provider.aws`);
    const alias = typeof resource?.provider === "string" ? resource.provider.replace(/^aws\.?/, "") : "";
    const provider = providers.find((p) => (p.alias ?? "") === alias) ?? (providers.length === 1 ? providers[0] : undefined);
    if (!provider) throw new VerifyInputError(`stack ${this.name}: no AWS provider "${resource?.provider ?? "aws"}"`);
    // An unpinned provider is a finding of its own (static check "provider pins exactly one
    // account"); the proof goes on with a stand-in account so that it can name it.
    const accounts: unknown = provider.allowed_account_ids;
    const pinned = Array.isArray(accounts) && accounts.length === 1 && typeof accounts[0] === "string" && /^\d{12}$/.test(accounts[0]);
    return { account: pinned ? accounts[0] : UNPINNED_ACCOUNT, region: this.resolveString(provider.region, `provider aws.${provider.alias ?? ""}: region`) };
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
    const own = (field: string) => this.resolve(stringAt(r[field], `stack ${this.name}: resource.${type}.${name}.${field}`), seen);
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
      aws_sns_topic: { arn: () => snsTopicArn(region, account, own("name")), id: () => snsTopicArn(region, account, own("name")), name: () => own("name") },
    };
    const resolver = known[type]?.[attribute];
    if (!resolver) {
      throw new VerifyInputError(`cannot resolve \${${type}.${name}.${attribute}} in stack ${this.name}: only AWS knows it, and the proof has no stand-in`);
    }
    return resolver();
  }

  /** Finds which stack writes the state this data source reads, then evaluates that stack's output. */
  private resolveRemoteOutput(dataName: string, output: string, seen: string[]): string {
    const data = objectsAt(optionalObjectAt(this.json.data, `stack ${this.name}: data`)?.terraform_remote_state, `stack ${this.name}: data.terraform_remote_state`).find(
      ([name]) => name === dataName,
    )?.[1];
    if (!data) throw new VerifyInputError(`cannot resolve data.terraform_remote_state.${dataName} in stack ${this.name}: no such data source`);
    const writer = this.others().find((other) => other.writesStateReadBy(data));
    if (!writer) {
      throw new VerifyInputError(
        `data.terraform_remote_state.${dataName} in stack ${this.name} reads ${data.backend} state ${JSON.stringify(data.config)} that no stack of this synth output writes: backend and reader disagree`,
      );
    }
    const value = optionalObjectAt(optionalObjectAt(writer.json.output, `stack ${writer.name}: output`)?.[output], `stack ${writer.name}: output.${output}`)?.value;
    if (value === undefined) {
      throw new VerifyInputError(`data.terraform_remote_state.${dataName}.outputs.${output} in stack ${this.name}: stack ${writer.name} has no output "${output}"`);
    }
    return writer.resolve(stringAt(value, `stack ${writer.name}: output.${output}.value`), seen);
  }

  /** Whether this stack's backend is where a terraform_remote_state data source reads from. */
  writesStateReadBy(data: Record<string, any>): boolean {
    const terraform = optionalObjectAt(this.json.terraform, `stack ${this.name}: terraform`);
    const backend = optionalObjectAt(terraform?.backend, `stack ${this.name}: terraform.backend`) ?? {};
    const cloud = terraform?.cloud;
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

