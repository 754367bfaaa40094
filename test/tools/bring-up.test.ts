import { bringUpSteps } from "../../tools/bring-up";

describe("bring-up order", () => {
  test("on fresh accounts: source without replication, dest, then source with replication", () => {
    expect(bringUpSteps(false, ["--auto-approve"]).map((s) => s.args)).toEqual([
      ["deploy", "source", "--skip-synth", "--var", "destination_ready=false", "--auto-approve"],
      ["deploy", "dest", "--skip-synth", "--ignore-missing-stack-dependencies", "--auto-approve"],
      ["deploy", "source", "--skip-synth", "--auto-approve"],
    ]);
  });

  test("on a running pair: one plain deploy of both, never destination_ready=false", () => {
    const steps = bringUpSteps(true, []);
    expect(steps.map((s) => s.args)).toEqual([["deploy", "source", "dest", "--skip-synth"]]);
  });
});
