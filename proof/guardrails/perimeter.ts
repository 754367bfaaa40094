// Does an exception keep the perimeter? Its guardrail is judged alone: every principal of the
// access analysis' universe (the deployment's roles, each account's root and an administrator, a
// role named like the replication roles, a third account, anonymous, the AWS services acting for
// the deployment's buckets, for a look-alike bucket, for another account or for nothing), against
// every resource of the deployment and the probes outside it that the guardrail covers, for every
// action the declared requests use on that service, with identity and resource policies that allow
// everything. A request the exception admits that the original guardrail denied must come from a
// caller replication needs (one of the blocked requests'); anyone else is a failure of the proposal.
import { anonymousPrincipal, type Simulation } from "@cloud-copilot/iam-simulate";
import { bucketArn } from "../../lib/arns";
import type { PolicyDocument } from "../../lib/policies";
import { governedResources, principalsOf, probeResources, type Principal, type Resource } from "../access/universe";
import { authorizeLoaded } from "../engine";
import type { RequestCheck } from "../requests/request";
import { lookalikeBucket } from "../samples";
import type { FleetModel } from "../synth/model";
import { OUTSIDER_ACCOUNT } from "../synth/references";
import { guardedSimulation } from "./apply";
import type { Caller, Exception } from "./exception";
import type { Guardrails } from "./guardrails-file";

const ALLOW_EVERYTHING: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "AllowEverything", Effect: "Allow", Action: "*", Resource: "*" }] };
const WELCOME_EVERYONE: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "WelcomeEveryone", Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] };

export interface PerimeterCheck {
  kept: boolean;
  /** Callers the exception admits that replication does not need, with one request each. */
  alsoAdmitted: string[];
  /** Requests compared (each asked with the original guardrail and with the exception). */
  compared: number;
}

/** A caller as the universe knows it: the principal and what a service says it acts for. */
interface UniverseCaller {
  principal: Principal;
  context: Record<string, string>;
  caller: Caller;
}

export const callerKey = (c: Caller): string => [c.principalArn ?? "", c.service ?? "", c.sourceArn ?? "", c.sourceAccount ?? ""].join("|");

function universeCallers(m: FleetModel): UniverseCaller[] {
  const sources = m.replications.map((r) => r.sourceBucket.arn);
  const actsFor: { sourceArn?: string; sourceAccount?: string }[] = [
    ...sources.map((sourceArn) => ({ sourceArn, sourceAccount: m.source.account })),
    { sourceArn: lookalikeBucket(sources[0] ?? bucketArn("alice-bucket")), sourceAccount: m.source.account },
    { sourceArn: "arn:aws:s3:::a-bucket-of-another-account", sourceAccount: OUTSIDER_ACCOUNT },
    { sourceAccount: m.source.account },
    { sourceAccount: OUTSIDER_ACCOUNT },
    {},
  ];
  return principalsOf(m).flatMap((p): UniverseCaller[] => {
    const tls = { "aws:SecureTransport": "true" };
    if (p.service) {
      return actsFor.map((a) => ({
        principal: p,
        context: { ...tls, ...(a.sourceArn ? { "aws:SourceArn": a.sourceArn } : {}), ...(a.sourceAccount ? { "aws:SourceAccount": a.sourceAccount } : {}) },
        caller: { service: p.service, ...a },
      }));
    }
    if (p.request === anonymousPrincipal) return [{ principal: p, context: tls, caller: {} }];
    return [{ principal: p, context: { ...tls, ...(p.arn ? { "aws:PrincipalArn": p.arn } : {}), ...(p.account ? { "aws:PrincipalAccount": p.account } : {}) }, caller: { principalArn: p.arn } }];
  });
}

/**
 * Compares the original guardrails with the exception made (`proposed`), for the callers and
 * resources the exception's guardrail governs.
 */
export function checkPerimeter(m: FleetModel, checks: RequestCheck[], original: Guardrails, proposed: Guardrails, exception: Exception, needed: Caller[]): PerimeterCheck {
  const neededKeys = new Set(needed.map(callerKey));
  const actionsByService = new Map<string, Set<string>>();
  for (const c of checks) {
    const service = c.action.split(":")[0];
    actionsByService.set(service, (actionsByService.get(service) ?? new Set()).add(c.action));
  }
  const accounts = new Set(exception.places.map((p) => p.account));
  const resources: Resource[] = [...governedResources(m, { destination: "", alerts: "" }), ...probeResources(m)].filter((r) => exception.kind === "SCP" || accounts.has(r.account));
  const callers = universeCallers(m).filter((c) => exception.kind === "RCP" || (c.principal.account !== undefined && accounts.has(c.principal.account)) || c.principal.service);
  const admitted = new Map<string, string>();
  let compared = 0;
  for (const c of callers) {
    for (const r of resources) {
      for (const action of actionsByService.get(r.service) ?? []) {
        const simulation: Simulation = {
          request: { principal: c.principal.request, action, resource: { resource: r.arn, accountId: r.account }, contextVariables: c.context },
          identityPolicies: c.principal.service || c.principal.request === anonymousPrincipal ? [] : [{ name: "allow everything", policy: ALLOW_EVERYTHING }],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: WELCOME_EVERYONE,
        };
        const place = { region: r.region, awsManagedKey: false };
        compared++;
        const before = authorizeLoaded(guardedSimulation(simulation, place, original)).allowed;
        if (before) continue;
        const after = authorizeLoaded(guardedSimulation(simulation, place, proposed)).allowed;
        if (after && !neededKeys.has(callerKey(c.caller)) && !admitted.has(callerKey(c.caller))) {
          const actsFor = c.caller.service ? ` acting for ${c.caller.sourceArn ?? c.caller.sourceAccount ?? "nothing"}` : "";
          admitted.set(callerKey(c.caller), `${c.principal.label}${actsFor} (${action} on ${r.label})`);
        }
      }
    }
  }
  return { kept: admitted.size === 0, alsoAdmitted: [...admitted.values()], compared };
}
