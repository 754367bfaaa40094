import { differingPaths } from "../../proof/json-diff";

describe("differingPaths (how the e2e names what a second plan would change)", () => {
  test("equal values differ nowhere; empty lists equal missing values", () => {
    expect(differingPaths({ a: [{ b: 1 }], c: [] }, { a: [{ b: 1 }] })).toEqual([]);
  });

  test("a changed leaf is named by its path", () => {
    expect(differingPaths({ rule: [{ id: "x", status: "Enabled" }] }, { rule: [{ id: "x", status: "Disabled" }] })).toEqual([
      "rule.0.status",
    ]);
  });

  test("a block added to a list is named as the list", () => {
    expect(differingPaths({ rule: [{ ssc: [] }] }, { rule: [{ ssc: [{ sse: [{ status: "Enabled" }] }] }] })).toEqual(["rule.0.ssc"]);
  });
});
