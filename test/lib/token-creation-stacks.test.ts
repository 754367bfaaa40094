import { Lazy } from "cdktf";
import { withoutTokenCreationStacks } from "../../lib/token-creation-stacks";

const creationStack = (): string[] => Lazy.anyValue({ produce: () => 1 }).creationStack;

describe("withoutTokenCreationStacks", () => {
  test("tokens created inside record no creation stack; outside they do", () => {
    expect(withoutTokenCreationStacks(creationStack)).toEqual([]);
    expect(creationStack().length).toBeGreaterThan(0);
  });

  test("errors thrown inside keep their stack trace, and the formatter in place is restored", () => {
    const before = Error.prepareStackTrace;
    const stack = withoutTokenCreationStacks(() => new Error("boom").stack);
    expect(stack).toMatch(/^Error: boom\n\s+at /);
    expect(Error.prepareStackTrace).toBe(before);
  });

  test("without a formatter installed, errors get V8's format", () => {
    const before = Error.prepareStackTrace;
    try {
      delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
      const stack = withoutTokenCreationStacks(() => new TypeError("bad").stack);
      expect(stack).toMatch(/^TypeError: bad\n {4}at .*token-creation-stacks\.test/);
      expect(Error.prepareStackTrace).toBeUndefined();
    } finally {
      Error.prepareStackTrace = before;
    }
  });
});
