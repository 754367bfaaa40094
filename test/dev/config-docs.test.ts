// The committed JSON Schema and the field tables of docs/configuration.md are what `npm run schema`
// writes from the zod schemas: a field added, renamed or redescribed without it fails here.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { CONFIGURATION_DOC, configurationDoc, schemaFileText } from "../../dev/config-docs";
import { CONFIG_SCHEMA_FILE } from "../../lib/config/json-schema";
import { PROJECT_ROOT } from "../support/fixtures";

const committed = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), "utf8");

test(`${CONFIG_SCHEMA_FILE} is up to date (run npm run schema)`, () => {
  expect(committed(CONFIG_SCHEMA_FILE)).toBe(schemaFileText());
});

test(`the field tables of ${CONFIGURATION_DOC} are up to date (run npm run schema)`, () => {
  const doc = committed(CONFIGURATION_DOC);
  expect(configurationDoc(doc)).toBe(doc);
});

test("a table row carries the field's default and its description from the schema", () => {
  expect(committed(CONFIGURATION_DOC)).toContain("| `replication.ruleId` | no | `\"Replicate_to_Bob_bucket\"` | ID of the replication rule |");
  expect(committed(CONFIGURATION_DOC)).toContain("| `destinationBuckets[].kmsKeyAlias` | yes |  | alias of the bucket's replica key, without alias/; unique in Bob's account |");
});
