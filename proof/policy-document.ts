// One decoder of policy documents for every reader: the synth output's JSON text, what the AWS
// APIs return (IAM's URL-encoded), and the emulated deploy's checks. Strict JSON, shape-checked as
// far as the proof reads it (statements, conditions); the IAM engine checks the rest.
import type { PolicyDocument } from "../lib/policies";
import { parseStrictJson } from "./synth/read";
import { blocksAt, objectAt, optionalObjectAt } from "./synth/read";

/** IAM returns policy documents URL-encoded; S3, KMS and SNS as plain JSON. */
export const iamDocument = (text: string) => (text.trim().startsWith("{") ? text : decodeURIComponent(text));

/** A policy document from its JSON text (synthesized, or as an AWS API returns it), shape-checked. */
export function policyDocument(text: string, where: string): PolicyDocument {
  const doc = parseStrictJson(text, `${where} (a JSON policy document)`);
  const document = objectAt(doc, where);
  // IAM accepts one statement on its own; the proof reads a list.
  const statements = blocksAt(document.Statement, `${where}: Statement`).map((statement, i) => {
    const condition = optionalObjectAt(statement.Condition, `${where}: Statement[${i}].Condition`);
    for (const [operator, keys] of Object.entries(condition ?? {})) objectAt(keys, `${where}: Statement[${i}].Condition.${operator}`);
    return statement;
  });
  return { ...document, Statement: statements } as PolicyDocument;
}
