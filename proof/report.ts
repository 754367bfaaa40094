// The verify report as a terminal table or JSON for machines, grouped by source bucket, then Bob's
// buckets (the Markdown for a pull request is ./report-markdown.ts).
import type { RequestOutcome } from "./requests/request";
import type { Finding } from "./checks/static-checks";
import type { AccessAnalysis, AccessFinding } from "./access/analysis";
import { OWNERS_THROUGH_IAM } from "./requests/intended-access";
import type { GuardrailAnalysis, GuardrailBlock } from "./guardrails/analysis";

/** Who replicates where, for the picture (built from the proved model, ./index.ts). */
export interface ReplicationTopology {
  source: { account: string; region: string };
  destination: { account: string; region: string };
  sourceBuckets: { name: string; key?: string }[];
  destinationBuckets: { name: string; key?: string }[];
  rules: { from: string; to: string; id: string; replicaKey?: string }[];
}

export interface VerifyReport {
  /** The synth output proved, or (verify --live) compared with. */
  dir: string;
  /** What was proved, when it is not the synth output itself (verify --live: the deployed accounts). */
  subject?: string;
  /** The config the synth output was synthesized from, and its SHA-256 (absent: the output does not say). */
  synthesizedFrom?: { config: string; sha256: string };
  /** What the proof took from elsewhere than its subject, and why. */
  notes?: string[];
  /** What the reader must know before trusting the verdict (the config changed since synth). */
  warnings?: string[];
  ok: boolean;
  findings: Finding[];
  requests: RequestOutcome[];
  /** The complete access analysis: the intended access, and every allowed request outside it. */
  access: AccessAnalysis;
  /** verify --guardrails: what the organization's SCPs and RCPs block, and the exception for each. */
  guardrails?: GuardrailAnalysis;
  /** Who replicates where (the Markdown report's picture). */
  topology?: ReplicationTopology;
  milliseconds: number;
}

const mark = (holds: boolean) => (holds ? "ok" : "FAIL");

/** Which config the proved output came from, for the header. */
const provenance = (r: VerifyReport) => (r.synthesizedFrom ? `, synthesized from ${r.synthesizedFrom.config} (sha256 ${r.synthesizedFrom.sha256.slice(0, 12)})` : "");

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}

const shortArn = (arn: string) => arn.replace(/^arn:aws:(sts|iam)::(\d{12}):/, "$2:").replace(/^arn:aws:s3:::/, "s3://");

/**
 * The report's sections, in order of first appearance (source buckets first, as the proof runs
 * them). One pass: a fleet of 1,000 buckets has 1,000 sections and 74,000 rows.
 */
export function groups(r: Pick<VerifyReport, "findings" | "requests">): { name: string; findings: Finding[]; requests: RequestOutcome[] }[] {
  const byName = new Map<string, { name: string; findings: Finding[]; requests: RequestOutcome[] }>();
  const section = (name: string) => {
    let s = byName.get(name);
    if (!s) byName.set(name, (s = { name, findings: [], requests: [] }));
    return s;
  };
  for (const f of r.findings) section(f.group).findings.push(f);
  for (const q of r.requests) section(q.group).requests.push(q);
  return [...byName.values()];
}

