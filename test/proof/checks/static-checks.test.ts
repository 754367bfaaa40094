// How verify sizes a synthesized policy: as AWS will once the keys exist.
import { policySize } from "../../../proof/checks/static-checks";
import { keyIdPlaceholder } from "../../../proof/synth/references";
import type { PolicyDocument } from "../../../lib/policies";

const withKey = (keyId: string): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "kms:Decrypt", Resource: `arn:aws:kms:us-west-2:222222222222:key/${keyId}` }],
});

test("a placeholder key ID counts as long as a real one (36 characters), whatever the resource's name", () => {
  const real = policySize([withKey("1234abcd-12ab-34cd-56ef-1234567890ab")]);
  expect(policySize([withKey(keyIdPlaceholder("replica_key"))])).toBe(real);
  expect(policySize([withKey(keyIdPlaceholder("a_much_longer_resource_name_than_a_key_id_would_be"))])).toBe(real);
});

test("whitespace does not count, and several documents count together", () => {
  const doc = withKey("1234abcd-12ab-34cd-56ef-1234567890ab");
  expect(policySize([doc, undefined, doc])).toBe(2 * JSON.stringify(doc).length);
});
