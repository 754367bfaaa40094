// The verify report as a terminal table, JSON for machines, or Markdown for a pull request.
import type { Finding, RequestOutcome } from "./proof";

export interface VerifyReport {
  dir: string;
  ok: boolean;
  findings: Finding[];
  requests: RequestOutcome[];
  milliseconds: number;
}

const mark = (holds: boolean) => (holds ? "ok" : "FAIL");

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}

const shortArn = (arn: string) => arn.replace(/^arn:aws:(sts|iam)::(\d{12}):/, "$2:").replace(/^arn:aws:s3:::/, "s3://");

export function formatText(r: VerifyReport): string {
  const failedChecks = r.findings.filter((f) => !f.holds);
  const failedRequests = r.requests.filter((q) => !q.holds);
  const lines = [
    `Replication proof of ${r.dir}`,
    "",
    "Static checks",
    table([["", "check", "detail"], ...r.findings.map((f) => [mark(f.holds), f.check, f.detail])]),
    "",
    "Requests (simulated with the context AWS sends)",
    table([
      ["", "request", "action", "principal", "resource", "expected", "result", "decided by"],
      ...r.requests.map((q) => [mark(q.holds), q.title, q.action, shortArn(q.principal), shortArn(q.resource), q.expected, q.actual, q.decidedBy]),
    ]),
    "",
  ];
  for (const f of failedChecks) lines.push(`FAIL ${f.check}: ${f.detail}\n     fix: ${f.fix}`);
  for (const q of failedRequests) {
    lines.push(`FAIL ${q.title}: ${q.action} by ${q.principal} on ${q.resource} was ${q.actual}, expected ${q.expected} (${q.decidedBy || "no statement applies"})`);
  }
  lines.push(
    r.ok
      ? `PASS: ${r.findings.length} checks and ${r.requests.length} requests hold (${r.milliseconds} ms)`
      : `FAILED: ${failedChecks.length} check(s) and ${failedRequests.length} request(s) do not hold`,
  );
  return lines.join("\n");
}

export function formatMarkdown(r: VerifyReport): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  return [
    `### Replication proof: ${r.ok ? "✅ passes" : "❌ fails"}`,
    "",
    "| | check | detail | fix |",
    "|---|---|---|---|",
    ...r.findings.map((f) => `| ${f.holds ? "✅" : "❌"} | ${esc(f.check)} | ${esc(f.detail)} | ${esc(f.fix ?? "")} |`),
    "",
    "| | request | action | principal | resource | expected | result | decided by |",
    "|---|---|---|---|---|---|---|---|",
    ...r.requests.map(
      (q) => `| ${q.holds ? "✅" : "❌"} | ${esc(q.title)} | \`${q.action}\` | \`${q.principal}\` | \`${q.resource}\` | ${q.expected} | ${q.actual} | ${esc(q.decidedBy)} |`,
    ),
    "",
  ].join("\n");
}

export const formatJson = (r: VerifyReport): string => JSON.stringify(r, null, 2);
