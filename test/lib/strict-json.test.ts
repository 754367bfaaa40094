import { MAX_JSON_DEPTH, parseStrictJson, StrictJsonError } from "../../lib/strict-json";

const error = (text: string): string => {
  try {
    parseStrictJson(text, "f.json");
  } catch (e) {
    expect(e).toBeInstanceOf(StrictJsonError);
    return (e as Error).message;
  }
  throw new Error("parsed");
};

test("reads what JSON.parse reads", () => {
  const text = '{"a":[1,-2.5e3,true,false,null,"x\\n\\u00e9"],"b":{"c":{}}, "d" : [ ] }';
  expect(parseStrictJson(text, "f.json")).toEqual(JSON.parse(text));
});

test("a duplicate key is an error naming its path, line and column", () => {
  expect(error('{"resource": {"a": 1},\n "resource": {"b": 2}}')).toBe(
    'f.json is not valid JSON at line 2, column 2: the key "resource" appears twice in the top-level object (Terraform would merge both, JSON.parse keep the last; remove one)',
  );
  expect(error('{"resource": {"aws_s3_bucket": {"x": {"bucket": "a", "bucket": "b"}}}}')).toMatch(/the key "bucket" appears twice in resource\.aws_s3_bucket\.x/);
});

test("__proto__ is an own property, not the prototype", () => {
  const v = parseStrictJson('{"__proto__": {"polluted": true}}', "f.json") as Record<string, unknown>;
  expect(Object.keys(v)).toEqual(["__proto__"]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
});

test("nesting deeper than the bound is refused, not a stack overflow", () => {
  expect(error(`${"[".repeat(3000)}${"]".repeat(3000)}`)).toMatch(new RegExp(`nesting deeper than ${MAX_JSON_DEPTH} levels`));
  expect(() => parseStrictJson(`${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)}`, "f.json")).not.toThrow();
});

test("malformed input says where", () => {
  expect(error('{"a": 1,}')).toMatch(/line 1, column 9: a trailing comma before '}' \(JSON allows none: remove it\)/);
  expect(error('[1,\n ]')).toMatch(/line 2, column 2: a trailing comma before ']'/);
  expect(error('{"a" 1}')).toMatch(/line 1, column 6: expected ':'/);
  expect(error('{"a": "unterminated')).toMatch(/a string that never ends/);
  expect(error("[1] x")).toMatch(/text after the end of the document/);
});
