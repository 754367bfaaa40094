// The pull request comment: verdict and counts first, failures with their fixes next, a picture,
// then the passing rows folded; always within GitHub's comment limit.
import { formatMarkdown, GITHUB_COMMENT_LIMIT, mermaidDiagram } from "../../proof/report-markdown";
import type { ReplicationTopology, VerifyReport } from "../../proof/report";
import type { Finding } from "../../proof/checks/static-checks";

const topology: ReplicationTopology = {
  source: { account: "111111111111", region: "us-east-1" },
  destination: { account: "222222222222", region: "us-west-2" },
  sourceBuckets: [{ name: "alice-orders", key: "alias/alice-orders" }],
  destinationBuckets: [{ name: "bob-archive", key: "alias/bob-archive" }],
  rules: [{ from: "alice-orders", to: "bob-archive", id: "orders-to-archive", replicaKey: "alias/bob-archive" }],
};

const finding = (i: number, holds: boolean, group = "alice-orders"): Finding => ({
  group,
  check: `check ${i}`,
  holds,
  detail: `detail of check ${i} `.padEnd(120, "."),
  ...(holds ? {} : { fix: `fix ${i}` }),
});

function report(findings: Finding[]): VerifyReport {
  return {
    dir: "cdktf.out",
    synthesizedFrom: { config: "replication.config.json", sha256: "ab".repeat(32) },
    ok: findings.every((f) => f.holds),
    findings,
    requests: [],
    access: { intended: [], findings: [], simulations: 241 },
    topology,
    milliseconds: 1,
  };
}

describe("formatMarkdown", () => {
  test("a pass: the verdict and counts, the config, the picture, and the rows folded", () => {
    const md = formatMarkdown(report([finding(1, true), finding(2, true)]));
    expect(md.split("\n").slice(0, 10)).toEqual([
      "### Replication proof: ✅ passes",
      "",
      "| | holds | fails |",
      "|---|---|---|",
      "| static checks | 2 | 0 |",
      "| requests | 0 | 0 |",
      "| access analysis (241 requests analysed) | nothing beyond the intended access | 0 |",
      "",
      "Synthesized from `replication.config.json` (sha256 `abababababab`).",
      "",
    ]);
    expect(md).not.toContain("#### Failures");
    expect(md).toContain("<details><summary>✅ alice-orders: 2 checks, 0 requests</summary>");
    expect(md).toContain('  s0 -- "orders-to-archive" --> d0');
  });

  test("a failure comes right after the counts, with its fix", () => {
    const md = formatMarkdown(report([finding(1, true), finding(2, false)]));
    const lines = md.split("\n");
    expect(lines[0]).toBe("### Replication proof: ❌ fails");
    expect(lines.slice(10, 14)).toEqual([
      "#### Failures (1)",
      "",
      "| where | what | detail | fix |",
      "|---|---|---|---|",
    ]);
    expect(lines[14]).toMatch(/^\| alice-orders \| check: check 2 \| detail of check 2 \.+ \| fix 2 \|$/);
  });

  test("a report past GitHub's limit keeps the verdict and the failures, and says what it left out", () => {
    const findings = Array.from({ length: 2000 }, (_, i) => finding(i, i % 100 !== 7, `bucket-${Math.floor(i / 20)}`));
    const full = formatMarkdown(report(findings), Number.MAX_SAFE_INTEGER);
    expect(full.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    const md = formatMarkdown(report(findings));
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md).toContain("| static checks | 1980 | 20 |");
    expect(md).toContain("#### Failures (20)");
    expect(md.match(/\| check: check \d+ \|/g)).toHaveLength(20);
    // The note counts what it left out: the sections not in the comment, of the 100 buckets' and the intended access's.
    const shown = (md.match(/<details>/g) ?? []).length;
    expect(shown).toBeGreaterThan(0);
    expect(md).toContain(`> **This comment leaves out the passing rows of ${101 - shown} of 101 sections** to stay under GitHub's 65,536-character limit.`);
    expect(md).toContain("#### Who replicates where");
  });

  test("so many failures that not all fit: the first ones, and how many there were", () => {
    const findings = Array.from({ length: 1000 }, (_, i) => finding(i, false));
    const md = formatMarkdown(report(findings));
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    const shown = Number(/#### Failures \(1000, the first (\d+) shown\)/.exec(md)?.[1]);
    expect(md.match(/\| check: check \d+ \|/g)).toHaveLength(shown);
    // The failures fill the comment: the diagram and both folded sections (the bucket's, the intended access) are left out, and said so.
    expect(md).not.toContain("#### Who replicates where");
    expect(md).not.toContain("<details>");
    expect(md).toContain(`> **This comment leaves out the failures after the first ${shown}, the diagram, the passing rows of 2 of 2 sections**`);
  });
});

test("mermaidDiagram: Alice's buckets, the rules, Bob's buckets, with their keys; a replica key other than the bucket's is named on its rule", () => {
  expect(mermaidDiagram({ ...topology, rules: [{ ...topology.rules[0], replicaKey: "alias/other" }] })).toEqual([
    "```mermaid",
    "flowchart LR",
    '  subgraph alice["Alice: 111111111111 (us-east-1)"]',
    '    s0["alice-orders<br/>🔑 alias/alice-orders"]',
    "  end",
    '  subgraph bob["Bob: 222222222222 (us-west-2)"]',
    '    d0["bob-archive<br/>🔑 alias/bob-archive"]',
    "  end",
    '  s0 -- "orders-to-archive (🔑 alias/other)" --> d0',
    "```",
  ]);
});
