// One stack's view of the synthesized JSON: its providers, its resources, and every Terraform
// reference in it resolved to what it will be on AWS (an ARN in the right account and region).
// Values only AWS knows (a key's ID) become stable placeholders; anything else that cannot be
// resolved is an error naming the expression, never a silent pass.
import { bucketArn, kmsKeyArn, snsTopicArn } from "../../lib/arns";
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

/** The one account a provider's allowed_account_ids pins, or undefined when it pins none or several. */
export function pinnedAccount(allowedAccountIds: unknown): string | undefined {
  const ids = allowedAccountIds;
  return Array.isArray(ids) && ids.length === 1 && typeof ids[0] === "string" && /^\d{12}$/.test(ids[0]) ? ids[0] : undefined;
}

/** A resolved value longer than this is refused: references that expand exponentially stop here. */
export const MAX_RESOLVED_LENGTH = 1024 * 1024;

/** An own property only: "__proto__", "constructor" and "valueOf" are plain names, never Object's. */
export const ownProperty = (o: unknown, key: string): any => (o !== null && typeof o === "object" && Object.prototype.hasOwnProperty.call(o, key) ? (o as Record<string, unknown>)[key] : undefined);

/**
 * Visits each character of an expression outside quoted strings, with the bracket depth before it
 * (nested `${...}`, parentheses and lists counted), until `visit` returns true: one linear pass,
 * whatever the expression holds. Returns the index it stopped at, or -1.
 */
function scanTopLevel(expr: string, visit: (i: number, depth: number) => boolean | void): number {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (visit(i, depth)) return i;
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
  }
  return -1;
}

/** Splits `cond ? a : b` at its top-level "?" and ":", or returns undefined. */
export function splitConditional(expr: string): [string, string, string] | undefined {
  let question = -1;
  let nested = 0;
  const spaced = (i: number) => expr[i - 1] === " " && expr[i + 1] === " ";
  const colon = scanTopLevel(expr, (i, depth) => {
    if (depth !== 0 || !spaced(i)) return false;
    if (expr[i] === "?") {
      if (question < 0) question = i;
      else nested++;
    } else if (expr[i] === ":" && question >= 0) {
      if (nested === 0) return true;
      nested--;
    }
    return false;
  });
  return colon < 0 ? undefined : [expr.slice(0, question).trim(), expr.slice(question + 1, colon).trim(), expr.slice(colon + 1).trim()];
}

/** The top-level parts of `a && b && ...`, or undefined without a top-level "&&". */
export function splitAnd(expr: string): string[] | undefined {
  const cuts: number[] = [];
  scanTopLevel(expr, (i, depth) => void (depth === 0 && expr.startsWith(" && ", i) && cuts.push(i)));
  if (!cuts.length) return undefined;
  return [...cuts, expr.length].map((end, n) => expr.slice(n === 0 ? 0 : cuts[n - 1] + 4, end).trim());
}

/** An expression wrapped whole in one pair of parentheses, unwrapped; any other as it is. */
export function unwrapParentheses(expr: string): string {
  if (!expr.startsWith("(") || !expr.endsWith(")")) return expr;
  // The first parenthesis closes (depth back to 0 after it) before the end: not one wrapping pair.
  const closesEarly = scanTopLevel(expr, (i, depth) => expr[i] === ")" && depth === 1 && i < expr.length - 1);
  return closesEarly >= 0 ? expr : expr.slice(1, -1).trim();
}

