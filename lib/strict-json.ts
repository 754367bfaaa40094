// JSON read strictly, not the way JSON.parse forgives it, with the line and column of any mistake
// (JSON.parse's messages name a position only on some Node versions): a duplicate object key is an
// error (Terraform merges two "resource" keys and JSON.parse keeps the last, so a reader would see
// something else than was meant), nesting and size are bounded, and every key, even "__proto__",
// is an own data property. One pass, linear in the text: no input can make it hang. The config
// loader and the proof read with it.

/** Text that is not strict JSON; the message says where and what. */
export class StrictJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StrictJsonError";
  }
}

/** Deeper than this, a document is refused: nothing the stacks write comes near it. */
export const MAX_JSON_DEPTH = 200;

/** Larger than this, a document is refused (a stack file; a policy has AWS's own, smaller limits). */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

export function parseStrictJson(text: string, where: string): unknown {
  if (text.length > MAX_JSON_BYTES) throw new StrictJsonError(`${where} is ${text.length} characters, over the limit of ${MAX_JSON_BYTES}: refusing to read it`);
  let i = 0;
  const fail = (what: string): never => {
    const before = text.slice(0, i);
    const line = before.split("\n").length;
    const column = i - before.lastIndexOf("\n");
    throw new StrictJsonError(`${where} is not valid JSON at line ${line}, column ${column}: ${what}`);
  };
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t")) i++;
  };
  const str = (): string => {
    const start = ++i;
    let out = "";
    let run = start;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(run, i++);
        return out;
      }
      if (c === 92) {
        out += text.slice(run, i);
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail("a bad escape in a string");
        run = i;
        continue;
      }
      if (c < 32) fail("a control character in a string");
      i++;
    }
    return fail("a string that never ends");
  };
  const value = (path: string, depth: number): unknown => {
    if (depth > MAX_JSON_DEPTH) fail(`nesting deeper than ${MAX_JSON_DEPTH} levels at ${path}`);
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const obj: Record<string, unknown> = {};
      const keys = new Set<string>();
      ws();
      if (text[i] === "}") {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] === "}" && keys.size > 0) fail("a trailing comma before '}' (JSON allows none: remove it)");
        if (text[i] !== '"') fail("expected a key");
        const keyAt = i;
        const key = str();
        if (keys.has(key)) {
          i = keyAt;
          fail(`the key "${key}" appears twice in ${path || "the top-level object"} (Terraform would merge both, JSON.parse keep the last; remove one)`);
        }
        keys.add(key);
        ws();
        if (text[i] !== ":") fail("expected ':'");
        i++;
        Object.defineProperty(obj, key, { value: value(path ? `${path}.${key}` : key, depth + 1), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return obj;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return arr;
      }
      for (;;) {
        ws();
        if (text[i] === "]" && arr.length > 0) fail("a trailing comma before ']' (JSON allows none: remove it)");
        arr.push(value(`${path}[${arr.length}]`, depth + 1));
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return arr;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    const literal = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!literal) return fail("expected a value");
    i += literal[0].length;
    return literal[0] === "true" ? true : literal[0] === "false" ? false : literal[0] === "null" ? null : Number(literal[0]);
  };
  const result = value("", 0);
  ws();
  if (i !== text.length) fail("text after the end of the document");
  return result;
}
