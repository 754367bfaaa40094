// npm run deploy:local
//
// Deploys the two stacks for real, with the same cdktf commands users run, onto two emulated AWS
// accounts (one moto_server on 127.0.0.1), checks what landed where with the AWS SDK, checks that
// a second plan is empty but for one known moto gap, destroys everything and stops moto (also on
// failure). test/e2e/deploy-local.test.ts runs the same steps inside `npm test`.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  NoSuchEntityException,
} from "@aws-sdk/client-iam";
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand } from "@aws-sdk/client-kms";
import {
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { bucketArn, kmsAliasArn, kmsAliasName, roleArn } from "../lib/arns";
import { parseConfig, type ReplicationConfig, type SourceBucketConfig } from "../lib/config";
import { KEY_DELETION_WINDOW_DAYS } from "../lib/customer-managed-key";
import { BUCKET_KEY_ENABLED } from "../lib/encrypted-bucket";
import {
  destinationBucketPolicy,
  replicaKeyPolicy,
  replicationRolePolicy,
  replicationTrustPolicy,
  sourceBucketPolicy,
  sourceKeyPolicy,
  type PolicyDocument,
} from "../lib/policies";
import { destinationBucketNames, sourceBucketNames } from "../lib/naming";
import { REPLICATION_TIME_MINUTES } from "../lib/replication-rule";
import { destinationBucket, destinationsOf, writersInto } from "../lib/topology";
import { bringUp } from "./bring-up";
import { clientsFor, startMoto, type AccountClients, type Moto } from "./emulator";
import { CDKTF, PROJECT_ROOT } from "./project-root";
import { runCommand } from "./run-command";
import { findMotoServer, findProviderMirror, findTerraform, writeTerraformCliConfig, type Found } from "./toolchain";

/** Every cdktf or terraform command is killed after this long: a hang fails the run instead of CI. */
const COMMAND_TIMEOUT_MS = 5 * 60_000;
/** Offline: no `terraform providers lock` (it asks the public registry); no prompts; plain output. */
const CDKTF_FLAGS = ["--auto-approve", "--skip-provider-lock", "--no-color"];

export interface Tools {
  terraform: string;
  motoServer: string;
  /** A filesystem mirror of the AWS provider; without one, terraform downloads it. */
  mirror?: string;
}

export interface LocalDeployment {
  work: string;
  logFile: string;
  config: ReplicationConfig;
  moto: Moto;
  env: NodeJS.ProcessEnv;
  alice: AccountClients;
  bob: AccountClients;
}

export function findTools(): { tools?: Tools; missing: string[]; notes: string[] } {
  const terraform = findTerraform();
  const moto = findMotoServer();
  const mirror = findProviderMirror();
  const missing = [terraform, moto].flatMap((f: Found) => ("missing" in f ? [f.missing] : []));
  const notes = "missing" in mirror ? [`${mirror.missing}: terraform will try to download the AWS provider`] : [];
  if (missing.length || !("path" in terraform) || !("path" in moto)) return { missing, notes };
  return { tools: { terraform: terraform.path, motoServer: moto.path, mirror: "path" in mirror ? mirror.path : undefined }, missing, notes };
}

/**
 * A scratch project (cdktf.json, the compiled app, a config pointing at moto) in a temporary
 * folder, so state and cdktf.out never touch the real project.
 */
/**
 * The config as the emulator needs it: no credentials (each provider assumes a role in its own
 * emulated account instead), local state, the emulator's endpoint. The pair also turns Replication
 * Time Control on: the richest rule it can ask for (RTC brings metrics and the event threshold).
 */
export function emulatedConfig(raw: any, endpoint: string): any {
  const copy = JSON.parse(JSON.stringify(raw));
  const fleet = "sourceBuckets" in copy;
  for (const account of fleet ? [copy.sourceAccount, copy.destinationAccount] : [copy.source, copy.destination]) delete account.credentials;
  if (!fleet) copy.replication = { ...copy.replication, replicationTimeControl: true };
  copy.backend = { type: "local", stateDir: "." };
  copy.emulator = { endpoint };
  return copy;
}

export async function prepare(tools: Tools, configFile = path.join(PROJECT_ROOT, "replication.config.json")): Promise<LocalDeployment> {
  const work = mkdtempSync(path.join(tmpdir(), "deploy-local-"));
  const logFile = path.join(work, "deploy.log");
  const moto = await startMoto(tools.motoServer, path.join(work, "moto.log"));
  try {
    copyFileSync(path.join(PROJECT_ROOT, "cdktf.json"), path.join(work, "cdktf.json"));
    symlinkSync(path.join(PROJECT_ROOT, "dist"), path.join(work, "dist"));
    symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(work, "node_modules"));
    const raw = emulatedConfig(JSON.parse(readFileSync(configFile, "utf8")), moto.endpoint);
    writeFileSync(path.join(work, "replication.config.json"), JSON.stringify(raw, null, 2));
    const config = parseConfig(raw, configFile);

    const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
    for (const name of ["REPLICATION_CONFIG", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]) delete env[name];
    if (tools.mirror) env.TF_CLI_CONFIG_FILE = writeTerraformCliConfig(work, tools.mirror);
    env.PATH = `${path.dirname(tools.terraform)}${path.delimiter}${env.PATH ?? ""}`;

    const alice = await clientsFor(moto.endpoint, config.sourceAccount.accountId, config.sourceAccount.region);
    const bob = await clientsFor(moto.endpoint, config.destinationAccount.accountId, config.destinationAccount.region);
    return { work, logFile, config, moto, env, alice, bob };
  } catch (e) {
    await moto.stop();
    throw e;
  }
}

