// Decides whether tests that need local tools (terraform, the provider mirror, moto) run.
// Absent tools skip those tests, loudly and with the reason; REQUIRE_DEPLOY_TOOLS=1 (set by CI,
// whose machines carry the tools) turns a missing tool into a failure instead.
import type { Found } from "../../scripts/toolchain";

export function missingReasons(...found: Found[]): string[] {
  return found.flatMap((f) => ("missing" in f ? [f.missing] : []));
}

/** `describe`, or `describe.skip` with the reason in its title and on the console. */
export function describeWithTools(title: string, missing: string[], body: () => void): void {
  if (missing.length === 0) {
    describe(title, body);
    return;
  }
  const reason = missing.join("; ");
  if (process.env.REQUIRE_DEPLOY_TOOLS === "1") {
    describe(title, () => {
      test("has the tools it needs (REQUIRE_DEPLOY_TOOLS=1)", () => {
        throw new Error(`required tools are missing: ${reason}`);
      });
    });
    return;
  }
  // Straight to stderr: jest hides console output of a file whose tests are all skipped.
  process.stderr.write(`\nSKIPPED "${title}": ${reason} (install them, or see README.md)\n`);
  describe.skip(`${title} [SKIPPED: ${reason}]`, body);
}

export const pathOf = (f: Found): string => ("path" in f ? f.path : "");
