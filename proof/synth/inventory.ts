// Everything in a stack that verify cannot prove, or that Terraform applies differently from how
// a reader would take it: resource types the project does not synthesize, data sources and blocks
// that run code, providers from elsewhere, provider settings that weaken safety, count and
// for_each verify cannot evaluate, two resources that both own one bucket's setting. Each is a
// finding ("fail closed"), never a silent pass.
import { BUCKET_RESOURCE_TYPES, BUCKET_SETTING_TYPES } from "../../lib/resource-types";
import { ownProperty, type StackView } from "./references";

export interface Unprovable {
  stack: string;
  /** The address or block it is about. */
  address: string;
  what: string;
  fix: string;
}

/** The resource types the stacks synthesize, each read by the model. */
export const MODELLED_RESOURCE_TYPES = new Set<string>([
  ...BUCKET_RESOURCE_TYPES,
  "aws_s3_bucket_replication_configuration",
  "aws_s3_bucket_notification",
  "aws_kms_key",
  "aws_kms_alias",
  "aws_iam_role",
  "aws_iam_role_policy",
  "aws_iam_policy",
  "aws_iam_role_policy_attachment",
  "aws_sns_topic",
  "aws_sns_topic_policy",
  "aws_sns_topic_subscription",
  "aws_cloudwatch_metric_alarm",
]);

/** Settings of which a bucket has one: a second resource for the same bucket overwrites the first. */
export const ONE_PER_BUCKET = [...BUCKET_SETTING_TYPES, "aws_s3_bucket_replication_configuration", "aws_s3_bucket_notification"];

/** Why some types are dangerous, for the finding's text. */
const WHY: Record<string, string> = {
  aws_kms_grant: "a grant lets its grantee use the key whatever the key policy says",
  aws_kms_key_policy: "it replaces the key's policy",
  aws_iam_policy_attachment: "it attaches a managed policy verify does not read",
  aws_s3_bucket_lifecycle_configuration: "lifecycle rules can expire or delete objects",
  aws_s3_bucket_acl: "ACLs grant access outside the bucket policy",
  null_resource: "it runs provisioners",
  terraform_data: "it runs provisioners",
};

const PROVIDER_SOURCES = new Set(["aws", "hashicorp/aws", "registry.terraform.io/hashicorp/aws"]);

/** An endpoint the emulated deploy writes (moto on the loopback interface); anything else redirects AWS calls. */
const isLoopback = (url: unknown) => typeof url === "string" && /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\/?$/.test(url);

/** A value as a finding quotes it: at most 120 characters. */
const shorten = (json: string | undefined) => {
  const text = String(json);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
};

const truthy = (v: unknown) => v === true || v === "true";

export function unprovable(view: StackView): Unprovable[] {
  const out: Unprovable[] = [];
  const json = view.json;
  const stack = view.name;
  const add = (address: string, what: string, fix: string) => out.push({ stack, address, what, fix });

  for (const block of ["module", "check"]) {
    if (ownProperty(json, block) !== undefined) add(block, `a ${block} block verify does not read`, `remove it from the stack, or extend the proof to read it`);
  }
  const terraform = ownProperty(json, "terraform");
  for (const [name, req] of Object.entries((ownProperty(terraform, "required_providers") ?? {}) as Record<string, unknown>)) {
    const source = ownProperty(req, "source");
    if (name !== "aws" || !PROVIDER_SOURCES.has(String(source))) {
      add(`terraform.required_providers.${name}`, `provider ${name} from ${shorten(JSON.stringify(source))}: a provider's code runs in the pipeline with its credentials`, `use only hashicorp/aws`);
    }
  }
  for (const [name, configs] of Object.entries((ownProperty(json, "provider") ?? {}) as Record<string, unknown>)) {
    if (name !== "aws") {
      add(`provider.${name}`, `a provider verify does not know`, `remove it: the stacks use only hashicorp/aws`);
      continue;
    }
    for (const [i, p] of (Array.isArray(configs) ? configs : [configs]).entries()) {
      const where = `provider.aws[${i}]${ownProperty(p, "alias") ? ` (alias ${ownProperty(p, "alias")})` : ""}`;
      if (truthy(ownProperty(p, "insecure"))) add(where, "insecure = true: TLS certificates of AWS endpoints are not checked", "remove insecure");
      for (const proxy of ["http_proxy", "https_proxy"]) if (ownProperty(p, proxy) !== undefined) add(where, `${proxy} routes every AWS call through another host`, `remove ${proxy}`);
      for (const endpoints of [ownProperty(p, "endpoints")].flat().filter(Boolean)) {
        for (const [service, url] of Object.entries(endpoints as Record<string, unknown>)) {
          if (!isLoopback(url)) add(where, `endpoints.${service} = ${shorten(JSON.stringify(url))} sends ${service} calls elsewhere than AWS`, "remove the endpoint (the emulated deploy's are loopback addresses)");
        }
      }
    }
  }
  for (const [type, byName] of Object.entries((ownProperty(json, "data") ?? {}) as Record<string, unknown>)) {
    if (type !== "terraform_remote_state") {
      for (const name of Object.keys(byName as object)) add(`data.${type}.${name}`, `a data source verify does not read${type === "external" ? " (it runs a program)" : ""}`, "remove it, or extend the proof to read it");
    }
  }
  const resources = (ownProperty(json, "resource") ?? {}) as Record<string, Record<string, unknown>>;
  for (const [type, byName] of Object.entries(resources)) {
    for (const [name, r] of Object.entries(byName ?? {})) {
      const address = `${type}.${name}`;
      if (!MODELLED_RESOURCE_TYPES.has(type)) {
        add(address, `verify cannot prove what ${address} does${WHY[type] ? `: ${WHY[type]}` : ""}`, `remove it, or extend the proof to model ${type}`);
      }
      if (ownProperty(r, "provisioner") !== undefined) add(address, "a provisioner runs commands in the pipeline", "remove the provisioner");
      if (ownProperty(r, "for_each") !== undefined) add(address, "verify cannot tell which instances for_each creates", "write one resource per instance, as the stacks do");
      const count = ownProperty(r, "count");
      if (count !== undefined && view.countOf(r) === undefined) {
        add(address, `verify cannot tell whether it exists (count = ${shorten(JSON.stringify(count))})`, "remove count, or make it a literal");
      }
      if (type === "aws_iam_role" && (ownProperty(r, "inline_policy") !== undefined || ownProperty(r, "managed_policy_arns") !== undefined)) {
        add(address, "inline_policy or managed_policy_arns: policies verify does not read", "grant through aws_iam_role_policy, which verify reads");
      }
    }
  }
  if (view.present("aws_sns_topic").length > 1) add("aws_sns_topic", "more than one topic: verify reads the first as the alerts topic and nothing of the others", "keep the one alerts topic");
  for (const type of ONE_PER_BUCKET) {
    const byBucket = new Map<string, string[]>();
    for (const [name, r] of view.present(type)) {
      const bucket = String(ownProperty(r, "bucket"));
      byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), name]);
    }
    for (const [bucket, names] of byBucket) {
      if (names.length > 1) {
        add(names.map((n) => `${type}.${n}`).join(" and "), `${names.length} resources own one setting of ${view.resolve(bucket)}: the last applied wins, so what is deployed depends on the order`, `keep one ${type} per bucket`);
      }
    }
  }
  return out;
}