/** Stops moto; removes the scratch folder unless asked to keep it for a post-mortem. */
export async function cleanup(d: LocalDeployment, keepWork: boolean): Promise<void> {
  await d.moto.stop();
  if (!keepWork) rmSync(d.work, { recursive: true, force: true });
}

// ---- inspection helpers -------------------------------------------------------------------

const stackDir = (d: LocalDeployment, stack: string) => path.join(d.work, "cdktf.out", "stacks", stack);

function terraform(d: LocalDeployment, stack: string, args: string[]) {
  const r = spawnSync("terraform", args, { cwd: stackDir(d, stack), env: d.env, encoding: "utf8", timeout: COMMAND_TIMEOUT_MS });
  writeFileSync(d.logFile, `\n$ terraform ${args.join(" ")} (${stack})\n${r.stdout}${r.stderr}`, { flag: "a" });
  return r;
}

function outputsOf(d: LocalDeployment, stack: string): Record<string, unknown> {
  const r = terraform(d, stack, ["output", "-json"]);
  assert.equal(r.status, 0, `terraform output of ${stack} failed: ${r.stderr}`);
  return Object.fromEntries(Object.entries(JSON.parse(r.stdout)).map(([k, v]) => [k, (v as { value: unknown }).value]));
}

/** IAM returns policy documents URL-encoded. */
const parsePolicy = (text: string): PolicyDocument => JSON.parse(text.trim().startsWith("{") ? text : decodeURIComponent(text));

async function bucketNames(c: AccountClients): Promise<string[]> {
  return ((await c.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name!).sort();
}

async function httpStatusOf(p: Promise<{ $metadata: { httpStatusCode?: number } }>): Promise<number | undefined> {
  try {
    return (await p).$metadata.httpStatusCode;
  } catch (e) {
    return (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  }
}

async function errorName(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as Error).name;
  }
}

