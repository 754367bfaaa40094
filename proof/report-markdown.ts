// The verify report as a pull request comment a reviewer reads in ten seconds: the verdict with
// counts, every failure with its fix, a picture of who replicates where, then the passing rows
// folded per section. It always fits GitHub's comment limit: past it, the passing rows go first,
// then failures beyond what fits, and the comment says what it left out.
import { blocked, exceptionChecked, groups, type ReplicationTopology, type VerifyReport } from "./report";
import { OWNERS_THROUGH_IAM } from "./requests/intended-access";

/** GitHub's limit on a pull request comment (its API answers 422 past it). */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** Past this many rules the diagram shows the first ones only: a picture of a thousand arrows helps nobody. */
const DIAGRAM_MAX_RULES = 40;

const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const ok = (holds: boolean) => (holds ? "✅" : "❌");

function summary(r: VerifyReport): string[] {
  const failedChecks = r.findings.filter((f) => !f.holds).length;
  const failedRequests = r.requests.filter((q) => !q.holds).length;
  const unintended = r.access.findings.length;
  return [
    `### Replication proof${r.subject ? ` of ${r.subject}` : ""}: ${r.ok ? "✅ passes" : "❌ fails"}`,
    "",
    `| | holds | fails |`,
    `|---|---|---|`,
    `| static checks | ${r.findings.length - failedChecks} | ${failedChecks} |`,
    `| requests | ${r.requests.length - failedRequests} | ${failedRequests} |`,
    `| access analysis (${r.access.simulations} requests analysed) | ${unintended ? "" : "nothing beyond the intended access"} | ${unintended ? `${unintended} unintended access(es)` : 0} |`,
    ...(r.guardrails ? [`| guardrails (${esc(r.guardrails.source)}) | ${r.guardrails.blocks.length ? "" : "none blocks replication"} | ${r.guardrails.blocks.length} |`] : []),
    "",
    ...(r.synthesizedFrom ? [`Synthesized from ${code(r.synthesizedFrom.config)} (sha256 ${code(r.synthesizedFrom.sha256.slice(0, 12))}).`, ""] : []),
    ...(r.warnings ?? []).map((w) => `> **warning:** ${esc(w)}`),
    ...[...(r.notes ?? []), ...(r.guardrails?.notes ?? [])].map((n) => `> note: ${esc(n)}`),
    ...(r.warnings?.length || r.notes?.length || r.guardrails?.notes.length ? [""] : []),
  ];
}

/** Every failure, one row each, with its fix. */
function failureRows(r: VerifyReport): string[] {
  return [
    ...r.findings.filter((f) => !f.holds).map((f) => `| ${esc(f.group)} | check: ${esc(f.check)} | ${esc(f.detail)} | ${esc(f.fix ?? "")} |`),
    ...r.requests
      .filter((q) => !q.holds)
      .map(
        (q) =>
          `| ${esc(q.group)} | request: ${esc(q.title)} | ${code(q.action)} by ${code(q.principal)} on ${code(q.resource)}: ${q.actual}, expected ${q.expected} | ${esc(q.decidedBy || "no statement applies")} |`,
      ),
    ...r.access.findings.map(
      (a) =>
        `| ${esc(a.group)} | unintended access (${a.side} policy) | ${esc(a.principal)} may ${code(a.actions.join(", "))} on ${esc(a.resource)} with ${esc(a.contexts.join(" / "))}; allowed by ${esc(a.allowedBy.join(", "))} | ${esc(a.fix)} |`,
    ),
    ...(r.guardrails?.blocks ?? []).map(
      (b) => `| guardrails | ${b.kind} | ${esc(blocked(b))} | ${esc(b.exception.change)}: ${code(JSON.stringify(b.exception.statement))}; ${esc(exceptionChecked(b))} |`,
    ),
  ];
}
const FAILURE_HEADER = ["| where | what | detail | fix |", "|---|---|---|---|"];

/** A Mermaid flowchart: Alice's buckets, the rules, Bob's buckets, with their keys. */
export function mermaidDiagram(t: ReplicationTopology): string[] {
  const rules = t.rules.slice(0, DIAGRAM_MAX_RULES);
  const shownSources = t.sourceBuckets.filter((b) => rules.some((x) => x.from === b.name));
  const shownDestinations = t.destinationBuckets.filter((b) => rules.some((x) => x.to === b.name));
  const id = new Map([...shownSources.map((b, i) => [`s:${b.name}`, `s${i}`] as const), ...shownDestinations.map((b, i) => [`d:${b.name}`, `d${i}`] as const)]);
  const label = (b: { name: string; key?: string }) => `"${b.name}${b.key ? `<br/>🔑 ${b.key}` : ""}"`;
  return [
    "```mermaid",
    "flowchart LR",
    `  subgraph alice["Alice: ${t.source.account} (${t.source.region})"]`,
    ...shownSources.map((b) => `    ${id.get(`s:${b.name}`)}[${label(b)}]`),
    "  end",
    `  subgraph bob["Bob: ${t.destination.account} (${t.destination.region})"]`,
    ...shownDestinations.map((b) => `    ${id.get(`d:${b.name}`)}[${label(b)}]`),
    "  end",
    ...rules.map((x) => `  ${id.get(`s:${x.from}`)} -- "${x.id.replace(/"/g, "'")}${x.replicaKey && x.replicaKey !== t.destinationBuckets.find((d) => d.name === x.to)?.key ? ` (🔑 ${x.replicaKey})` : ""}" --> ${id.get(`d:${x.to}`)}`),
    "```",
    ...(t.rules.length > rules.length ? ["", `The diagram shows ${rules.length} of ${t.rules.length} rules.`] : []),
  ];
}

