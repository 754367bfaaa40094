// The emulated deploy of an organization: two of Alice's accounts into one of Bob's on one moto
// run, with the project's own commands (npm run bring-up, verify, cdktf destroy). Its steps:
// a bring-up interrupted while the destination stack is applied, then resumed; each account's
// buckets and nothing else; Bob's policies naming exactly the two accounts' roles; a second plan
// with no change but moto's known read-back gap; a fourth account that changes only its own stack
// and the destination stack; destroy. test/e2e/organization-deploy.test.ts runs it.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { GetBucketPolicyCommand, GetBucketReplicationCommand } from "@aws-sdk/client-s3";
import { GetKeyPolicyCommand, DescribeKeyCommand } from "@aws-sdk/client-kms";
import { kmsAliasName, roleArn } from "../../lib/arns";
import { organizationStackNames, parseAnyConfig, type OrganizationConfig } from "../../lib/config";
import { clientsFor, type AccountClients } from "../../tools/accounts";
import { bringUp } from "../../tools/bring-up";
import { CDKTF, PROJECT_ROOT } from "../../tools/project-root";
import { runCommand } from "../../tools/run-command";
import { startMoto, type Moto } from "../emulator";
import { withFourthAccount } from "../generate-fleet";
import { bucketNames, parsePolicy } from "./inspect";
import { knownMotoGap, plannedChanges } from "./plan-diff";
import { CDKTF_FLAGS, COMMAND_TIMEOUT_MS, scratchProject, type Tools } from "./workspace";

export interface OrganizationDeployment {
  work: string;
  logFile: string;
  moto: Moto;
  env: NodeJS.ProcessEnv;
  raw: any;
  config: OrganizationConfig;
  /** SDK clients by account ID. */
  clients: Map<string, AccountClients>;
  done: string[];
}

/** The organization the emulated deploy runs: payments and analytics into archive (examples/organization.json's). */
export function emulatedOrganization(endpoint: string): any {
  const example = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples", "organization.json"), "utf8"));
  const strip = ({ credentials: _, ...account }: any) => account;
  return {
    sourceAccounts: example.sourceAccounts.filter((a: any) => a.name !== "web").map(strip),
    destinationAccounts: example.destinationAccounts.filter((d: any) => d.name === "archive").map(strip),
    tags: example.tags,
    backend: { type: "local", stateDir: "." },
    emulator: { endpoint },
  };
}

export async function prepareOrganization(tools: Tools): Promise<OrganizationDeployment> {
  const { work, logFile, env } = scratchProject(tools, "deploy-organization-");
  const moto = await startMoto(tools.motoServer, path.join(work, "moto.log"));
  try {
    const raw = emulatedOrganization(moto.endpoint);
    writeFileSync(path.join(work, "replication.config.json"), JSON.stringify(raw, null, 2));
    const config = parseAnyConfig(raw) as OrganizationConfig;
    const d: OrganizationDeployment = { work, logFile, moto, env, raw, config, clients: new Map(), done: [] };
    await connectAll(d, withFourthAccount(raw));
    return d;
  } catch (e) {
    await moto.stop();
    throw e;
  }
}

/** SDK clients for every account of `raw` (the fourth one's too, to see it holds nothing before it joins). */
async function connectAll(d: OrganizationDeployment, raw: any): Promise<void> {
  for (const a of [...raw.sourceAccounts, ...raw.destinationAccounts]) {
    if (!d.clients.has(a.accountId)) d.clients.set(a.accountId, await clientsFor(d.moto.endpoint, a.accountId, a.region));
  }
}

const log = (d: OrganizationDeployment) => (line: string) => writeFileSync(d.logFile, `\n${line}\n`, { flag: "a" });
const options = (d: OrganizationDeployment) => ({ extra: CDKTF_FLAGS, cwd: d.work, env: d.env, timeoutMs: COMMAND_TIMEOUT_MS, logFile: d.logFile, progress: true });
const sorted = (xs: string[]) => [...xs].sort();