export function formatText(r: VerifyReport): string {
  const failedChecks = r.findings.filter((f) => !f.holds);
  const failedRequests = r.requests.filter((q) => !q.holds);
  const preface = [...(r.warnings ?? []).map((w) => `warning: ${w}`), ...(r.notes ?? []).map((n) => `note: ${n}`)];
  const lines = [`Replication proof of ${r.subject ?? r.dir}${provenance(r)}`, "", ...preface, ...(preface.length ? [""] : [])];
  for (const g of groups(r)) {
    lines.push(`== ${g.name}`, "");
    if (g.findings.length) lines.push("Static checks", table([["", "check", "detail"], ...g.findings.map((f) => [mark(f.holds), f.check, f.detail])]), "");
    if (g.requests.length) {
      lines.push(
        "Requests (simulated with the context AWS sends)",
        table([
          ["", "request", "action", "principal", "resource", "expected", "result", "decided by"],
          ...g.requests.map((q) => [mark(q.holds), q.title, q.action, shortArn(q.principal), shortArn(q.resource), q.expected, q.actual, q.decidedBy]),
        ]),
        "",
      );
    }
  }
  lines.push(...accessText(r.access));
  if (r.guardrails) lines.push(...guardrailText(r.guardrails));
  for (const f of failedChecks) lines.push(`FAIL [${f.group}] ${f.check}: ${f.detail}\n     fix: ${f.fix}`);
  for (const q of failedRequests) {
    lines.push(`FAIL [${q.group}] ${q.title}: ${q.action} by ${q.principal} on ${q.resource} was ${q.actual}, expected ${q.expected} (${q.decidedBy || "no statement applies"})`);
  }
  for (const a of r.access.findings) lines.push(`FAIL [${a.group}] ${unintended(a)}\n     fix: ${a.fix}`);
  for (const b of r.guardrails?.blocks ?? []) lines.push(`FAIL [guardrails] ${blocked(b)}\n     fix: ${b.exception.change}\n     ${exceptionChecked(b)}`);
  lines.push(
    r.ok
      ? `PASS: ${r.findings.length} checks and ${r.requests.length} requests hold, and nothing beyond the intended access is allowed (${r.access.simulations} requests analysed; ${r.milliseconds} ms)`
      : `FAILED: ${failedChecks.length} check(s), ${failedRequests.length} request(s)${r.guardrails ? ` (${r.guardrails.blocks.reduce((n, b) => n + b.requests.length, 0)} of them denied by ${r.guardrails.blocks.length} guardrail statement(s))` : ""} and ${r.access.findings.length} unintended access(es) (${r.access.simulations} requests analysed)`,
  );
  return lines.join("\n");
}

/** One unintended access, as a sentence. */
const unintended = (a: AccessFinding) =>
  `unintended access (${a.side} policy): ${a.principal} may ${a.actions.join(", ")} on ${a.resource}, with ${a.contexts.join(" | ")}; allowed by ${a.allowedBy.join(", ") || "?"}`;

function accessText(a: AccessAnalysis): string[] {
  return [
    `== Access analysis: who may do what (${a.simulations} requests analysed; anything else allowed is a failure)`,
    "",
    table([["source bucket", "who", "actions", "on", "conditions"], ...a.intended.map((i) => [i.group, i.who, i.actions.join(", "), i.resources.map(shortArn).join(", "), i.conditions])]),
    `and ${OWNERS_THROUGH_IAM}`,
    "",
  ];
}

/** A guardrail statement that blocks replication, as a sentence. */
export const blocked = (b: GuardrailBlock): string =>
  `${b.guardrail}, ${b.statement}, denies ${b.requests.length} request(s) replication needs: ${[...new Set(b.requests.map((q) => `${q.action} by ${shortArn(q.principal)}`))].join(", ")}`;

/** What the engine said of the proposed exception. */
export function exceptionChecked(b: GuardrailBlock): string {
  const { replicationAllowed, stillDenied, perimeter } = b.check;
  return [
    replicationAllowed ? "checked: with it, every one of these requests is allowed" : `checked: still denied with it (another guardrail?): ${stillDenied.join("; ")}`,
    perimeter.kept
      ? `and nobody else is admitted (${perimeter.compared} requests compared)`
      : `but it would also admit ${perimeter.alsoAdmitted.join("; ")}: narrow it by hand`,
  ].join(", ");
}

function guardrailText(g: GuardrailAnalysis): string[] {
  return [
    `== Guardrails: the organization's SCPs and RCPs, from ${g.source}`,
    "",
    ...g.notes.map((n) => `note: ${n}`),
    ...(g.blocks.length ? [] : ["none of them denies a request replication needs"]),
    ...g.blocks.flatMap((b) => ["", `${b.kind}: ${blocked(b)}`, `proposed exception: ${b.exception.change}`, `its Condition then reads ${JSON.stringify(b.exception.statement.Condition)}`, exceptionChecked(b)]),
    ...g.mustDenyOpened.map((o) => `FAIL: the exceptions together would allow a must-deny request: ${o}`),
    "",
  ];
}

export const formatJson = (r: VerifyReport): string => JSON.stringify(r, null, 2);
