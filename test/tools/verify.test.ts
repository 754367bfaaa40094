// verify's arguments: what each option means and what is refused before anything is read.
import { parseArgs } from "../../tools/verify";
import { UsageError } from "../../tools/cli";

describe("npm run verify's arguments", () => {
  test("defaults: cdktf.out, a text report, the synth output", () => {
    expect(parseArgs([])).toEqual({ dir: "cdktf.out", format: "text", live: false, config: undefined, ruleFieldsFromSynth: [] });
  });

  test("--live with the fields an emulator does not keep", () => {
    expect(parseArgs(["--live", "--rule-fields-from-synth", "filter,delete_marker_replication"]).ruleFieldsFromSynth).toEqual(["filter", "delete_marker_replication"]);
  });

  test("a field that is not one of a replication rule is refused, naming the ones that are", () => {
    expect(() => parseArgs(["--live", "--rule-fields-from-synth", "filter,filtre"])).toThrow(UsageError);
    expect(() => parseArgs(["--live", "--rule-fields-from-synth", "filtre"])).toThrow(/filtre is not a field of a replication rule; use some of id, priority, status/);
  });

  test("--rule-fields-from-synth without --live is a usage error", () => {
    expect(() => parseArgs(["--rule-fields-from-synth", "filter"])).toThrow(/read only with --live/);
  });
});
