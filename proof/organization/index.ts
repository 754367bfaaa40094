// verify of an organization: each source account's stack with its part of the destination stack
// it writes into (./slices.ts), proved as a fleet is. Together the slices cover every stack: each
// source stack whole, each destination stack's resources each in the slice of every account
// whose state they read. An account's roles are shut out of every bucket its rules do not name
// (the fleet's probes and the analysis of the resources its policies name), and a role of another
// account named in a bucket's policies is unintended in that bucket's slice.
import type { VerifyReport } from "../report";
import { formatText } from "../report";
import { formatMarkdown } from "../report-markdown";
import { verifySynthOutput, type ProofOptions } from "../index";
import { manifestStackNames, readStacks, synthRecordStatus } from "../synth/synth-output";
import { organizationSlices } from "./slices";

export interface OrganizationReport {
  dir: string;
  ok: boolean;
  /** One per source account: its stack, the destination stack it writes into, and the proof. */
  slices: { source: string; dest: string; report: VerifyReport }[];
  milliseconds: number;
}

/** Whether a synth output is an organization's (stacks named source-<name> and dest-<name>). */
export const isOrganizationOutput = (dir: string): boolean => manifestStackNames(dir).some((n) => /^(source|dest)-/.test(n));

export async function verifyOrganization(dir: string, options: ProofOptions = {}): Promise<OrganizationReport> {
  const started = Date.now();
  const { stacks } = readStacks(dir, manifestStackNames(dir));
  const slices = [];
  for (const slice of organizationSlices(dir, stacks, synthRecordStatus(dir))) {
    const report = await verifySynthOutput(slice.out, options);
    slices.push({ source: slice.source, dest: slice.dest, report: { ...report, subject: `${slice.source} into ${slice.dest} (${dir})` } });
  }
  return { dir, ok: slices.every((s) => s.report.ok), slices, milliseconds: Date.now() - started };
}

const verdict = (r: { ok: boolean }) => (r.ok ? "PASS" : "FAIL");

/** Each account's proof, then one line per account. */
export function formatOrganizationText(r: OrganizationReport): string {
  return [
    ...r.slices.map((s) => formatText(s.report)),
    "",
    `Organization proof of ${r.dir}: ${verdict(r)} (${r.slices.length} source accounts, ${r.milliseconds} ms)`,
    ...r.slices.map((s) => `  ${verdict(s.report)}  ${s.source} into ${s.dest}`),
  ].join("\n");
}

export function formatOrganizationMarkdown(r: OrganizationReport): string {
  return [
    `### Organization proof: ${verdict(r)}`,
    "",
    "| source stack | destination stack | verdict |",
    "|---|---|---|",
    ...r.slices.map((s) => `| ${s.source} | ${s.dest} | ${verdict(s.report)} |`),
    "",
    ...r.slices.map((s) => `<details><summary>${s.source} into ${s.dest}: ${verdict(s.report)}</summary>\n\n${formatMarkdown(s.report)}\n\n</details>\n`),
  ].join("\n");
}
