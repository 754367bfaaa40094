import { VerifyInputError } from "../../../proof/errors";
import { MAX_RESOLVED_LENGTH, ownProperty, splitAnd, splitConditional, StackView, unwrapParentheses } from "../../../proof/synth/references";

const view = (json: unknown) => new StackView("source", json, () => []);
const provider = { aws: [{ alias: "alice", region: "us-east-1", allowed_account_ids: ["111111111111"] }] };

test("splitConditional splits at the top-level ? and :, nested conditionals and quotes kept whole", () => {
  expect(splitConditional("var.a ? 1 : 0")).toEqual(["var.a", "1", "0"]);
  expect(splitConditional('var.a ? "x ? y : z" : 0')).toEqual(["var.a", '"x ? y : z"', "0"]);
  expect(splitConditional("var.a ? var.b ? 1 : 2 : 3")).toEqual(["var.a", "var.b ? 1 : 2", "3"]);
  expect(splitConditional("aws_s3_bucket.x.arn")).toBeUndefined();
});

test("a megabyte of nested conditionals is refused in linear time", () => {
  const expr = `\${${"var.a ? ".repeat(100_000)}1}`;
  const started = Date.now();
  expect(() => view({ provider, variable: { a: { default: true } } }).resolve(expr)).toThrow(VerifyInputError);
  // A guard against a hang (the old regex was quadratic here), not a speed assertion.
  expect(Date.now() - started).toBeLessThan(10_000);
});

test("the stack's own variable with its default decides a conditional, and count", () => {
  const v = view({ provider, variable: { ready: { default: false } } });
  expect(v.resolve("${var.ready ? 1 : 0}")).toBe("0");
  expect(v.countOf({ count: "${var.ready ? 1 : 0}" })).toBe(0);
  expect(v.countOf({ count: "1" })).toBe(1);
  expect(v.countOf({})).toBe(1);
  expect(v.countOf({ count: "${length(var.list)}" })).toBeUndefined();
});

test("__proto__, constructor and valueOf are plain names: unknown attributes, never Object's", () => {
  const v = view({ provider, resource: { aws_iam_role: { r: { name: "r", provider: "aws.alice" } } } });
  for (const attribute of ["__proto__", "constructor", "valueOf"]) {
    expect(() => v.resolve(`\${aws_iam_role.r.${attribute}}`)).toThrow(/only AWS knows it/);
  }
  expect(ownProperty({}, "constructor")).toBeUndefined();
  expect(() => v.resolve("${aws_iam_role.constructor.arn}")).toThrow(/no such resource/);
});

test("references that expand exponentially stop at the size bound", () => {
  const variable: Record<string, { default: string }> = { v0: { default: "x".repeat(1024) } };
  const json = { provider, variable, resource: { aws_iam_role: {} as Record<string, unknown> } };
  // Each role's name is twice the previous one's: 2^20 characters after 10 steps of a 1 KB start.
  json.resource.aws_iam_role.r0 = { name: "${var.v0}", provider: "aws.alice" };
  for (let i = 1; i <= 12; i++) json.resource.aws_iam_role[`r${i}`] = { name: `\${aws_iam_role.r${i - 1}.name}\${aws_iam_role.r${i - 1}.name}`, provider: "aws.alice" };
  expect(() => view(json).resolve("${aws_iam_role.r12.name}")).toThrow(new RegExp(`more than ${MAX_RESOLVED_LENGTH} characters`));
});

test("the count the source stack writes: ready, and the bucket not held back (Op.and, Op.not, Fn.contains on a list variable)", () => {
  const count = '${(var.destination_ready && !contains(var.held_back_source_buckets, "alice-b")) ? 1 : 0}';
  const countWith = (ready: boolean, heldBack: string[]) =>
    view({ provider, variable: { destination_ready: { default: ready }, held_back_source_buckets: { default: heldBack } } }).countOf({ count });
  expect(countWith(true, [])).toBe(1);
  expect(countWith(true, ["alice-other"])).toBe(1);
  expect(countWith(true, ["alice-b"])).toBe(0);
  expect(countWith(false, [])).toBe(0);
});

test("what the bool algebra cannot evaluate stays unresolved: verify then cannot tell the count (a finding)", () => {
  const v = view({ provider, variable: { ready: { default: true }, names: { default: "not a list" } } });
  for (const count of ['${contains(var.names, "x") ? 1 : 0}', '${(var.ready && length(var.names) > 0) ? 1 : 0}', '${!"yes" ? 1 : 0}']) {
    expect(v.countOf({ count })).toBeUndefined();
  }
});

test("splitAnd and unwrapParentheses work at the top level only, quotes and brackets kept whole", () => {
  expect(splitAnd('var.a && !contains(var.b, "x && y") && var.c')).toEqual(["var.a", '!contains(var.b, "x && y")', "var.c"]);
  expect(splitAnd("(var.a && var.b)")).toBeUndefined();
  expect(unwrapParentheses("(var.a && var.b)")).toBe("var.a && var.b");
  expect(unwrapParentheses("(var.a) && (var.b)")).toBe("(var.a) && (var.b)");
  expect(unwrapParentheses('("(" && var.b)')).toBe('"(" && var.b');
});
