import { bringUpSteps, pairState } from "../../tools/bring-up";

describe("bring-up order", () => {
  test("on fresh accounts: source without replication, dest, then source with replication", () => {
    expect(bringUpSteps("fresh", ["--auto-approve"]).map((s) => s.args)).toEqual([
      ["deploy", "source", "--skip-synth", "--var", "destination_ready=false", "--auto-approve"],
      ["deploy", "dest", "--skip-synth", "--ignore-missing-stack-dependencies", "--auto-approve"],
      ["deploy", "source", "--skip-synth", "--auto-approve"],
    ]);
  });

  test("held back (a first bring-up stopped after its first step): dest, then source with replication", () => {
    expect(bringUpSteps("held back", []).map((s) => s.args)).toEqual([
      ["deploy", "dest", "--skip-synth", "--ignore-missing-stack-dependencies"],
      ["deploy", "source", "--skip-synth"],
    ]);
  });

  test("on a running pair: one plain deploy of both, never destination_ready=false", () => {
    const steps = bringUpSteps("running", []);
    expect(steps.map((s) => s.args)).toEqual([["deploy", "source", "dest", "--skip-synth"]]);
  });
});

// Where a bring-up killed in each step resumes, from the outputs each apply leaves behind.
describe("pairState", () => {
  const held = { replication_enabled: false, replication_role_arn: "arn" };
  test.each<[string, { source: Record<string, unknown>; dest: Record<string, unknown> }, string]>([
    ["nothing applied yet", { source: {}, dest: {} }, "fresh"],
    ["killed during step 1/3 (source has some outputs, dest none)", { source: { replication_role_arn: "arn" }, dest: {} }, "fresh"],
    ["killed during step 2/3 before dest wrote an output", { source: held, dest: {} }, "fresh"],
    ["killed during step 2/3 after dest wrote some outputs: dest is not trusted to be complete", { source: held, dest: { destination_bucket_arn: "arn" } }, "held back"],
    ["killed during step 3/3 before source wrote replication_enabled", { source: held, dest: { destination_bucket_arn: "arn" } }, "held back"],
    ["after step 3/3 (or killed after it wrote replication_enabled: dest was complete before it started)", { source: { replication_enabled: true }, dest: { destination_bucket_arn: "arn" } }, "running"],
  ])("%s", (_name, outputs, expected) => {
    expect(pairState(outputs)).toBe(expected);
  });

  test("source replicating without any state of dest is not guessed at", () => {
    expect(() => pairState({ source: { replication_enabled: true }, dest: {} })).toThrow(/source replicates but dest has no state/);
  });
});