/** The passing (and failing) rows of one section, folded. */
function sectionDetails(r: VerifyReport): string[][] {
  const sections = groups(r).map(({ name, findings, requests }) => {
    const holds = findings.every((f) => f.holds) && requests.every((q) => q.holds);
    return [
      `<details><summary>${ok(holds)} ${esc(name)}: ${findings.length} checks, ${requests.length} requests</summary>`,
      "",
      ...(findings.length ? ["| | check | detail |", "|---|---|---|", ...findings.map((f) => `| ${ok(f.holds)} | ${esc(f.check)} | ${esc(f.detail)} |`), ""] : []),
      ...(requests.length
        ? [
            "| | request | action | principal | resource | expected | result | decided by |",
            "|---|---|---|---|---|---|---|---|",
            ...requests.map((q) => `| ${ok(q.holds)} | ${esc(q.title)} | ${code(q.action)} | ${code(q.principal)} | ${code(q.resource)} | ${q.expected} | ${q.actual} | ${esc(q.decidedBy)} |`),
            "",
          ]
        : []),
      "</details>",
      "",
    ];
  });
  const a = r.access;
  sections.push([
    `<details><summary>Intended access (${a.intended.length} grants; anything else allowed is a failure)</summary>`,
    "",
    "| source bucket | who | actions | on | conditions |",
    "|---|---|---|---|---|",
    ...a.intended.map((i) => `| ${esc(i.group)} | ${esc(i.who)} | ${code(i.actions.join(", "))} | ${esc(i.resources.join(", "))} | ${esc(i.conditions)} |`),
    "",
    `and ${OWNERS_THROUGH_IAM}.`,
    "",
    "</details>",
  ]);
  return sections;
}

const length = (lines: string[]) => lines.join("\n").length + 1;

export function formatMarkdown(r: VerifyReport, limit = GITHUB_COMMENT_LIMIT): string {
  const head = summary(r);
  const failures = failureRows(r);
  const topology = r.topology;
  const picture = topology ? ["#### Who replicates where", "", ...mermaidDiagram(topology), ""] : [];
  const details = sectionDetails(r);
  const full = [...head, ...(failures.length ? [`#### Failures (${failures.length})`, "", ...FAILURE_HEADER, ...failures, ""] : []), ...picture, ...details.flat()];
  if (length(full) <= limit) return full.join("\n");

  // Too long for one comment: the verdict, as many failures as fit, then the picture and whole
  // folded sections while they fit, and a note naming exactly what was left out. The note's room
  // is kept for its longest wording, so the comment never outgrows the limit.
  const noteFor = (parts: string[]) => [
    `> **This comment leaves out ${parts.join(", ")}** to stay under GitHub's ${limit.toLocaleString("en-US")}-character limit. The full report: \`npm run -s verify -- --markdown --output verify-report.md\` (or \`--json\`), e.g. as a CI artifact.`,
    "",
  ];
  const longestNote = noteFor([`the failures after the first ${failures.length}`, "the diagram", `the passing rows of ${details.length} of ${details.length} sections`]);
  const room = limit - length(head) - length(longestNote);
  const kept: string[] = [];
  let used = length([`#### Failures (${failures.length}, the first ${failures.length} shown)`, "", ...FAILURE_HEADER, ""]);
  for (const row of failures) {
    if (used + row.length + 1 > room) break;
    kept.push(row);
    used += row.length + 1;
  }
  const body = failures.length ? [`#### Failures (${failures.length}${kept.length < failures.length ? `, the first ${kept.length} shown` : ""})`, "", ...FAILURE_HEADER, ...kept, ""] : [];
  const showPicture = picture.length > 0 && length(body) + length(picture) <= room;
  if (showPicture) body.push(...picture);
  let sectionsLeft = 0;
  for (const block of details) {
    if (length(body) + length(block) <= room) body.push(...block);
    else sectionsLeft++;
  }
  const leftOut = [
    ...(kept.length < failures.length ? [`the failures after the first ${kept.length}`] : []),
    ...(picture.length && !showPicture ? ["the diagram"] : []),
    ...(sectionsLeft ? [`the passing rows of ${sectionsLeft} of ${details.length} sections`] : []),
  ];
  const out = [...head, ...noteFor(leftOut), ...body];
  return out.join("\n");
}
