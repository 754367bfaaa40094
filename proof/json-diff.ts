// Where two JSON values differ, leaf by leaf: what a second plan would change (deploy-local) and
// what a deployment no longer holds of its synthesized stacks (verify --live).

/** Leaf paths where two JSON values differ ("rule.0.source_selection_criteria", ...). */
export function differingPaths(a: unknown, b: unknown, at = ""): string[] {
  const isObject = (v: unknown) => typeof v === "object" && v !== null;
  // Lists of different lengths (a block added or removed) differ as a whole.
  const sameShape = Array.isArray(a) ? Array.isArray(b) && a.length === b.length : !Array.isArray(b);
  if (isObject(a) && isObject(b) && sameShape) {
    const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
    return keys.flatMap((k) => differingPaths((a as any)[k], (b as any)[k], at ? `${at}.${k}` : k));
  }
  // An empty list and a missing value mean the same to terraform.
  const empty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0);
  if (empty(a) && empty(b)) return [];
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [at];
}
