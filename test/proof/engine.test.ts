// The engine's fast path: after the checked engine (runSimulation) accepted the first request of a
// shape, later requests of that shape are validated once per policy and decided by authorize() with
// their full context. Both paths must decide every request the proof asks alike.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { analyseByShape, analyseChecked, cachedConvertIamString, EngineGapError, evaluate, requestShape, uncachedConvertIamString } from "../../proof/engine";
import { withGuardrails } from "../../proof/guardrails/apply";
import { parseGuardrails } from "../../proof/guardrails/guardrails-file";
import { fleetRequests } from "../../proof/requests/requests";
import { buildFleetModel } from "../../proof/synth/model";
import { loadSynthOutput } from "../../proof/synth/synth-output";
import { runApp } from "../support/app";
import { PROJECT_ROOT } from "../support/fixtures";

const requestsOf = (example: string) => fleetRequests(buildFleetModel(loadSynthOutput(runApp(path.join(PROJECT_ROOT, "examples", example)).outdir)));
const guardrails = (name: string) => parseGuardrails(JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples", "guardrails", name), "utf8")), name);

describe("the checked engine and the fast path decide alike", () => {
  const fleet = requestsOf("fleet.json");
  const monitoring = requestsOf("monitoring.json");
  const cases = [
    ["the fleet example", fleet],
    ["the monitoring example (alerts, backfill)", monitoring],
    ["the fleet example under the identity-perimeter RCP", fleet.map((c) => withGuardrails(c, guardrails("identity-perimeter-rcp.json")))],
    ["the fleet example under the region-restricting SCP", fleet.map((c) => withGuardrails(c, guardrails("region-restriction-scp.json")))],
  ] as const;

  test.each(cases)("every declared request of %s", async (_name, checks) => {
    const differ: string[] = [];
    for (const c of checks) {
      const checked = await analyseChecked(c.simulation);
      const fast = analyseByShape(c.simulation, checked.restoredContextKeys);
      // The checked engine leaves the resource policy unnamed; the fast path names it (gap 2). The report names it by its place either way.
      const unnamed = (reasons: object[]) => reasons.map((r) => ("policyType" in r && r.policyType === "resource" ? { ...r, policyIdentifier: undefined } : r));
      const decision = (e: typeof checked) => JSON.stringify([e.result, unnamed(e.grants), unnamed(e.denials), e.blockedBy]);
      if (decision(fast) !== decision(checked)) differ.push(`${c.id} ${c.action} ${c.resource}: ${decision(checked)} / ${decision(fast)}`);
    }
    expect(differ).toEqual([]);
    // The shapes are few: the fast path is what most requests take.
    expect(new Set(checks.map((c) => requestShape(c.simulation))).size).toBeLessThan(checks.length / 2);
  });

  test("a shape names the resource's type, not its name", () => {
    const key = fleet.find((c) => c.action === "kms:Encrypt" && c.expected === "ALLOWED")!.simulation;
    const alias = { ...key, request: { ...key.request, resource: { ...key.request.resource, resource: key.request.resource.resource.replace(/key\/.*$/, "alias/x") } } };
    const otherKey = { ...key, request: { ...key.request, resource: { ...key.request.resource, resource: key.request.resource.resource.replace(/key\/.*$/, "key/another") } } };
    expect(requestShape(alias)).not.toBe(requestShape(key));
    expect(requestShape(otherKey)).toBe(requestShape(key));
    const object = fleet.find((c) => c.action === "s3:ReplicateObject")!.simulation;
    const bucket = fleet.find((c) => c.action === "s3:GetReplicationConfiguration")!.simulation;
    expect(requestShape(object)).toMatch(/:x\/x\|/);
    expect(requestShape(bucket)).toMatch(/:s3:::x\|/);
  });

  test("on the fast path a policy IAM's grammar refuses is still an error, never a decision", async () => {
    const c = fleet.find((x) => x.id === "role-writes-replicas")!;
    await evaluate(c.simulation);
    const broken = { ...c.simulation, identityPolicies: [{ name: "broken", policy: { Version: "2012-10-17", Statement: [{ Effect: "Maybe", Action: "s3:ReplicateObject", Resource: "*" }] } }] };
    await expect(evaluate(broken)).rejects.toThrow(EngineGapError);
    await expect(evaluate(broken)).rejects.toThrow(/policy\.errors .*broken/);
  });
});

describe("the engine's IAM strings, remembered (gap 3)", () => {
  /** A request as the engine's string helper reads it: one context key, aws:username. */
  const requestOf = (username?: string) => ({
    contextKeyExists: (k: string) => username !== undefined && k.toLowerCase() === "aws:username",
    getContextKeyValue: () => ({ isStringValue: () => true, value: username }),
  });
  const values = ["arn:aws:s3:::bucket/*", "arn:aws:s3:::b?cket/a.b+c", "s3.us-east-1.amazonaws.com", "*", "", "arn:aws:s3:::home/${aws:username}/*", "${*}x${?}"];
  const optionSets = [undefined, {}, { replaceWildcards: false }, { replaceWildcards: true }, { convertToRegex: false }, { convertToRegex: false, replaceWildcards: false }, { replaceWildcards: undefined }];

  test("answers every string and option as the engine's own does, asked twice", () => {
    for (const value of values) {
      for (const options of optionSets) {
        for (const request of [requestOf("alice"), requestOf("bob"), requestOf()]) {
          const expected = uncachedConvertIamString(value, request, options);
          expect([value, options, cachedConvertIamString(value, request, options)]).toEqual([value, options, expected]);
          expect([value, options, cachedConvertIamString(value, request, options)]).toEqual([value, options, expected]);
        }
      }
    }
  });

  test("a string with a policy variable follows each request's value", () => {
    const home = "arn:aws:s3:::home/${aws:username}/*";
    const alice = cachedConvertIamString(home, requestOf("alice"), { convertToRegex: false }) as string;
    const bob = cachedConvertIamString(home, requestOf("bob"), { convertToRegex: false }) as string;
    expect([alice, bob]).toEqual(["arn:aws:s3:::home/alice/*", "arn:aws:s3:::home/bob/*"]);
  });
});
