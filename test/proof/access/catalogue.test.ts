import { actionsCoveredBy, asList, loadCatalogue, uncataloguedPatterns, wildcardMatch, type Catalogue } from "../../../proof/access/catalogue";

/** IAM's definition, action by action: Action covers what one of its patterns matches, NotAction what none does. */
const coveredOneByOne = (c: Catalogue, st: { Action?: string | string[]; NotAction?: string | string[] }) =>
  c.actions
    .filter((a) => (st.NotAction !== undefined ? !asList(st.NotAction).some((p) => wildcardMatch(p, a.name)) : asList(st.Action).some((p) => wildcardMatch(p, a.name))))
    .map((a) => a.name);

test("the catalogue holds every action of the services a deployment governs, with resource types", async () => {
  const c = await loadCatalogue();
  const byName = new Map(c.actions.map((a) => [a.name, a]));
  expect(byName.get("s3:ReplicateObject")?.resourceTypes).toEqual(["object"]);
  expect(byName.get("kms:Decrypt")?.resourceTypes).toEqual(["key"]);
  expect(byName.get("sts:AssumeRole")?.resourceTypes).toEqual(["role"]);
  expect(byName.get("sns:Publish")?.resourceTypes).toEqual(["topic"]);
  expect(byName.get("iam:PassRole")?.resourceTypes).toEqual(["role"]);
  expect(c.byService.get("s3")!.length).toBeGreaterThan(150);
});

test("a wildcard in a statement covers every action it matches, case-insensitively", async () => {
  const c = await loadCatalogue();
  // In the catalogue's order, which is each service's actions sorted.
  const covered = (statement: object) => c.actions.map((a) => a.name).filter((a) => actionsCoveredBy(statement, c).has(a));
  expect(covered({ Action: "kms:GenerateDataKey*" })).toEqual([
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyPair",
    "kms:GenerateDataKeyPairWithoutPlaintext",
    "kms:GenerateDataKeyWithoutPlaintext",
  ]);
  // Newer actions come with the data: S3 added ReplicateObjectAnnotation, which s3:Replicate* grants too.
  expect(covered({ Action: "S3:replicate*" })).toEqual(["s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateObjectAnnotation", "s3:ReplicateTags"]);
  // NotAction covers everything it does not list.
  expect(covered({ NotAction: "s3:*" }).some((a) => a.startsWith("s3:"))).toBe(false);
  expect(covered({ NotAction: "s3:*" })).toContain("kms:Decrypt");
});

test("a statement's covered actions, worked out per pattern, are exactly those it covers one by one", async () => {
  const c = await loadCatalogue();
  const statements: { Action?: string | string[]; NotAction?: string | string[] }[] = [{ Action: "kms:GenerateDataKey*" }, { Action: ["s3:Get*", "S3:ReplicateObject", "s3:?utObject"] }, { NotAction: ["s3:*", "kms:Decrypt"] }, { Action: "*" }, { NotAction: "*" }];
  for (const st of statements) {
    const oneByOne = coveredOneByOne(c, st);
    expect([st, [...actionsCoveredBy(st, c)].sort()]).toEqual([st, [...oneByOne].sort()]);
    // Another statement of the same content is answered alike; Action and NotAction never share an answer.
    expect([...actionsCoveredBy({ ...st }, c)].sort()).toEqual([...oneByOne].sort());
  }
  expect(actionsCoveredBy({ NotAction: "s3:PutObject" }, c).has("s3:PutObject")).toBe(false);
  expect(actionsCoveredBy({ Action: "s3:PutObject" }, c).has("s3:PutObject")).toBe(true);
});

test("actions of services outside the catalogue are named, to be findings on their own", () => {
  expect(uncataloguedPatterns({ Action: ["s3:GetObject", "ec2:*", "*"] })).toEqual(["ec2:*", "*"]);
  expect(uncataloguedPatterns({ NotAction: "s3:*" })).toEqual(["NotAction (every action but those listed, of every service)"]);
});

test("IAM's wildcard match: * any run, ? one character, nothing else special", () => {
  expect(wildcardMatch("arn:aws:s3:::bob/*", "arn:aws:s3:::bob/a/b", false)).toBe(true);
  expect(wildcardMatch("arn:aws:s3:::bob/*", "arn:aws:s3:::bob-lookalike/a", false)).toBe(false);
  expect(wildcardMatch("arn:aws:s3:::b?b", "arn:aws:s3:::bob", false)).toBe(true);
  expect(wildcardMatch("arn:aws:s3:::a.b", "arn:aws:s3:::axb", false)).toBe(false);
});
