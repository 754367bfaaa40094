// An organization's bring-up, against a model of what each apply leaves in state: from any point
// a bring-up can be killed at, running it again converges, no source stack's replication is
// applied before its destination buckets exist, and a running account's is never switched off.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseAnyConfig, type OrganizationConfig } from "../../lib/config";
import { DESTINATION_READY_VARIABLE, HELD_BACK_VARIABLE } from "../../lib/naming";
import { accountStates, organizationBringUpSteps, type StackOutputs } from "../../tools/organization-bring-up";
import { withFourthAccount } from "../../dev/generate-fleet";
import { PROJECT_ROOT } from "../support/fixtures";

const raw = (): any => JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples/organization.json"), "utf8"));
const config = (r = raw()) => parseAnyConfig(r) as OrganizationConfig;

/** What one stack's apply leaves in its state, as its outputs; throws where S3 would refuse. */
function apply(c: OrganizationConfig, outputs: StackOutputs, stack: string, args: string[]): void {
  const value = (name: string) => args[args.indexOf("--var") + 1]?.startsWith(`${name}=`) ? args[args.indexOf("--var") + 1].slice(name.length + 1) : undefined;
  const account = c.sourceAccounts.find((a) => a.stack === stack);
  if (account) {
    const held = value(DESTINATION_READY_VARIABLE) === "false";
    const heldBack: string[] = JSON.parse(value(HELD_BACK_VARIABLE) ?? "[]");
    const before = outputs[stack] ?? {};
    if (before.replication_enabled === true && held) throw new Error(`${stack}: a running account's replication switched off`);
    const dest = outputs[`dest-${account.destination}`] ?? {};
    const created = new Set(Object.values(dest));
    for (const b of account.config.sourceBuckets) {
      if (!held && !heldBack.includes(b.bucketName) && b.rules.some((r) => !created.has(r.destinationBucket))) throw new Error(`${stack}: S3 refuses ${b.bucketName}'s replication: its destination does not exist yet`);
    }
    outputs[stack] = {
      ...Object.fromEntries(account.config.sourceBuckets.map((b) => [`source_bucket_name_${b.bucketName}`, b.bucketName])),
      replication_enabled: !held,
      replication_held_back: heldBack,
    };
    return;
  }
  const d = c.destinationAccounts.find((x) => x.stack === stack)!;
  outputs[stack] = Object.fromEntries(d.destinationBuckets.map((b) => [`destination_bucket_name_${b.bucketName}`, b.bucketName]));
}

/** Runs the bring-up from `outputs`; with `killAt`, stops after that many stack applies. Returns how many it ran. */
function bringUp(c: OrganizationConfig, outputs: StackOutputs, killAt = Infinity): number {
  let applied = 0;
  for (const step of organizationBringUpSteps(c, accountStates(c, outputs), ["--auto-approve"], 4)) {
    const stacks = step.args.slice(1, step.args.indexOf("--skip-synth"));
    // cdktf applies a step's stacks in dependency order: sources before destinations.
    for (const stack of [...stacks].sort((a, b) => Number(a.startsWith("dest-")) - Number(b.startsWith("dest-")))) {
      if (applied++ >= killAt) return applied;
      apply(c, outputs, stack, step.args);
    }
  }
  return applied;
}

const running = (c: OrganizationConfig, outputs: StackOutputs) => c.sourceAccounts.every((a) => outputs[a.stack]?.replication_enabled === true && (outputs[a.stack]?.replication_held_back as string[]).length === 0);

test("a fresh organization: every source stack held back, every destination stack, every source stack on", () => {
  const c = config();
  expect(organizationBringUpSteps(c, accountStates(c, {}), [], 4).map((s) => s.args)).toEqual([
    ["deploy", "source-payments", "source-analytics", "source-web", "--skip-synth", "--parallelism", "4", "--var", "destination_ready=false"],
    ["deploy", "dest-archive", "dest-log-archive", "--skip-synth", "--parallelism", "4", "--ignore-missing-stack-dependencies"],
    ["deploy", "source-payments", "source-analytics", "source-web", "--skip-synth", "--parallelism", "4"],
  ]);
  const outputs: StackOutputs = {};
  bringUp(c, outputs);
  expect(running(c, outputs)).toBe(true);
});

test("killed after any stack's apply, in any step, a second run converges", () => {
  const c = config();
  const total = bringUp(c, {});
  for (let kill = 0; kill < total; kill++) {
    const outputs: StackOutputs = {};
    bringUp(c, outputs, kill);
    bringUp(c, outputs);
    expect([kill, running(c, outputs)]).toEqual([kill, true]);
  }
});

test("on a running organization: one converging deploy, never destination_ready=false", () => {
  const c = config();
  const outputs: StackOutputs = {};
  bringUp(c, outputs);
  const steps = organizationBringUpSteps(c, accountStates(c, outputs), [], 4);
  expect(steps.map((s) => s.args.join(" "))).toEqual(["deploy source-payments source-analytics source-web dest-archive dest-log-archive --skip-synth --parallelism 4"]);
});

test("a fourth account joins a running organization: only it is held back, and the others keep replicating", () => {
  const outputs: StackOutputs = {};
  bringUp(config(), outputs);
  const r = withFourthAccount(raw());
  const c = config(r);
  expect(organizationBringUpSteps(c, accountStates(c, outputs), [], 4)[0].args.slice(0, 3)).toEqual(["deploy", "source-hr", "--skip-synth"]);
  bringUp(c, outputs); // apply() throws if a running account's replication were switched off
  expect(running(c, outputs)).toBe(true);
});

test("a running account gains a bucket into a new bucket of Bob's: that bucket alone is held back", () => {
  const outputs: StackOutputs = {};
  bringUp(config(), outputs);
  const r = raw();
  r.sourceAccounts[2].sourceBuckets.push({ bucketName: "web-errors-444444444444", kmsKeyAlias: "web-errors", rules: [{ id: "e", destinationBucket: "log-archive-errors-555555555555" }] });
  r.destinationAccounts[1].destinationBuckets.push({ bucketName: "log-archive-errors-555555555555", kmsKeyAlias: "log-archive-errors" });
  const c = config(r);
  expect(organizationBringUpSteps(c, accountStates(c, outputs), [], 4)[0].args).toEqual(["deploy", "source-web", "--skip-synth", "--parallelism", "4", "--var", 'held_back_source_buckets=["web-errors-444444444444"]']);
  bringUp(c, outputs);
  expect(running(c, outputs)).toBe(true);
});

test("a running account's existing bucket now naming a bucket of Bob's not yet created is refused before anything applies", () => {
  const outputs: StackOutputs = {};
  bringUp(config(), outputs);
  const r = raw();
  r.sourceAccounts[2].sourceBuckets[0].rules[0].destinationBucket = "log-archive-new-555555555555";
  r.destinationAccounts[1].destinationBuckets = [{ bucketName: "log-archive-new-555555555555", kmsKeyAlias: "log-archive-new" }];
  expect(() => accountStates(config(r), outputs)).toThrow(/source-web: web-access-logs-444444444444 already replicates .* dest-log-archive has not created/);
});
