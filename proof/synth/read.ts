// Typed reads of the synthesized JSON. Anything verify cannot use (a value removed, or of another
// type, by a hand edit or a bad merge) is a VerifyInputError naming where the value is and what was
// expected: exit 2 with a message, never a TypeError and a stack trace.
import { VerifyInputError } from "../errors";
import { parseStrictJson as parseJson, StrictJsonError } from "../../lib/strict-json";

/** Strict JSON (../../lib/strict-json.ts); a mistake in it is unusable input. */
export function parseStrictJson(text: string, where: string): unknown {
  try {
    return parseJson(text, where);
  } catch (e) {
    throw e instanceof StrictJsonError ? new VerifyInputError(e.message) : e;
  }
}

const describe = (value: unknown): string =>
  value === undefined ? "nothing" : value === null ? "null" : Array.isArray(value) ? "a list" : typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;

const unusable = (where: string, expected: string, value: unknown) => new VerifyInputError(`${where}: expected ${expected}, found ${describe(value)}`);

const isObject = (value: unknown): value is Record<string, any> => typeof value === "object" && value !== null && !Array.isArray(value);

export function stringAt(value: unknown, where: string): string {
  if (typeof value !== "string") throw unusable(where, "a string", value);
  return value;
}

export function optionalStringAt(value: unknown, where: string): string | undefined {
  return value === undefined ? undefined : stringAt(value, where);
}

export function objectAt(value: unknown, where: string): Record<string, any> {
  if (!isObject(value)) throw unusable(where, "an object", value);
  return value;
}

export function optionalObjectAt(value: unknown, where: string): Record<string, any> | undefined {
  return value === undefined ? undefined : objectAt(value, where);
}

/** A map of named objects, as `resource.<type>` or `data.<type>`: every entry an object. */
export function objectsAt(value: unknown, where: string): [string, Record<string, any>][] {
  if (value === undefined) return [];
  return Object.entries(objectAt(value, where)).map(([name, v]) => [name, objectAt(v, `${where}.${name}`)]);
}

/** A list of objects; cdktf writes repeated blocks as a list, and one block may stand alone. */
export function blocksAt(value: unknown, where: string): Record<string, any>[] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((v, i) => objectAt(v, Array.isArray(value) ? `${where}[${i}]` : where));
}

/** A bool as Terraform converts it: true and "true" are the same value. */
export const tfBool = (value: unknown): boolean | undefined => (value === true || value === "true" ? true : value === false || value === "false" ? false : undefined);

/** A number as Terraform converts it: 30 and "30" are the same value. */
export const tfNumber = (value: unknown): number | undefined =>
  typeof value === "number" ? value : typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : undefined;
