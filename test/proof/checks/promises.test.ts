// The security promises of docs/proof.md and verify's checks come from one list (proof/checks/promises.ts).
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { verify } from "../../../proof/index";
import { ACCESS_ANALYSIS, promisesMarkdown, SECURITY_PROMISES } from "../../../proof/checks/promises";
import { runApp } from "../../support/app";
import { PROJECT_ROOT } from "../../support/fixtures";

test("every promise is held by checks that verify runs on the committed config and on the fleet example (adoption's on the adoption example)", async () => {
  for (const [config, adopting] of [
    [undefined, false],
    [path.join(PROJECT_ROOT, "examples", "fleet.json"), false],
    [path.join(PROJECT_ROOT, "examples", "adopt-existing.json"), true],
  ] as const) {
    const report = await verify(runApp(config).outdir);
    const names = new Set([...report.findings.map((f) => f.check), ...report.requests.map((q) => q.id)]);
    // The access analysis is cited as one proof, when it ran.
    if (report.access.simulations > 0) names.add(ACCESS_ANALYSIS);
    for (const p of SECURITY_PROMISES.filter((x) => adopting || !x.onlyWhenAdopting)) {
      expect([p.promise, p.checks.filter((c) => !names.has(c))]).toEqual([p.promise, []]);
    }
  }
});

test("docs/proof.md lists exactly these promises", () => {
  const readme = readFileSync(path.join(PROJECT_ROOT, "docs", "proof.md"), "utf8");
  const section = readme.match(/<!-- security-promises:start -->\n([\s\S]*?)\n<!-- security-promises:end -->/);
  expect(section?.[1]).toBe(promisesMarkdown());
});