/** Stable stand-in for a KMS key ID, which only AWS knows. */
export const keyIdPlaceholder = (resourceName: string): string => `keyid-${resourceName}`;
/** Every placeholder key ID in a text (resource names are word characters and dashes). */
export const KEY_ID_PLACEHOLDERS = /keyid-[\w-]+/g;

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

  /**
   * How many instances a resource has, as Terraform evaluates `count`: absent is 1; a number, a
   * numeric string or a reference verify can resolve (the stack's variables with their defaults);
   * undefined when verify cannot tell.
   */
  countOf(resource: unknown): number | undefined {
    const count = ownProperty(resource, "count");
    if (count === undefined) return 1;
    let value: unknown = count;
    if (typeof count === "string") {
      try {
        value = this.resolve(count);
      } catch {
        return undefined;
      }
    }
    const n = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  }

  /** The resources of one type that exist (count not 0; one whose count verify cannot tell counts as existing, and is a finding). */
  present(type: string): [string, any][] {
    return this.resources(type).filter(([, r]) => this.countOf(r) !== 0);
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
    return { account: pinnedAccount(provider.allowed_account_ids) ?? UNPINNED_ACCOUNT, region: this.resolveString(provider.region, `provider aws.${provider.alias ?? ""}: region`) };
  }

  /** Each expression resolved once: references that fan out are not evaluated again and again. */
  private readonly resolved = new Map<string, string>();

  /** Replaces every ${...} in `value` with what it will be on AWS. */
  resolve(value: string, seen: string[] = []): string {
    if (typeof value !== "string") return value;
    const out = value.replace(/\$\{([^}]+)\}/g, (_m, expr: string) => {
      const e = expr.trim();
      let r = this.resolved.get(e);
      if (r === undefined) {
        r = this.resolveExpression(e, seen);
        this.resolved.set(e, r);
      }
      return r;
    });
    if (out.length > MAX_RESOLVED_LENGTH) throw new VerifyInputError(`a value in stack ${this.name} resolves to more than ${MAX_RESOLVED_LENGTH} characters: refusing references that expand like this`);
    return out;
  }

  /** A variable of the stack with its default (verify evaluates what a plain apply would). */
  private variable(name: string, shown: string): { default: unknown } {
    const v = ownProperty(ownProperty(this.json, "variable"), name);
    if (!v || ownProperty(v, "default") === undefined) throw new VerifyInputError(`cannot resolve \${${shown}} in stack ${this.name}: the variable has no default`);
    return v;
  }

  private resolveExpression(expr: string, seen: string[]): string {
    const shown = expr.length > 120 ? `${expr.slice(0, 120)}…` : expr;
    const key = `${this.name}:${expr}`;
    if (seen.includes(key)) throw new VerifyInputError(`cyclic reference \${${shown}} in stack ${this.name}`);
    if (seen.length > 50) throw new VerifyInputError(`\${${shown}} in stack ${this.name} refers through more than 50 other references: refusing it`);
    const next = [...seen, key];
    const remote = expr.match(/^data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)$/);
    if (remote) return this.resolveRemoteOutput(remote[1], remote[2], next);
    // `cond ? a : b`, as cdktf writes Fn.conditional (e.g. the replication configuration's count).
    const conditional = splitConditional(expr);
    if (conditional) {
      const literal = (e: string) => (/^(\d+|true|false|"[^"\\$]*")$/.test(e) ? e.replace(/^"|"$/g, "") : this.resolveExpression(e, next));
      const cond = literal(conditional[0]);
      if (cond !== "true" && cond !== "false") throw new VerifyInputError(`cannot resolve \${${shown}} in stack ${this.name}: the condition is not a bool`);
      return literal(cond === "true" ? conditional[1] : conditional[2]);
    }
    // The bool algebra cdktf writes for a count (Op.and, Op.not, Fn.contains on a list variable).
    const bool = (e: string) => {
      const value = this.resolveExpression(e, next);
      if (value !== "true" && value !== "false") throw new VerifyInputError(`cannot resolve \${${shown}} in stack ${this.name}: ${e} is not a bool`);
      return value === "true";
    };
    const unwrapped = unwrapParentheses(expr);
    if (unwrapped !== expr) return this.resolveExpression(unwrapped, next);
    const conjunction = splitAnd(expr);
    if (conjunction) return String(conjunction.every(bool));
    if (expr.startsWith("!")) return String(!bool(expr.slice(1).trim()));
    const contains = expr.match(/^contains\(var\.([\w-]+), "([^"\\$]*)"\)$/);
    if (contains) {
      const list = ownProperty(this.variable(contains[1], shown), "default");
      if (!Array.isArray(list)) throw new VerifyInputError(`cannot resolve \${${shown}} in stack ${this.name}: var.${contains[1]} is not a list`);
      return String(list.includes(contains[2]));
    }
    const variable = expr.match(/^var\.([\w-]+)$/);
    if (variable) return String(this.variable(variable[1], shown).default);
    const attr = expr.match(/^(aws_[a-z0-9_]+)\.([\w-]+)(?:\[0\])?\.([\w]+)$/);
    if (attr) return this.resolveAttribute(attr[1], attr[2], attr[3], next);
    throw new VerifyInputError(`cannot resolve \${${shown}} in stack ${this.name}: not a reference the proof knows how to evaluate`);
  }

  private resolveAttribute(type: string, name: string, attribute: string, seen: string[]): string {
    const r = ownProperty(ownProperty(ownProperty(this.json, "resource"), type), name);
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
        arn: () => kmsKeyArn(region, account, keyIdPlaceholder(name)),
        id: () => keyIdPlaceholder(name),
        key_id: () => keyIdPlaceholder(name),
      },
      aws_kms_alias: { arn: () => `arn:aws:kms:${region}:${account}:${own("name")}`, id: () => own("name"), name: () => own("name") },
      aws_iam_policy: { arn: () => `arn:aws:iam::${account}:policy${r.path ?? "/"}${own("name")}` },
      aws_sns_topic: { arn: () => snsTopicArn(region, account, own("name")), id: () => snsTopicArn(region, account, own("name")), name: () => own("name") },
    };
    const resolver = ownProperty(ownProperty(known, type), attribute) as (() => string) | undefined;
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
    const value = ownProperty(optionalObjectAt(ownProperty(optionalObjectAt(ownProperty(writer.json, "output"), `stack ${writer.name}: output`), output), `stack ${writer.name}: output.${output}`), "value");
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

