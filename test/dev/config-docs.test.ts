// The committed JSON Schema and the field tables of docs/configuration.md are what `npm run schema`
// writes from the zod schemas: a field added, renamed or redescribed without it fails here.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { CONFIGURATION_DOC, configurationDoc, guardrailsSchemaFileText, schemaFileText } from "../../dev/config-docs";
import { GUARDRAILS_SCHEMA_FILE } from "../../proof/guardrails/guardrails-file";
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

test(`${GUARDRAILS_SCHEMA_FILE} is up to date (run npm run schema), and every shipped guardrails example carries and satisfies it`, () => {
  expect(committed(GUARDRAILS_SCHEMA_FILE)).toBe(guardrailsSchemaFileText());
  const validate = new Ajv2020({ strict: false }).compile(JSON.parse(committed(GUARDRAILS_SCHEMA_FILE)));
  for (const name of ["identity-perimeter-rcp.json", "identity-perimeter-rcp-with-exception.json", "region-restriction-scp.json", "region-restriction-scp-with-exception.json"]) {
    const example = JSON.parse(committed(path.join("examples", "guardrails", name)));
    expect([name, example.$schema]).toEqual([name, `../../${GUARDRAILS_SCHEMA_FILE}`]);
    expect([name, validate(example), validate.errors ?? null]).toEqual([name, true, null]);
  }
  // An RCP level with a misspelt field: refused by the schema too.
  expect(validate({ accounts: [{ accountId: "222222222222", organizationId: "o-b0bsorg0001", managementAccountId: "999999999999", levels: [{ target: "222222222222", resourceControlPolicy: [] }] }] })).toBe(false);
});

