// The security promises docs/proof.md makes, each with the verify checks that hold the synthesized
// JSON to it: one list, so neither can grow without the other. test/proof/checks/promises.test.ts fails
// when a promise has no check in a report, or when the list in docs/proof.md differs from this one.

/** How a promise cites the complete access analysis (proof/access/), which is one proof, not one check. */
export const ACCESS_ANALYSIS = "the access analysis finds nothing beyond the intended access";

export interface SecurityPromise {
  promise: string;
  /** Static check names, declared request IDs (proof/requests/declared-requests.ts) or the access analysis, that prove it. */
  checks: string[];
  /** Only where the config adopts a bucket (examples/adopt-existing.json); otherwise everywhere. */
  onlyWhenAdopting?: boolean;
}

export const SECURITY_PROMISES: SecurityPromise[] = [
  {
    promise: "Nothing public: every bucket blocks all public access, with all four settings of a public access block bound to that bucket.",
    checks: ["public access blocked", "anonymous-reads-source", "anonymous-reads-destination"],
  },
  { promise: "No ACLs: every bucket's object ownership is BucketOwnerEnforced.", checks: ["object ownership BucketOwnerEnforced"] },
  {
    promise: "TLS only: every bucket policy denies any request made without TLS.",
    checks: ["every request without TLS is denied", "replica-write-without-tls", "source-read-without-tls"],
  },
  { promise: "Nothing destroys data by default: no bucket has force_destroy.", checks: ["no force_destroy"] },
  {
    promise: "An adopted bucket is never destroyed: it is imported with prevent_destroy, and stays when the stack is destroyed after detaching it.",
    checks: ["an adopted bucket is never destroyed"],
    onlyWhenAdopting: true,
  },
  { promise: "Every bucket is versioned.", checks: ["source bucket versioning", "destination bucket versioning"] },
  {
    promise: "Every bucket is encrypted with SSE-KMS under a customer managed key of its own account.",
    checks: ["source bucket SSE-KMS with a customer managed key", "destination bucket SSE-KMS with a customer managed key"],
  },
  { promise: "Every key rotates (rotation on).", checks: ["key rotation on"] },
  { promise: "A key scheduled for deletion waits the longest window KMS allows, 30 days.", checks: ["key deletion window 30 days"] },
  {
    promise: "No deploy into the wrong account: each stack's provider pins exactly its own account, and every resource is bound to it.",
    checks: ["provider pins exactly one account", "source and dest pin different accounts", "resources bound to their stack's pinned provider"],
  },
  {
    promise:
      "Least privilege, nobody else gets in: every request any policy allows, for every principal (each account's roles, root and administrators, a role named like the replication roles, a third account, anonymous, AWS services) under every combination of the conditions' values, is one the intended-access table admits; each account's policies are judged as if the other account granted everything.",
    checks: [ACCESS_ANALYSIS, "other-principal-writes-replicas", "role-reads-or-deletes-bobs-objects", "role-uses-replica-key-outside-s3"],
  },
  {
    promise:
      "verify proves what Terraform applies, or fails: no other Terraform file beside a stack, no duplicate JSON key, and every resource type, data source, provider, provisioner or count it cannot evaluate is a finding.",
    checks: ["verify can prove everything in the stack"],
  },
  {
    promise: "Every policy is within AWS's size limit, so no deploy fails half-way on it.",
    checks: ["policy within AWS's size limit"],
  },
];

/** The list in docs/proof.md, as it must read there (between the promises markers). */
export const promisesMarkdown = (): string => SECURITY_PROMISES.map((p) => `- ${p.promise} (${p.checks.map((c) => `"${c}"`).join(", ")})`).join("\n");
