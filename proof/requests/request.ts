// What one simulated request is: the declaration every request builder produces (the replication
// roles', the alerts topic's, the backfill roles') and its outcome once the engine has decided.
import type { Simulation } from "@cloud-copilot/iam-simulate";

export type Expectation = "ALLOWED" | "DENIED";

export interface RequestCheck {
  /** The declaration it comes from (./declared-requests.ts): promises and tests cite it. */
  id: string;
  /** The source bucket whose replication this request belongs to (the report's section). */
  group: string;
  title: string;
  expected: Expectation;
  principal: string;
  action: string;
  resource: string;
  /** The region the request is sent to (aws:RequestedRegion, for the organization's guardrails). */
  region: string;
  /** On an AWS managed key, which no RCP applies to. */
  awsManagedKey?: true;
  simulation: Simulation;
  /** Display names of the policies involved, by the engine's policy types. */
  policyNames: { identity: string; resource: string };
}

export interface RequestOutcome extends Omit<RequestCheck, "simulation"> {
  actual: Expectation;
  holds: boolean;
  /** The statements that decided, or the grant that is missing. */
  decidedBy: string;
  /** Context keys the checked engine dropped and the proof evaluated anyway (proof/engine.ts). */
  restoredContextKeys: string[];
}

