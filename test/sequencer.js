// Longest tests first, so the emulated deploy starts at once and the other worker runs the rest
// beside it. jest orders by the durations in its cache, but CI starts from a clean clone with none.
const Sequencer = require("@jest/test-sequencer").default;

const LONGEST_FIRST = ["/test/e2e/", "/test/lib/hcl-output.test.ts", "/test/terraform-validate.test.ts", "/test/proof/damaged.test.ts"];
const rank = (test) => {
  const i = LONGEST_FIRST.findIndex((part) => test.path.includes(part));
  return i < 0 ? LONGEST_FIRST.length : i;
};

class LongestFirst extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
  }
}

module.exports = LongestFirst;