/** Every role ARN a policy names as a principal. */
const principalRoles = (text: string): string[] =>
  parsePolicy(text).Statement.flatMap((s) => (typeof s.Principal === "object" && s.Principal && "AWS" in s.Principal ? [s.Principal.AWS].flat().map(String) : [])).filter((p) => p.includes(":role/"));

/** The replication role ARNs of the source accounts writing into each bucket of Bob's. */
function writersOf(config: OrganizationConfig): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const a of config.sourceAccounts) {
    for (const b of a.config.sourceBuckets) {
      for (const r of b.rules) out.set(r.destinationBucket, [...new Set([...(out.get(r.destinationBucket) ?? []), roleArn(a.config.sourceAccount.accountId, b.replicationRoleName)])]);
    }
  }
  return out;
}

export interface OrganizationStep {
  name: string;
  run(d: OrganizationDeployment): Promise<void>;
}

export const organizationSteps: OrganizationStep[] = [
  {
    // One bring-up, not interrupted: a kill after any stack's apply, in any step, is proven to converge
    // by test/tools/organization-bring-up.test.ts, and a real interruption by the pair's emulated deploy;
    // an interrupted run here cost npm test about 80 s.
    name: "bring-up of two source accounts and one destination account: both source stacks held back, then dest-archive, then replication on",
    run: async (d) => {
      const lines: string[] = [];
      const done = await bringUp({ ...options(d), log: (line) => (lines.push(line), log(d)(line)) });
      assert.ok(lines.some((l) => /not replicating yet: source-payments, source-analytics/.test(l)), lines.slice(0, 3).join(" | "));
      assert.equal(done.length, 3, done.join("; "));
      d.done.push(...done.map((l) => `bring-up ${l}`));
    },
  },
  {
    name: "each account holds only its own buckets, and each source bucket replicates into its bucket of Bob's",
    run: async (d) => {
      for (const a of d.config.sourceAccounts) {
        const c = d.clients.get(a.config.sourceAccount.accountId)!;
        assert.deepEqual(await bucketNames(c), sorted(a.config.sourceBuckets.map((b) => b.bucketName)), a.stack);
        for (const b of a.config.sourceBuckets) {
          const { ReplicationConfiguration: rc } = await c.s3.send(new GetBucketReplicationCommand({ Bucket: b.bucketName }));
          assert.equal(rc?.Role, roleArn(a.config.sourceAccount.accountId, b.replicationRoleName));
          assert.deepEqual(rc?.Rules?.map((r) => r.Destination?.Bucket), b.rules.map((r) => `arn:aws:s3:::${r.destinationBucket}`));
        }
      }
      for (const dest of d.config.destinationAccounts) {
        assert.deepEqual(await bucketNames(d.clients.get(dest.account.accountId)!), sorted(dest.destinationBuckets.map((b) => b.bucketName)), dest.stack);
      }
      assert.deepEqual(await bucketNames(d.clients.get("666666666666")!), [], "the account not yet in the organization holds nothing");
    },
  },
  {
    name: "Bob's bucket and key policies name exactly the role of the account writing into each bucket, and together exactly the two accounts' roles",
    run: async (d) => {
      const writers = writersOf(d.config);
      const all = new Set<string>();
      for (const dest of d.config.destinationAccounts) {
        const c = d.clients.get(dest.account.accountId)!;
        for (const b of dest.destinationBuckets) {
          const bucketPolicy = (await c.s3.send(new GetBucketPolicyCommand({ Bucket: b.bucketName }))).Policy!;
          const keyId = (await c.kms.send(new DescribeKeyCommand({ KeyId: kmsAliasName(b.kmsKeyAlias) }))).KeyMetadata!.KeyId!;
          const keyPolicy = (await c.kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: "default" }))).Policy!;
          for (const [what, text] of [["bucket policy", bucketPolicy], ["key policy", keyPolicy]] as const) {
            const named = [...new Set(principalRoles(text))].sort();
            assert.deepEqual(named, sorted(writers.get(b.bucketName)!), `${b.bucketName}'s ${what}`);
            named.forEach((r) => all.add(r));
          }
        }
      }
      const accounts = [...new Set([...all].map((r) => r.split(":")[4]))].sort();
      assert.deepEqual(accounts, ["111111111111", "333333333333"]);
    },
  },
  {
    name: "npm run verify proves the synthesized organization",
    run: async (d) => {
      const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "dist", "tools", "verify.js"), "--dir", path.join(d.work, "cdktf.out")], { encoding: "utf8", timeout: COMMAND_TIMEOUT_MS });
      assert.equal(r.status, 0, r.stdout.split("\n").slice(-8).join("\n") + r.stderr);
      assert.match(r.stdout, /Organization proof of .*: PASS \(2 source accounts/);
    },
  },
  {
    name: "a second plan of every stack changes nothing, except moto's known read-back gap in the source stacks",
    run: async (d) => {
      for (const a of d.config.sourceAccounts) {
        assert.deepEqual(plannedChanges(d, a.stack).sort((x, y) => x.address.localeCompare(y.address)), knownMotoGap(a.config).sort((x, y) => x.address.localeCompare(y.address)), a.stack);
      }
      for (const dest of d.config.destinationAccounts) assert.deepEqual(plannedChanges(d, dest.stack), [], dest.stack);
    },
  },
  {
    name: "a fourth account joins: no other source stack changes, bring-up holds back only the new one, dest-archive only adds, and the new account replicates",
    run: async (d) => {
      const before = d.config;
      const stackJson = (stack: string) => readFileSync(path.join(d.work, "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8");
      const synthesized = new Map(organizationStackNames(before).map((s) => [s, stackJson(s)]));
      const grown = withFourthAccount(d.raw);
      writeFileSync(path.join(d.work, "replication.config.json"), JSON.stringify(grown, null, 2));
      d.raw = grown;
      d.config = parseAnyConfig(grown) as OrganizationConfig;
      const synth = await runCommand(CDKTF, ["synth", "--no-color"], { cwd: d.work, env: d.env, timeoutMs: COMMAND_TIMEOUT_MS, logFile: d.logFile });
      assert.equal(synth, 0);
      // The running accounts' stacks are synthesized as they were (so their plans are the second plan's, above).
      const changed = [...synthesized].filter(([stack, json]) => stackJson(stack) !== json).map(([stack]) => stack);
      assert.deepEqual(changed, ["dest-archive"], "only the destination stack the new account writes into changes");
      // dest-archive cannot plan before source-hr has state (it reads the new role's ARN there): its
      // apply in step 2/3, after source-hr's first, may only create.
      const lines: string[] = [];
      const done = await bringUp({ ...options(d), log: (line) => (lines.push(line), log(d)(line)) });
      assert.ok(lines.some((l) => /not replicating yet: source-hr$/.test(l)), lines.slice(0, 3).join(" | "));
      assert.equal(done.length, 3, done.join("; "));
      assert.match(done[0], /^1\/3 source-hr with replication held back: \d+ created$/);
      assert.match(done[1], /^2\/3 every destination stack.*: \d+ created$/, "dest-archive only adds");
      d.done.push(...done.map((l) => `fourth account: ${l}`));
      const { ReplicationConfiguration: rc } = await d.clients.get("666666666666")!.s3.send(new GetBucketReplicationCommand({ Bucket: "hr-records-666666666666" }));
      assert.equal(rc?.Role, roleArn("666666666666", "s3-replication-hr-records-666666666666"));
    },
  },
  {
    name: "cdktf destroy of every stack leaves no bucket in any account",
    run: async (d) => {
      const status = await runCommand(CDKTF, ["destroy", ...organizationStackNames(d.config), ...CDKTF_FLAGS], { cwd: d.work, env: d.env, timeoutMs: COMMAND_TIMEOUT_MS, logFile: d.logFile });
      assert.equal(status, 0, `cdktf destroy failed; see ${d.logFile}`);
      for (const [account, c] of d.clients) assert.deepEqual(await bucketNames(c), [], account);
    },
  },
];
