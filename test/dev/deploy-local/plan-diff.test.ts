import { knownMotoGap } from "../../../dev/deploy-local/plan-diff";
import { configWith, fleetConfig } from "../../support/fixtures";

describe("knownMotoGap (the only change a converged deployment may show on moto)", () => {
  test("the pair: its one rule's source_selection_criteria", () => {
    expect(knownMotoGap(configWith())).toEqual([
      { address: "aws_s3_bucket_replication_configuration.replication[0]", actions: ["update"], paths: ["rule.0.source_selection_criteria"] },
    ]);
  });

  test("a fleet: per rule, the filter where it has one, delete markers where they are on", () => {
    const config = fleetConfig();
    config.sourceBuckets[0].rules[1].replicateDeleteMarkers = true;
    expect(knownMotoGap(config).map((g) => [g.address, g.paths])).toEqual([
      [
        "aws_s3_bucket_replication_configuration.alice_app_logs_111111111111_replication[0]",
        ["rule.0.filter", "rule.0.source_selection_criteria", "rule.1.delete_marker_replication", "rule.1.filter", "rule.1.source_selection_criteria"],
      ],
      ["aws_s3_bucket_replication_configuration.alice_web_logs_111111111111_replication[0]", ["rule.0.filter", "rule.0.source_selection_criteria"]],
      ["aws_s3_bucket_replication_configuration.alice_documents_111111111111_replication[0]", ["rule.0.filter", "rule.0.source_selection_criteria"]],
    ]);
  });
});
