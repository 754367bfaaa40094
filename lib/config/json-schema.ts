// The config's JSON Schema, generated from the zod schemas (one source of truth): field types,
// patterns, defaults and descriptions. Editors use it through "$schema"; rules across fields
// (two different accounts, a rule's destination among Bob's buckets, ...) only the app checks.
import { z } from "zod";
import { fleetSchema } from "./fleet";
import { organizationSchema } from "./organization";
import { pairSchema } from "./pair";

export const CONFIG_SCHEMA_FILE = "replication.config.schema.json";

export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(
    z
      .union([pairSchema.describe("The single pair: one of Alice's buckets into one of Bob's"), fleetSchema.describe("A fleet: Alice's buckets, Bob's buckets and the rules between them"),
        organizationSchema.describe("An organization: many of Alice's accounts into one or more of Bob's, a stack per account"),
      ])
      .describe("replication.config.json: what `npx cdktf synth` builds the stacks from (docs/configuration.md)"),
    // The file as written (defaults may be left out); refinements and transforms are the app's.
    { io: "input", unrepresentable: "any" },
  );
  return { ...schema, title: "S3 cross-account replication config" };
}
