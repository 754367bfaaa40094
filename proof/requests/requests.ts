// Runs the declared requests (./declared-requests.ts) through the IAM engine and says, for each,
// what decided it: the statements that allowed it, or the grant that is missing.
import { declaredRequests } from "./build";
import type { Expectation, RequestCheck, RequestOutcome } from "./request";
import { evaluate, type Evaluation } from "../engine";

/** Every declared request of the fleet (./declared-requests.ts, built by ./build.ts). */
export const fleetRequests = declaredRequests;

function explain(check: RequestCheck, e: Evaluation): string {
  // A guardrail's identifier is already its readable name (../guardrails/apply.ts guardrailName).
  const policyName = (type: string, identifier?: string) =>
    type === "resource" ? check.policyNames.resource : type === "identity" ? `identity policy ${identifier ?? ""}`.trim() : (identifier ?? type);
  if (e.result === "Allowed") {
    return e.grants.map((g) => `${policyName(g.policyType, "policyIdentifier" in g ? g.policyIdentifier : undefined)}: ${g.statementId ?? `#${g.statementIndex}`}`).join(" + ");
  }
  const blocked = e.blockedBy.includes("s3-bpa")
    ? ["blocked by S3 Block Public Access (RestrictPublicBuckets): the bucket policy is public, so no other account gets in"]
    : [];
  const reasons = e.denials.map((d) =>
    d.denialType === "Explicit"
      ? `explicit deny in ${policyName(d.policyType, d.policyIdentifier)}: ${d.statementId ?? `#${d.statementIndex}`}`
      : d.policyType === "scp"
        ? `no SCP attached to ${d.identifier} allows it`
        : `no grant in ${d.policyType === "identity" ? check.policyNames.identity : policyName(d.policyType)}`,
  );
  return [...blocked, ...reasons].join("; ") || "no statement applies";
}

export async function runRequests(checks: RequestCheck[]): Promise<RequestOutcome[]> {
  const outcomes: RequestOutcome[] = [];
  for (const check of checks) {
    const e = await evaluate(check.simulation);
    const actual: Expectation = e.result === "Allowed" ? "ALLOWED" : "DENIED";
    const { simulation: _simulation, ...rest } = check;
    outcomes.push({ ...rest, actual, holds: actual === check.expected, decidedBy: explain(check, e), restoredContextKeys: e.restoredContextKeys });
  }
  return outcomes;
}