/** The key behind an alias in this account, checked to be a rotated, symmetric customer managed key. */
async function checkKey(c: AccountClients, alias: string, expectedPolicy: (keyArn: string) => PolicyDocument): Promise<string> {
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
async function checkBucket(c: AccountClients, bucket: string, keyArn: string, expectedPolicy: PolicyDocument): Promise<void> {
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

/** Leaf paths where two JSON values differ ("rule.0.source_selection_criteria", ...). */
export function differingPaths(a: unknown, b: unknown, at = ""): string[] {
  const isObject = (v: unknown) => typeof v === "object" && v !== null;
  // Lists of different lengths (a block added or removed) differ as a whole.
  const sameShape = Array.isArray(a) ? Array.isArray(b) && a.length === b.length : !Array.isArray(b);
  if (isObject(a) && isObject(b) && sameShape) {
    const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
    return keys.flatMap((k) => differingPaths((a as any)[k], (b as any)[k], at ? `${at}.${k}` : k));
  }
  // An empty list and a missing value mean the same to terraform.
  const empty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0);
  if (empty(a) && empty(b)) return [];
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [at];
}

export interface PlannedChange {
  address: string;
  actions: string[];
  /** Changed attributes, to the block: `rule.0.filter`, not every leaf under it. */
  paths: string[];
}

/** Resource changes a plan of `stack` proposes, with the attribute blocks each one changes. */
function plannedChanges(d: LocalDeployment, stack: string): PlannedChange[] {
  const plan = terraform(d, stack, ["plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=second.tfplan"]);
  assert.ok(plan.status === 0 || plan.status === 2, `terraform plan of ${stack} failed: ${plan.stderr}`);
  const show = terraform(d, stack, ["show", "-json", "second.tfplan"]);
  assert.equal(show.status, 0, show.stderr);
  const changes = (JSON.parse(show.stdout).resource_changes ?? []) as any[];
  return changes
    .filter((c) => !["no-op", "read"].includes(c.change.actions.join()))
    .map((c) => ({
      address: c.address,
      actions: c.change.actions,
      paths: [...new Set(differingPaths(c.change.before, c.change.after).map((p) => p.split(".").slice(0, 3).join(".")))],
    }));
}

// ---- the steps ----------------------------------------------------------------------------

export interface DeployStep {
  name: string;
  run(d: LocalDeployment): Promise<void>;
}

/**
 * moto's read-back of a replication configuration drops SourceSelectionCriteria, reports every
 * filter as `Prefix = ""` and every DeleteMarkerReplication as Disabled. So the second plan of
 * source re-adds, per rule: source_selection_criteria always, the filter where the rule has one,
 * and delete_marker_replication where it is Enabled. This is the only difference a converged
 * deployment may show on moto, and exactly this, rule by rule.
 */
export function knownMotoGap(config: ReplicationConfig): PlannedChange[] {
  return config.sourceBuckets.map((b) => ({
    address: `aws_s3_bucket_replication_configuration.${sourceBucketNames(config, b.bucketName).replication}[0]`,
    actions: ["update"],
    paths: b.rules.flatMap((r, i) => [
      ...(r.replicateDeleteMarkers ? [`rule.${i}.delete_marker_replication`] : []),
      ...(r.filter ? [`rule.${i}.filter`] : []),
      `rule.${i}.source_selection_criteria`,
    ]),
  }));
}

const expectedRoleArn = (c: ReplicationConfig, b: SourceBucketConfig) => roleArn(c.sourceAccount.accountId, b.replicationRoleName);

/** After bring-up step 1/3: Alice's side exists, there is no replication configuration, Bob has nothing. */
async function checkSourceWithoutReplication(d: LocalDeployment): Promise<void> {
  const aliceBuckets = await bucketNames(d.alice);
  for (const b of d.config.sourceBuckets) {
    assert.ok(aliceBuckets.includes(b.bucketName), `Alice's bucket ${b.bucketName} exists after step 1`);
    const role = await d.alice.iam.send(new GetRoleCommand({ RoleName: b.replicationRoleName }));
    assert.equal(role.Role?.Arn, expectedRoleArn(d.config, b));
    assert.equal(
      await errorName(d.alice.s3.send(new GetBucketReplicationCommand({ Bucket: b.bucketName }))),
      "ReplicationConfigurationNotFoundError",
      `no replication configuration on ${b.bucketName} while destination_ready=false`,
    );
  }
  assert.deepEqual(await bucketNames(d.bob), [], "Bob has no bucket yet");
  assert.equal(outputsOf(d, "source").replication_enabled, false);
}

const sorted = (names: string[]) => [...names].sort();

export const deploySteps: DeployStep[] = [
  {
    name: "first bring-up (the project's bring-up command); after step 1/3 Alice's side exists without replication",
    run: (d) =>
      bringUp({
        extra: CDKTF_FLAGS,
        cwd: d.work,
        env: d.env,
        timeoutMs: COMMAND_TIMEOUT_MS,
        logFile: d.logFile,
        log: (line) => writeFileSync(d.logFile, `\n${line}\n`, { flag: "a" }),
        afterStep: async (_step, index) => {
          if (index === 0) await checkSourceWithoutReplication(d);
        },
      }),
  },
  {
    name: "each account holds only its own buckets, and the outputs name them",
    run: async (d) => {
      const { sourceAccount, destinationAccount } = d.config;
      assert.deepEqual(await bucketNames(d.alice), sorted(d.config.sourceBuckets.map((b) => b.bucketName)));
      assert.deepEqual(await bucketNames(d.bob), sorted(d.config.destinationBuckets.map((b) => b.bucketName)));
      const s = outputsOf(d, "source");
      assert.equal(s.replication_enabled, true);
      for (const b of d.config.sourceBuckets) {
        const out = sourceBucketNames(d.config, b.bucketName).output;
        assert.equal(s[out("replication_role_arn")], expectedRoleArn(d.config, b));
        assert.equal(s[out("source_bucket_arn")], bucketArn(b.bucketName));
        assert.equal(s[out("source_bucket_name")], b.bucketName);
        assert.match(String(s[out("source_kms_key_arn")]), new RegExp(`^arn:aws:kms:${sourceAccount.region}:${sourceAccount.accountId}:key/`));
      }
      const t = outputsOf(d, "dest");
      for (const b of d.config.destinationBuckets) {
        const out = destinationBucketNames(d.config, b.bucketName).output;
        assert.equal(t[out("destination_bucket_arn")], bucketArn(b.bucketName));
        assert.equal(t[out("destination_bucket_name")], b.bucketName);
        assert.match(String(t[out("replica_kms_key_arn")]), new RegExp(`^arn:aws:kms:${destinationAccount.region}:${destinationAccount.accountId}:key/`));
        assert.equal(t[out("replica_kms_key_alias_arn")], kmsAliasArn(destinationAccount.region, destinationAccount.accountId, b.kmsKeyAlias));
      }
    },
  },
  {
    name: "Alice's keys and buckets: settings and policies as the stack meant them",
    run: async (d) => {
      for (const b of d.config.sourceBuckets) {
        const keyArn = await checkKey(d.alice, b.kmsKeyAlias, () => sourceKeyPolicy(d.config.sourceAccount.accountId));
        await checkBucket(d.alice, b.bucketName, keyArn, sourceBucketPolicy(b.bucketName));
      }
    },
  },
  {
    name: "Bob's replica keys and buckets: settings and policies naming exactly the roles that write there",
    run: async (d) => {
      const { accountId, region } = d.config.destinationAccount;
      for (const b of d.config.destinationBuckets) {
        const writers = writersInto(d.config, b.bucketName).map((w) => ({ roleArn: expectedRoleArn(d.config, w.source), ownerOverride: w.ownerOverride }));
        const keyArn = await checkKey(d.bob, b.kmsKeyAlias, () => replicaKeyPolicy({ accountId, region, bucketName: b.bucketName, writers }));
        await checkBucket(d.bob, b.bucketName, keyArn, destinationBucketPolicy({ bucketName: b.bucketName, sourceAccountId: d.config.sourceAccount.accountId, writers }));
      }
    },
  },
  {
    name: "the replication roles: trust and permissions policies, one role per source bucket",
    run: async (d) => {
      const { accountId, region } = d.config.sourceAccount;
      for (const b of d.config.sourceBuckets) {
        const role = await d.alice.iam.send(new GetRoleCommand({ RoleName: b.replicationRoleName }));
        assert.deepEqual(parsePolicy(role.Role!.AssumeRolePolicyDocument!), replicationTrustPolicy(accountId, b.bucketName));
        const sourceKeyArn = (await d.alice.kms.send(new DescribeKeyCommand({ KeyId: kmsAliasName(b.kmsKeyAlias) }))).KeyMetadata!.Arn!;
        const inline = await d.alice.iam.send(new GetRolePolicyCommand({ RoleName: b.replicationRoleName, PolicyName: "s3-cross-account-replication" }));
        assert.deepEqual(
          parsePolicy(inline.PolicyDocument!),
          replicationRolePolicy({ source: { bucketName: b.bucketName, region }, sourceKeyArn, destinations: destinationsOf(d.config, b) }),
        );
      }
    },
  },
  {
    name: "the replication configurations: every rule with its destination, key, storage class, priority, RTC and metrics (every field moto keeps)",
    run: async (d) => {
      const { accountId, region } = d.config.destinationAccount;
      for (const b of d.config.sourceBuckets) {
        const { ReplicationConfiguration: rc } = await d.alice.s3.send(new GetBucketReplicationCommand({ Bucket: b.bucketName }));
        assert.equal(rc?.Role, expectedRoleArn(d.config, b));
        assert.deepEqual(rc?.Rules?.map((r) => r.ID), b.rules.map((r) => r.id), `rules of ${b.bucketName}, in order`);
        b.rules.forEach((expected, i) => {
          const rule = rc!.Rules![i];
          const destination = destinationBucket(d.config, expected.destinationBucket);
          const where = `${b.bucketName} rule ${expected.id}`;
          assert.equal(rule.Status, "Enabled", where);
          if (expected.priority !== undefined) assert.equal(rule.Priority, expected.priority, `${where}: priority`);
          assert.equal(rule.Destination?.Bucket, bucketArn(destination.bucketName), `${where}: destination`);
          assert.equal(rule.Destination?.Account, accountId, `${where}: account`);
          assert.equal(rule.Destination?.EncryptionConfiguration?.ReplicaKmsKeyID, kmsAliasArn(region, accountId, destination.kmsKeyAlias), `${where}: replica key`);
          assert.equal(rule.Destination?.StorageClass, expected.storageClass, `${where}: storage class`);
          assert.deepEqual(rule.Destination?.AccessControlTranslation, expected.ownerOverride ? { Owner: "Destination" } : undefined, `${where}: owner override`);
          const minutes = { Minutes: REPLICATION_TIME_MINUTES };
          assert.deepEqual(rule.Destination?.ReplicationTime, expected.replicationTimeControl ? { Status: "Enabled", Time: minutes } : undefined, `${where}: replication time`);
          assert.deepEqual(
            rule.Destination?.Metrics,
            expected.replicationTimeControl ? { Status: "Enabled", EventThreshold: minutes } : expected.metrics ? { Status: "Enabled" } : undefined,
            `${where}: metrics`,
          );
        });
      }
      const rtc = d.config.sourceBuckets.some((b) => b.rules.some((r) => r.replicationTimeControl));
      assert.ok(rtc, "the emulated config has at least one rule with Replication Time Control");
    },
  },
  {
    // moto serves plain HTTP and does evaluate a bucket policy's explicit Deny on aws:SecureTransport.
    name: "a request without TLS is refused by every bucket's policy",
    run: async (d) => {
      const buckets: [AccountClients, string][] = [
        ...d.config.sourceBuckets.map((b): [AccountClients, string] => [d.alice, b.bucketName]),
        ...d.config.destinationBuckets.map((b): [AccountClients, string] => [d.bob, b.bucketName]),
      ];
      for (const [c, Bucket] of buckets) {
        const status = await httpStatusOf(c.s3.send(new PutObjectCommand({ Bucket, Key: "e2e/over-http.txt", Body: "x" })));
        assert.equal(status, 403, `a plain-HTTP PutObject to ${Bucket} must be denied`);
      }
    },
  },
  {
    name: "a second plan changes nothing, except the known moto read-back gap, rule by rule",
    run: async (d) => {
      assert.deepEqual(plannedChanges(d, "dest"), [], "dest must converge");
      assert.deepEqual(
        plannedChanges(d, "source").sort((a, b) => a.address.localeCompare(b.address)),
        knownMotoGap(d.config).sort((a, b) => a.address.localeCompare(b.address)),
        "source must converge but for the known moto read-back gap",
      );
    },
  },
  {
    name: "cdktf destroy dest source removes both sides (keys scheduled for deletion)",
    run: async (d) => {
      const keys: [AccountClients, string][] = [
        ...d.config.sourceBuckets.map((b): [AccountClients, string] => [d.alice, b.kmsKeyAlias]),
        ...d.config.destinationBuckets.map((b): [AccountClients, string] => [d.bob, b.kmsKeyAlias]),
      ];
      const keyArns = await Promise.all(keys.map(async ([c, alias]) => (await c.kms.send(new DescribeKeyCommand({ KeyId: kmsAliasName(alias) }))).KeyMetadata!.Arn!));
      const status = await runCommand(CDKTF, ["destroy", "dest", "source", ...CDKTF_FLAGS], {
        cwd: d.work,
        env: d.env,
        timeoutMs: COMMAND_TIMEOUT_MS,
        logFile: d.logFile,
      });
      assert.equal(status, 0, `cdktf destroy failed (exit ${status}); see ${d.logFile}`);
      assert.deepEqual(await bucketNames(d.alice), []);
      assert.deepEqual(await bucketNames(d.bob), []);
      for (const b of d.config.sourceBuckets) {
        assert.equal(await errorName(d.alice.iam.send(new GetRoleCommand({ RoleName: b.replicationRoleName }))), NoSuchEntityException.name);
      }
      const earliestDeletion = Date.now() + (KEY_DELETION_WINDOW_DAYS - 1) * 24 * 3600 * 1000;
      for (const [i, [c, alias]] of keys.entries()) {
        assert.equal(await errorName(c.kms.send(new DescribeKeyCommand({ KeyId: kmsAliasName(alias) }))), "NotFoundException");
        const { KeyMetadata: key } = await c.kms.send(new DescribeKeyCommand({ KeyId: keyArns[i] }));
        assert.equal(key?.KeyState, "PendingDeletion", `${keyArns[i]} is scheduled for deletion, not deleted`);
        assert.ok((key?.DeletionDate?.getTime() ?? 0) > earliestDeletion, `${keyArns[i]} keeps its ${KEY_DELETION_WINDOW_DAYS}-day window`);
      }
    },
  },
];

const tail = (file: string, lines = 40) => {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
};

async function main(): Promise<number> {
  const started = Date.now();
  const { tools, missing, notes } = findTools();
  if (!tools) {
    console.error(`deploy:local needs ${missing.join("; ")}`);
    return 1;
  }
  notes.forEach((n) => console.log(`note: ${n}`));
  const configFlag = process.argv.indexOf("--config");
  const configFile = configFlag >= 0 ? path.resolve(process.argv[configFlag + 1] ?? "") : undefined;
  const d = await prepare(tools, configFile);
  console.log(`moto on ${d.moto.endpoint} (pid ${d.moto.pid}); work folder ${d.work}; log ${d.logFile}`);
  let failed = false;
  try {
    for (const step of deploySteps) {
      const t = Date.now();
      process.stdout.write(`… ${step.name}\n`);
      try {
        await step.run(d);
        console.log(`✓ ${step.name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
      } catch (e) {
        console.error(`✗ ${step.name} (${((Date.now() - t) / 1000).toFixed(1)} s)\n${(e as Error).message}\n--- last lines of ${d.logFile}\n${tail(d.logFile)}`);
        failed = true;
        break;
      }
    }
  } finally {
    await cleanup(d, failed);
  }
  console.log(`${failed ? "FAILED" : "passed"} in ${((Date.now() - started) / 1000).toFixed(1)} s${failed ? `; kept ${d.work}` : ""}`);
  return failed ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
