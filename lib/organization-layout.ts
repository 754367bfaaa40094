// What a pipeline needs to run an organization's stacks: each stack's account, region and state,
// the stacks whose state it reads, the order (the pair's three steps, each over every stack of its
// kind) and, with Terraform Cloud, the run triggers from each source workspace to the destination
// workspaces that read it. Written beside the manifest as cdktf.out/organization.json.
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { localStatePath, s3StateKey, workspaceOf } from "./backend";
import type { AccountConfig, OrganizationConfig, OrganizationStackName } from "./config";
import { DESTINATION_READY_VARIABLE } from "./naming";

export const ORGANIZATION_LAYOUT_FILE = "organization.json";

export interface LayoutStack {
  stack: OrganizationStackName;
  kind: "source" | "dest";
  accountId: string;
  region: string;
  /** Where its state is: a local path, an S3 key or a Terraform Cloud workspace. */
  state: string;
  /** The stacks whose state it reads (a destination stack: the source stacks writing into it). */
  reads: OrganizationStackName[];
}

export interface OrganizationLayout {
  stacks: LayoutStack[];
  /** The first bring-up, as commands a pipeline runs (each step's stacks are independent of each other). */
  firstBringUp: { step: string; stacks: OrganizationStackName[]; variables: Record<string, unknown> }[];
  /** Terraform Cloud: a run of a source workspace triggers a run of each destination workspace reading it. */
  runTriggers: { from: string; to: string }[];
}

export function organizationLayout(config: OrganizationConfig): OrganizationLayout {
  const { backend } = config;
  const stateOf = (stack: OrganizationStackName) =>
    backend.type === "local" ? localStatePath(backend.stateDir, stack) : backend.type === "s3" ? `s3://${backend.bucket}/${s3StateKey(backend.keyPrefix, stack)}` : `workspace ${workspaceOf(backend, stack)}`;
  const entry = (stack: OrganizationStackName, kind: "source" | "dest", account: AccountConfig, reads: OrganizationStackName[]): LayoutStack => ({ stack, kind, accountId: account.accountId, region: account.region, state: stateOf(stack), reads });
  const sources = config.sourceAccounts.map((a) => entry(a.stack, "source", a.config.sourceAccount, []));
  const dests = config.destinationAccounts.map((d) => entry(d.stack, "dest", d.account, config.sourceAccounts.filter((a) => d.writers.includes(a.name)).map((a) => a.stack)));
  return {
    stacks: [...sources, ...dests],
    firstBringUp: [
      { step: "1/3", stacks: sources.map((s) => s.stack), variables: { [DESTINATION_READY_VARIABLE]: false } },
      { step: "2/3", stacks: dests.map((d) => d.stack), variables: {} },
      { step: "3/3", stacks: sources.map((s) => s.stack), variables: {} },
    ],
    runTriggers:
      backend.type === "cloud" ? dests.flatMap((d) => d.reads.map((from) => ({ from: workspaceOf(backend, from), to: workspaceOf(backend, d.stack) }))) : [],
  };
}

export function writeOrganizationLayout(outdir: string, config: OrganizationConfig): void {
  mkdirSync(outdir, { recursive: true });
  writeFileSync(path.join(outdir, ORGANIZATION_LAYOUT_FILE), `${JSON.stringify(organizationLayout(config), null, 2)}\n`);
}
