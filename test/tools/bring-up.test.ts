import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseConfig } from "../../lib/config";
import { bringUpSteps, heldBackFor, pairState } from "../../tools/bring-up";
import { PROJECT_ROOT } from "../support/fixtures";

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

  test("a running fleet stopped while gaining buckets (some still held back) resumes at dest", () => {
    expect(pairState({ source: { replication_enabled: true, replication_held_back: ["alice-new"] }, dest: { destination_bucket_arn: "arn" } })).toBe("held back");
    expect(pairState({ source: { replication_enabled: true, replication_held_back: [] }, dest: { destination_bucket_arn: "arn" } })).toBe("running");
  });

  test("source replicating without any state of dest is not guessed at", () => {
    expect(() => pairState({ source: { replication_enabled: true }, dest: {} })).toThrow(/source replicates but dest has no state/);
  });
});

// A running fleet gains buckets: a new source bucket whose rule names a new bucket of Bob's waits
// for dest to create it; an existing one is not paused behind the user's back.
describe("heldBackFor", () => {
  const config = parseConfig(JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples", "fleet.json"), "utf8")));
  const running = {
    source: { source_bucket_name_alice_app_logs_111111111111: "alice-app-logs-111111111111", source_bucket_name_alice_web_logs_111111111111: "alice-web-logs-111111111111", source_bucket_name_alice_documents_111111111111: "alice-documents-111111111111", replication_enabled: true },
    dest: { destination_bucket_name_bob_log_archive_222222222222: "bob-log-archive-222222222222", destination_bucket_name_bob_backup_222222222222: "bob-backup-222222222222" },
  };

  test("nothing new: nothing held back", () => {
    expect(heldBackFor(config, running)).toEqual({ heldBack: [], blocked: [] });
  });

  test("a new source bucket into a new bucket of Bob's is held back; then dest, then source", () => {
    const grown = { ...config, sourceBuckets: [...config.sourceBuckets, { ...config.sourceBuckets[0], bucketName: "alice-new-111111111111", rules: [{ ...config.sourceBuckets[0].rules[0], destinationBucket: "bob-new-222222222222" }] }] };
    const { heldBack, blocked } = heldBackFor(grown, running);
    expect({ heldBack, blocked }).toEqual({ heldBack: ["alice-new-111111111111"], blocked: [] });
    expect(bringUpSteps("running", [], heldBack).map((s) => s.args)).toEqual([
      ["deploy", "source", "--skip-synth", "--var", 'held_back_source_buckets=["alice-new-111111111111"]'],
      ["deploy", "dest", "--skip-synth", "--ignore-missing-stack-dependencies"],
      ["deploy", "source", "--skip-synth"],
    ]);
  });

  test("a new source bucket into an existing bucket of Bob's needs no hold", () => {
    const grown = { ...config, sourceBuckets: [...config.sourceBuckets, { ...config.sourceBuckets[0], bucketName: "alice-new-111111111111" }] };
    expect(heldBackFor(grown, running)).toEqual({ heldBack: [], blocked: [] });
  });

  test("an existing source bucket gaining a rule into a new bucket of Bob's is blocked, not paused", () => {
    const [first, ...rest] = config.sourceBuckets;
    const grown = { ...config, sourceBuckets: [{ ...first, rules: [...first.rules, { ...first.rules[0], id: "new", priority: 99, destinationBucket: "bob-new-222222222222" }] }, ...rest] };
    expect(heldBackFor(grown, running)).toEqual({ heldBack: [], blocked: ["alice-app-logs-111111111111"] });
  });
});
