// What the emulated deploy reads back: terraform outputs, and each account's buckets, keys and
// policies through the AWS SDK, checked against what the stacks meant.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand } from "@aws-sdk/client-kms";
import {
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
} from "@aws-sdk/client-s3";
import { kmsAliasName } from "../../lib/arns";
import { BUCKET_KEY_ENABLED } from "../../lib/encrypted-bucket";
import type { PolicyDocument } from "../../lib/policies";
import type { AccountClients } from "../../tools/accounts";
import { iamDocument, policyDocument } from "../../proof/policy-document";
import { COMMAND_TIMEOUT_MS, type Scratch } from "./workspace";

const stackDir = (d: Scratch, stack: string) => path.join(d.work, "cdktf.out", "stacks", stack);

export function terraform(d: Scratch, stack: string, args: string[]) {
  const r = spawnSync("terraform", args, { cwd: stackDir(d, stack), env: d.env, encoding: "utf8", timeout: COMMAND_TIMEOUT_MS });
  writeFileSync(d.logFile, `\n$ terraform ${args.join(" ")} (${stack})\n${r.stdout}${r.stderr}`, { flag: "a" });
  return r;
}

export function outputsOf(d: Scratch, stack: string): Record<string, unknown> {
  const r = terraform(d, stack, ["output", "-json"]);
  assert.equal(r.status, 0, `terraform output of ${stack} failed: ${r.stderr}`);
  return Object.fromEntries(Object.entries(JSON.parse(r.stdout)).map(([k, v]) => [k, (v as { value: unknown }).value]));
}

export const parsePolicy = (text: string): PolicyDocument => policyDocument(iamDocument(text), "a deployed policy");

export async function bucketNames(c: AccountClients): Promise<string[]> {
  return ((await c.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name!).sort();
}

export async function httpStatusOf(p: Promise<{ $metadata: { httpStatusCode?: number } }>): Promise<number | undefined> {
  try {
    return (await p).$metadata.httpStatusCode;
  } catch (e) {
    return (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  }
}

export async function errorName(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as Error).name;
  }
}

/** The key behind an alias in this account, checked to be a rotated, symmetric customer managed key. */
export async function checkKey(c: AccountClients, alias: string, expectedPolicy: (keyArn: string) => PolicyDocument): Promise<string> {
  const { KeyMetadata: key } = await c.kms.send(new DescribeKeyCommand({ KeyId: kmsAliasName(alias) }));
  assert.ok(key?.Arn?.includes(`:${c.accountId}:key/`), `${kmsAliasName(alias)} must name a key of account ${c.accountId}, got ${key?.Arn}`);
  assert.equal(key!.KeyManager, "CUSTOMER");
  assert.equal(key!.KeySpec, "SYMMETRIC_DEFAULT");
  assert.equal(key!.KeyUsage, "ENCRYPT_DECRYPT");
  assert.equal(key!.KeyState, "Enabled");
  assert.equal((await c.kms.send(new GetKeyRotationStatusCommand({ KeyId: key!.KeyId }))).KeyRotationEnabled, true);
  const { Policy } = await c.kms.send(new GetKeyPolicyCommand({ KeyId: key!.KeyId, PolicyName: "default" }));
  assert.deepEqual(parsePolicy(Policy!), expectedPolicy(key!.Arn!), `key policy of ${kmsAliasName(alias)}`);
  return key!.Arn!;
}

/** Versioned, SSE-KMS with `keyArn` and Bucket Keys, private, owner-enforced, with the expected policy. */
export async function checkBucket(c: AccountClients, bucket: string, keyArn: string, expectedPolicy: PolicyDocument): Promise<void> {
  const Bucket = bucket;
  assert.ok((await bucketNames(c)).includes(bucket), `${bucket} must be in account ${c.accountId}`);
  assert.equal((await c.s3.send(new GetBucketVersioningCommand({ Bucket }))).Status, "Enabled", `${bucket} versioning`);
  const sse = (await c.s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules;
  assert.deepEqual(
    sse?.map((r) => ({ ...r.ApplyServerSideEncryptionByDefault, BucketKeyEnabled: r.BucketKeyEnabled })),
    [{ SSEAlgorithm: "aws:kms", KMSMasterKeyID: keyArn, BucketKeyEnabled: BUCKET_KEY_ENABLED }],
    `${bucket} default encryption`,
  );
  assert.deepEqual((await c.s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration, {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  });
  const ownership = (await c.s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules;
  assert.deepEqual(ownership, [{ ObjectOwnership: "BucketOwnerEnforced" }], `${bucket} object ownership`);
  const { Policy } = await c.s3.send(new GetBucketPolicyCommand({ Bucket }));
  assert.deepEqual(parsePolicy(Policy!), expectedPolicy, `${bucket} bucket policy`);
}

