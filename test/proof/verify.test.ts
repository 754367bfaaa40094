// The proof on real synth output, and on mutated copies of it: each mistake must be caught, with
// the finding or request that names it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { cachedLocaleCompare, EngineGapError, evaluate, uncachedLocaleCompare } from "../../proof/engine";
import { verify } from "../../proof/index";
import { VerifyInputError } from "../../proof/errors";
import type { VerifyReport } from "../../proof/report";
import { runApp } from "../support/app";
import { PROJECT_ROOT, writeConfigFile } from "../support/fixtures";
import { editPolicy, mutated as mutatedCopy, statementOf, type Stacks } from "../support/mutate";

const defaultSynth = runApp().outdir;

/** A copy of the default synth output with `change` applied to the stacks' JSON. */
const mutated = (change: (stacks: Stacks) => void) => mutatedCopy(defaultSynth, change);
const CONTEXT = "kms:EncryptionContext:aws:s3:arn";
const SOURCE_ARN = "arn:aws:s3:::alice-replication-source-111111111111";
const DEST_ARN = "arn:aws:s3:::bob-replication-destination-222222222222";
const rule = (s: Stacks) => s.source.resource.aws_s3_bucket_replication_configuration.replication.rule[0];
const rolePolicy = (s: Stacks) => s.source.resource.aws_iam_role_policy.replication_role_policy;

const failedChecks = (r: VerifyReport) => r.findings.filter((f) => !f.holds).map((f) => f.check);
const failedRequests = (r: VerifyReport) => r.requests.filter((q) => !q.holds).map((q) => `${q.action}: ${q.title}`);

describe("the proof holds for what the project synthesizes", () => {
  test("default config", async () => {
    const report = await verify(defaultSynth);
    expect(failedChecks(report)).toEqual([]);
    expect(failedRequests(report)).toEqual([]);
    expect(report.ok).toBe(true);
    // Every request of the issue is there, expected both ways.
    expect(report.requests.filter((q) => q.expected === "ALLOWED").map((q) => q.action)).toEqual([
      "sts:AssumeRole",
      "s3:GetReplicationConfiguration",
      "s3:ListBucket",
      "s3:GetObjectVersionForReplication",
      "s3:GetObjectVersionAcl",
      "s3:GetObjectVersionTagging",
      "kms:Decrypt",
      "kms:Decrypt",
      "s3:ReplicateObject",
      "s3:ReplicateDelete",
      "s3:ReplicateTags",
      "s3:ObjectOwnerOverrideToBucketOwner",
      "kms:Encrypt",
      "kms:GenerateDataKey",
      "kms:Encrypt",
      "kms:GenerateDataKey",
      "kms:Decrypt",
      "s3:GetBucketVersioning",
    ]);
    expect(report.requests.filter((q) => q.expected === "DENIED")).toHaveLength(17);
  });

  test("KMS requests are evaluated with the encryption context, not without it", async () => {
    const report = await verify(defaultSynth);
    const decrypt = report.requests.find((q) => q.action === "kms:Decrypt" && q.expected === "ALLOWED")!;
    expect(decrypt.restoredContextKeys).toEqual(["kms:EncryptionContext:aws:s3:arn"]);
    expect(decrypt.decidedBy).toBe(
      "identity policy s3-cross-account-replication: DecryptSourceObjects + key policy of Alice's source key: EnableIamPoliciesOfTheOwningAccount",
    );
  });

  test.each<[string, object]>([
    ["metrics on", { metrics: true }],
    ["Replication Time Control on", { replicationTimeControl: true }],
  ])("%s", async (_name, replication) => {
    const configFile = writeConfigFile(mkdtempSync(path.join(tmpdir(), "verify-config-")), "config", (raw) => Object.assign(raw.replication, replication));
    const run = runApp(configFile);
    expect(run.status).toBe(0);
    const report = await verify(run.outdir);
    expect(failedChecks(report)).toEqual([]);
    expect(failedRequests(report)).toEqual([]);
  });

  test.each(["backend-s3.json", "backend-cloud.json"])("examples/%s (remote state read from that backend)", async (example) => {
    const run = runApp(path.join(PROJECT_ROOT, "examples", example));
    expect(run.status).toBe(0);
    const report = await verify(run.outdir);
    expect(failedChecks(report)).toEqual([]);
    expect(failedRequests(report)).toEqual([]);
  });
});

describe("mistakes are caught with a precise message", () => {
  test.each<[string, (s: Stacks) => void, string[], string[]]>([
    [
      "Bob's key policy no longer grants the role",
      (s) => editPolicy(s.dest.resource.aws_kms_key.replica_key, (d) => (d.Statement = d.Statement.filter((x: any) => x.Sid !== "AliceReplicationRoleEncryptsReplicas"))),
      [],
      [
        "kms:Encrypt: the role encrypts replicas with Bob's replica key, through S3",
        "kms:GenerateDataKey: the role encrypts replicas with Bob's replica key, through S3",
        "kms:Encrypt: the role encrypts replicas under an object-ARN context (no Bucket Key)",
        "kms:GenerateDataKey: the role encrypts replicas under an object-ARN context (no Bucket Key)",
        "kms:Decrypt: the role decrypts with Bob's replica key through S3, for multipart replicas",
      ],
    ],
    [
      "the replica key is the AWS managed aws/s3",
      (s) => (rule(s).destination.encryption_configuration.replica_kms_key_id = "arn:aws:kms:us-west-2:222222222222:alias/aws/s3"),
      ["replica key in the destination account and region"],
      [
        "kms:Encrypt: the role encrypts replicas with Bob's replica key, through S3",
        "kms:GenerateDataKey: the role encrypts replicas with Bob's replica key, through S3",
        "kms:Encrypt: the role encrypts replicas under an object-ARN context (no Bucket Key)",
        "kms:GenerateDataKey: the role encrypts replicas under an object-ARN context (no Bucket Key)",
        "kms:Decrypt: the role decrypts with Bob's replica key through S3, for multipart replicas",
      ],
    ],
    [
      "Bob's bucket encrypts with aws/s3 by default",
      (s) => delete s.dest.resource.aws_s3_bucket_server_side_encryption_configuration.destination_bucket.rule[0].apply_server_side_encryption_by_default.kms_master_key_id,
      ["destination bucket SSE-KMS with a customer managed key"],
      [],
    ],
    [
      "the replica key named by a bare alias (resolves in Alice's account)",
      (s) => (rule(s).destination.encryption_configuration.replica_kms_key_id = "alias/bob-replication-replica"),
      ["replica key in the destination account and region"],
      [
        "kms:Encrypt: the role encrypts replicas with Bob's replica key, through S3",
        "kms:GenerateDataKey: the role encrypts replicas with Bob's replica key, through S3",
        "kms:Encrypt: the role encrypts replicas under an object-ARN context (no Bucket Key)",
        "kms:GenerateDataKey: the role encrypts replicas under an object-ARN context (no Bucket Key)",
        "kms:Decrypt: the role decrypts with Bob's replica key through S3, for multipart replicas",
      ],
    ],
    [
      "kms:ViaService of the wrong region",
      (s) => editPolicy(rolePolicy(s), (d) => (statementOf(d, "EncryptReplicasWithDestinationKey").Condition.StringEquals["kms:ViaService"] = "s3.us-east-1.amazonaws.com")),
      [],
      [
        "kms:Encrypt: the role encrypts replicas with Bob's replica key, through S3",
        "kms:GenerateDataKey: the role encrypts replicas with Bob's replica key, through S3",
        "kms:Encrypt: the role encrypts replicas under an object-ARN context (no Bucket Key)",
        "kms:GenerateDataKey: the role encrypts replicas under an object-ARN context (no Bucket Key)",
        "kms:Decrypt: the role decrypts with Bob's replica key through S3, for multipart replicas",
      ],
    ],
    [
      "only the object-ARN encryption context while Bucket Keys are on",
      (s) => editPolicy(rolePolicy(s), (d) => (statementOf(d, "DecryptSourceObjects").Condition.StringLike[CONTEXT] = `${SOURCE_ARN}/*`)),
      ["encryption-context conditions accept objects with and without a Bucket Key"],
      ["kms:Decrypt: the role decrypts source objects with Alice's key, through S3"],
    ],
    [
      // What the project synthesized before: objects written without a Bucket Key fail to replicate.
      "only the Bucket-Key encryption context (the role's grants)",
      (s) =>
        editPolicy(rolePolicy(s), (d) => {
          for (const [sid, arn] of [["DecryptSourceObjects", SOURCE_ARN], ["EncryptReplicasWithDestinationKey", DEST_ARN]]) {
            const c = statementOf(d, sid).Condition;
            c.StringEquals[CONTEXT] = arn;
            delete c.StringLike;
          }
        }),
      ["encryption-context conditions accept objects with and without a Bucket Key", "encryption-context conditions accept objects with and without a Bucket Key"],
      [
        "kms:Decrypt: the role decrypts source objects written without a Bucket Key (object-ARN context)",
        "kms:Encrypt: the role encrypts replicas under an object-ARN context (no Bucket Key)",
        "kms:GenerateDataKey: the role encrypts replicas under an object-ARN context (no Bucket Key)",
      ],
    ],
    [
      "only the Bucket-Key encryption context (Bob's key policy)",
      (s) =>
        editPolicy(s.dest.resource.aws_kms_key.replica_key, (d) => {
          const c = statementOf(d, "AliceReplicationRoleEncryptsReplicas").Condition;
          c.StringEquals[CONTEXT] = DEST_ARN;
          delete c.StringLike;
        }),
      ["encryption-context conditions accept objects with and without a Bucket Key"],
      [
        "kms:Encrypt: the role encrypts replicas under an object-ARN context (no Bucket Key)",
        "kms:GenerateDataKey: the role encrypts replicas under an object-ARN context (no Bucket Key)",
      ],
    ],
    [
      "the object-ARN pattern under StringEquals, where * is no wildcard",
      (s) =>
        editPolicy(rolePolicy(s), (d) => {
          const c = statementOf(d, "DecryptSourceObjects").Condition;
          c.StringEquals[CONTEXT] = c.StringLike[CONTEXT];
          delete c.StringLike;
        }),
      ["encryption-context conditions accept objects with and without a Bucket Key"],
      ["kms:Decrypt: the role decrypts source objects written without a Bucket Key (object-ARN context)"],
    ],
    [
      // What the project synthesized before: large objects (multipart replicas) fail to replicate.
      "Bob's key policy without kms:Decrypt",
      (s) =>
        editPolicy(s.dest.resource.aws_kms_key.replica_key, (d) => {
          const st = statementOf(d, "AliceReplicationRoleEncryptsReplicas");
          st.Action = st.Action.filter((a: string) => a !== "kms:Decrypt");
        }),
      [],
      ["kms:Decrypt: the role decrypts with Bob's replica key through S3, for multipart replicas"],
    ],
    [
      "the role's policy without kms:Decrypt on Bob's key",
      (s) =>
        editPolicy(rolePolicy(s), (d) => {
          const st = statementOf(d, "EncryptReplicasWithDestinationKey");
          st.Action = st.Action.filter((a: string) => a !== "kms:Decrypt");
        }),
      [],
      ["kms:Decrypt: the role decrypts with Bob's replica key through S3, for multipart replicas"],
    ],
    [
      "neither the role's policy nor Bob's key policy requires S3 (kms:ViaService)",
      (s) => {
        editPolicy(rolePolicy(s), (d) => delete statementOf(d, "EncryptReplicasWithDestinationKey").Condition.StringEquals);
        editPolicy(s.dest.resource.aws_kms_key.replica_key, (d) => delete statementOf(d, "AliceReplicationRoleEncryptsReplicas").Condition.StringEquals);
      },
      [],
      ["kms:Encrypt: the role uses Bob's replica key outside S3", "kms:Decrypt: the role uses Bob's replica key outside S3"],
    ],
    [
      "an encryption context that admits every bucket",
      (s) => {
        editPolicy(rolePolicy(s), (d) => {
          statementOf(d, "DecryptSourceObjects").Condition.StringLike[CONTEXT] = "arn:aws:s3:::*";
          statementOf(d, "EncryptReplicasWithDestinationKey").Condition.StringLike[CONTEXT] = "arn:aws:s3:::*";
        });
        editPolicy(s.dest.resource.aws_kms_key.replica_key, (d) => (statementOf(d, "AliceReplicationRoleEncryptsReplicas").Condition.StringLike[CONTEXT] = "arn:aws:s3:::*"));
      },
      [],
      ["kms:Decrypt: the role decrypts with Bob's replica key for another bucket's objects", "kms:Decrypt: the role decrypts with Alice's key for another bucket's objects"],
    ],
    [
      "sse_kms_encrypted_objects missing",
      (s) => delete rule(s).source_selection_criteria,
      ["KMS-encrypted objects are replicated"],
      [],
    ],
    [
      // The policy becomes public, so Block Public Access (RestrictPublicBuckets) cuts off every
      // cross-account caller, Alice's role included: replication itself would fail.
      'a "*" principal in Bob\'s bucket policy, public access blocked',
      (s) => editPolicy(s.dest.resource.aws_s3_bucket_policy.destination_bucket, (d) => (statementOf(d, "AliceReplicationRoleWritesReplicas").Principal = "*")),
      [],
      [
        "s3:ReplicateObject: the role writes replicas into Bob's bucket",
        "s3:ReplicateDelete: the role writes replicas into Bob's bucket",
        "s3:ReplicateTags: the role writes replicas into Bob's bucket",
        "s3:ObjectOwnerOverrideToBucketOwner: the role writes replicas into Bob's bucket",
        "s3:GetBucketVersioning: Alice's deployer reads Bob's bucket versioning (PutBucketReplication checks it)",
      ],
    ],
    [
      'a "*" principal in Bob\'s bucket policy, public access not restricted',
      (s) => {
        editPolicy(s.dest.resource.aws_s3_bucket_policy.destination_bucket, (d) => (statementOf(d, "AliceReplicationRoleWritesReplicas").Principal = "*"));
        s.dest.resource.aws_s3_bucket_public_access_block.destination_bucket.restrict_public_buckets = false;
      },
      ["public access blocked"],
      ["s3:ReplicateObject: another principal of Alice's account writes replicas"],
    ],
    [
      "the article's s3:PutBucketVersioning grant to Alice",
      (s) => editPolicy(s.dest.resource.aws_s3_bucket_policy.destination_bucket, (d) => (statementOf(d, "AliceChecksDestinationVersioning").Action = ["s3:GetBucketVersioning", "s3:PutBucketVersioning"])),
      [],
      ["s3:PutBucketVersioning: Alice suspends versioning on Bob's bucket"],
    ],
    [
      "the role policy loses the replica write grant",
      (s) => editPolicy(rolePolicy(s), (d) => (d.Statement = d.Statement.filter((x: any) => x.Sid !== "WriteReplicasToDestinationBucket"))),
      [],
      [
        "s3:ReplicateObject: the role writes replicas into Bob's bucket",
        "s3:ReplicateDelete: the role writes replicas into Bob's bucket",
        "s3:ReplicateTags: the role writes replicas into Bob's bucket",
        "s3:ObjectOwnerOverrideToBucketOwner: the role writes replicas into Bob's bucket",
      ],
    ],
    [
      "the trust policy admits S3 for any bucket of any account",
      (s) => editPolicy(s.source.resource.aws_iam_role.replication_role, (d) => (d.Statement[0].Condition = { StringEquals: { "aws:SourceAccount": "999999999999" } }), "assume_role_policy"),
      [],
      ["sts:AssumeRole: S3 assumes the replication role for Alice's bucket"],
    ],
    [
      "no TLS-only statement on Bob's bucket",
      (s) => editPolicy(s.dest.resource.aws_s3_bucket_policy.destination_bucket, (d) => (d.Statement = d.Statement.filter((x: any) => x.Sid !== "DenyInsecureTransport"))),
      ["every request without TLS is denied"],
      ["s3:ReplicateObject: a request without TLS (replica write)"],
    ],
    ["versioning suspended on Bob's bucket", (s) => (s.dest.resource.aws_s3_bucket_versioning.destination_bucket.versioning_configuration.status = "Suspended"), ["destination bucket versioning"], []],
    ['filter { prefix = "" }', (s) => (rule(s).filter = { prefix: "" }), ['filter {} rather than a V1 rule or prefix = ""'], []],
    ["a filter without delete_marker_replication", (s) => delete rule(s).delete_marker_replication, ["a rule with a filter sets delete_marker_replication"], []],
    [
      "a tag filter with delete marker replication",
      (s) => {
        rule(s).filter = { tag: { key: "replicate", value: "yes" } };
        rule(s).delete_marker_replication = { status: "Enabled" };
      },
      ["no tag filter with delete marker replication"],
      [],
    ],
    [
      "Replication Time Control without metrics",
      (s) => (rule(s).destination.replication_time = { status: "Enabled", time: { minutes: 15 } }),
      ["Replication Time Control only with metrics, both at 15 minutes"],
      [],
    ],
    [
      "Replication Time Control at 10 minutes",
      (s) => {
        rule(s).destination.replication_time = { status: "Enabled", time: { minutes: 10 } };
        rule(s).destination.metrics = { status: "Enabled", event_threshold: { minutes: 10 } };
      },
      ["Replication Time Control only with metrics, both at 15 minutes"],
      [],
    ],
    [
      "Replication Time Control with metrics but no event threshold",
      (s) => {
        rule(s).destination.replication_time = { status: "Enabled", time: { minutes: 15 } };
        rule(s).destination.metrics = { status: "Enabled" };
      },
      ["Replication Time Control only with metrics, both at 15 minutes"],
      [],
    ],
    [
      // What `metrics: true` synthesized before: S3 rejects the whole configuration.
      "a metrics event threshold without Replication Time Control",
      (s) => (rule(s).destination.metrics = { status: "Enabled", event_threshold: { minutes: 15 } }),
      ["a metrics event threshold only with Replication Time Control"],
      [],
    ],
    ["owner override without the destination account", (s) => delete rule(s).destination.account, ["destination account and owner override agree"], []],
    [
      "public access block weakened on Bob's bucket",
      (s) => (s.dest.resource.aws_s3_bucket_public_access_block.destination_bucket.block_public_policy = false),
      ["public access blocked"],
      [],
    ],
    [
      "Alice's public access block bound to another bucket",
      (s) => (s.source.resource.aws_s3_bucket_public_access_block.source_bucket.bucket = "some-other-bucket"),
      ["public access blocked"],
      [],
    ],
    ["ownership controls gone", (s) => delete s.source.resource.aws_s3_bucket_ownership_controls, ["object ownership BucketOwnerEnforced"], []],
    ["force_destroy on Bob's bucket", (s) => (s.dest.resource.aws_s3_bucket.destination_bucket.force_destroy = true), ["no force_destroy"], []],
    ["key rotation off", (s) => (s.dest.resource.aws_kms_key.replica_key.enable_key_rotation = false), ["key rotation on"], []],
    ["a 7-day key deletion window", (s) => (s.source.resource.aws_kms_key.source_key.deletion_window_in_days = 7), ["key deletion window 30 days"], []],
    // Bob's resources are then placed in a stand-in account, so his key and account no longer match the rule's.
    [
      "a provider that pins no account",
      (s) => delete s.dest.provider.aws[0].allowed_account_ids,
      ["replica key in the destination account and region", "destination account and owner override agree", "provider pins exactly one account"],
      [
        "kms:Encrypt: the role encrypts replicas with Bob's replica key, through S3",
        "kms:GenerateDataKey: the role encrypts replicas with Bob's replica key, through S3",
        "kms:Encrypt: the role encrypts replicas under an object-ARN context (no Bucket Key)",
        "kms:GenerateDataKey: the role encrypts replicas under an object-ARN context (no Bucket Key)",
        "kms:Decrypt: the role decrypts with Bob's replica key through S3, for multipart replicas",
      ],
    ],
    [
      "both providers pinned to one account",
      (s) => (s.dest.provider.aws[0].allowed_account_ids = ["111111111111"]),
      ["replica key in the destination account and region", "destination account and owner override agree", "source and dest pin different accounts"],
      [
        "kms:Encrypt: the role encrypts replicas with Bob's replica key, through S3",
        "kms:GenerateDataKey: the role encrypts replicas with Bob's replica key, through S3",
        "kms:Encrypt: the role encrypts replicas under an object-ARN context (no Bucket Key)",
        "kms:GenerateDataKey: the role encrypts replicas under an object-ARN context (no Bucket Key)",
        "kms:Decrypt: the role decrypts with Bob's replica key through S3, for multipart replicas",
        // one account for both: Alice's administrators are Bob's too
        "s3:ReplicateObject: another principal of Alice's account writes replicas",
        "s3:PutBucketVersioning: Alice suspends versioning on Bob's bucket",
      ],
    ],
    [
      "a resource on the default provider",
      (s) => delete s.source.resource.aws_s3_bucket_versioning.source_bucket.provider,
      ["resources bound to their stack's pinned provider"],
      [],
    ],
    [
      "the replication configuration held back by default",
      (s) => (s.source.variable.destination_ready.default = false),
      ["replication configuration applied"],
      [],
    ],
  ])("%s", async (_name, change, checks, requests) => {
    const report = await verify(mutated(change));
    expect(report.ok).toBe(false);
    expect(failedChecks(report)).toEqual(checks);
    expect(failedRequests(report)).toEqual(requests);
  });

  test("a failing request says which grant is missing", async () => {
    const report = await verify(
      mutated((s) => editPolicy(s.dest.resource.aws_kms_key.replica_key, (d) => (d.Statement = d.Statement.filter((x: any) => x.Sid !== "AliceReplicationRoleEncryptsReplicas")))),
    );
    expect(report.requests.find((q) => !q.holds)?.decidedBy).toBe("no grant in key policy of Bob's replica key");
  });

  test("a request cut off by Block Public Access says so", async () => {
    const report = await verify(
      mutated((s) => editPolicy(s.dest.resource.aws_s3_bucket_policy.destination_bucket, (d) => (statementOf(d, "AliceReplicationRoleWritesReplicas").Principal = "*"))),
    );
    expect(report.requests.find((q) => !q.holds)?.decidedBy).toMatch(/^blocked by S3 Block Public Access \(RestrictPublicBuckets\)/);
  });

  test("a failing static check says how to fix it", async () => {
    const report = await verify(mutated((s) => delete rule(s).source_selection_criteria));
    expect(report.findings.find((f) => !f.holds)?.fix).toMatch(/sse_kms_encrypted_objects \{ status = "Enabled" \}.*silently skips/);
  });
});

describe("unusable input is an error that says what to run", () => {
  test.each<[string, () => string, RegExp]>([
    ["a missing folder", () => path.join(tmpdir(), "no-such-synth-output"), /no synth output at .*: run `npx cdktf synth` first/],
    [
      "a missing manifest",
      () => {
        const dir = mutated(() => undefined);
        rmSync(path.join(dir, "manifest.json"));
        return dir;
      },
      /manifest\.json is missing \(partial synth output\?\)/,
    ],
    [
      "a missing stack",
      () => {
        const dir = mutated(() => undefined);
        rmSync(path.join(dir, "stacks", "dest"), { recursive: true });
        return dir;
      },
      /stacks\/dest\/cdk\.tf\.json is missing/,
    ],
    [
      "JSON it cannot parse",
      () => {
        const dir = mutated(() => undefined);
        writeFileSync(path.join(dir, "stacks", "source", "cdk.tf.json"), "{ nope");
        return dir;
      },
      /source\/cdk\.tf\.json is not valid JSON at line 1, column 3: expected a key/,
    ],
    [
      "a reference it cannot resolve",
      () => mutated((s) => editPolicy(rolePolicy(s), (d) => (statementOf(d, "DecryptSourceObjects").Resource = "${aws_kms_external_key.x.arn}"))),
      /cannot resolve \$\{aws_kms_external_key\.x\.arn\} in stack source/,
    ],
    [
      "a remote-state reader pointed elsewhere than the source backend",
      () => mutated((s) => (s.dest.data.terraform_remote_state.source_state.config.path = "../../../elsewhere.tfstate")),
      /data\.terraform_remote_state\.source_state in stack dest reads local state .* that no stack of this synth output writes/,
    ],
  ])("%s", async (_name, dir, message) => {
    const run = verify(dir());
    await expect(run).rejects.toThrow(VerifyInputError);
    await expect(verify(dir())).rejects.toThrow(message);
  });
});

describe("the IAM engine's gaps are worked around in one place", () => {
  const simulation = (context: Record<string, string>) => ({
    request: {
      principal: "arn:aws:sts::111111111111:assumed-role/r/s",
      action: "kms:Decrypt",
      resource: { resource: "arn:aws:kms:us-east-1:111111111111:key/k", accountId: "111111111111" },
      contextVariables: context,
    },
    identityPolicies: [
      {
        name: "p",
        policy: {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::b" } } }],
        },
      },
    ],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" }] },
  });

  test("iam-simulate's checked engine drops kms:EncryptionContext:aws:s3:arn (the gap this works around)", async () => {
    const r = await runSimulation(simulation({ "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::b" }), {});
    expect(r.resultType === "single" && r.result.ignoredContextKeys).toEqual(["kms:EncryptionContext:aws:s3:arn"]);
    expect(r.resultType === "single" && r.overallResult).toBe("ImplicitlyDenied");
  });

  test("evaluate() applies the condition: the right context is allowed, a wrong one denied", async () => {
    expect((await evaluate(simulation({ "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::b" }))).result).toBe("Allowed");
    expect((await evaluate(simulation({ "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::other" }))).result).toBe("ImplicitlyDenied");
  });

  test("the cached collator compares exactly as localeCompare does, with every option the engine passes", () => {
    const strings = ["s3:GetObject", "S3:getobject", "kms:Decrypt", "arn:aws:s3:::bucket/*", "ARN:AWS:S3:::BUCKET/*", "a", "A", "á", "b", ":", "/", "*", "", "alias/aws/", "Alias/AWS/", "role-Name", "role-name"];
    const cases: [string | undefined, Intl.CollatorOptions | undefined][] = [
      [undefined, undefined],
      [undefined, { sensitivity: "accent" }],
      ["en", { sensitivity: "base" }],
    ];
    for (const [locales, options] of cases) {
      for (const a of strings) {
        for (const b of strings) {
          expect([a, b, locales, options, cachedLocaleCompare.call(a, b, locales, options)]).toEqual([a, b, locales, options, uncachedLocaleCompare.call(a, b, locales, options)]);
        }
      }
    }
  });

  test("the cached localeCompare follows an options object changed between calls, as Node's does", () => {
    const options: Intl.CollatorOptions = { sensitivity: "accent" };
    expect(cachedLocaleCompare.call("a", "A", undefined, options)).toBe(0);
    options.sensitivity = "case";
    expect(cachedLocaleCompare.call("a", "A", undefined, options)).toBe(uncachedLocaleCompare.call("a", "A", undefined, options));
    expect(cachedLocaleCompare.call("a", "A", undefined, options)).not.toBe(0);
    expect(cachedLocaleCompare.call("a", "A", "en", options)).toBe(uncachedLocaleCompare.call("a", "A", "en", options));
    expect(cachedLocaleCompare.call("a", "A")).toBe(uncachedLocaleCompare.call("a", "A"));
  });

  test("any other key the engine would ignore is an error, never a silent pass", async () => {
    await expect(evaluate(simulation({ "s3:prefix": "x" }))).rejects.toThrow(EngineGapError);
    await expect(evaluate(simulation({ "s3:prefix": "x" }))).rejects.toThrow(/ignored context key\(s\) s3:prefix for kms:Decrypt/);
  });
});

describe("npm run verify (the command)", () => {
  const cliWith = (env: NodeJS.ProcessEnv, ...args: string[]) =>
    spawnSync(process.execPath, [path.join(PROJECT_ROOT, "dist", "tools", "verify.js"), ...args], { cwd: PROJECT_ROOT, encoding: "utf8", env });
  const cli = (...args: string[]) => cliWith(process.env, ...args);

  test("passes with exit 0 and a table", () => {
    const r = cli("--dir", defaultSynth);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/PASS: 44 checks and 35 requests hold, and nothing beyond the intended access is allowed \(\d+ requests analysed/);
    expect(r.stdout).toMatch(/ok\s+S3 assumes the replication role for Alice's bucket\s+sts:AssumeRole/);
  });

  test("--json is machine-readable; --markdown is a table for a pull request", () => {
    const json = JSON.parse(cli("--dir", defaultSynth, "--json").stdout);
    expect(json.ok).toBe(true);
    expect(json.requests).toHaveLength(35);
    const md = cli("--dir", defaultSynth, "--markdown").stdout;
    expect(md).toMatch(/^### Replication proof: ✅ passes\n\n\| \| holds \| fails \|\n\|---\|---\|---\|\n\| static checks \| 44 \| 0 \|\n\| requests \| 35 \| 0 \|/);
    expect(md).toContain('  s0 -- "Replicate_to_Bob_bucket" --> d0');
    expect(md).toContain("<details><summary>✅ alice-replication-source-111111111111: ");
  });

  test("a mistake exits 1 and names the fix", () => {
    const r = cli("--dir", mutated((s) => delete rule(s).source_selection_criteria));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL \[alice-replication-source-111111111111\] KMS-encrypted objects are replicated: .*\n\s+fix: set source_selection_criteria/);
  });

  test("--live refuses synth output made for other accounts than the config's (exit 2)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "live-"));
    const config = writeConfigFile(dir, "other-account", (raw) => (raw.destination.accountId = "333333333333"));
    const r = cli("--dir", defaultSynth, "--live", "--config", config);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^verify: stack dest in .* is for account 222222222222 in us-west-2, but the config says 333333333333 in us-west-2: run cdktf synth with this config first/);
    rmSync(dir, { recursive: true, force: true });
  });

  test("--live without usable credentials for Alice's account (profile alice absent) exits 2 naming the account and the profile", () => {
    const home = mkdtempSync(path.join(tmpdir(), "no-aws-"));
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, AWS_EC2_METADATA_DISABLED: "true", AWS_CONFIG_FILE: path.join(home, "none"), AWS_SHARED_CREDENTIALS_FILE: path.join(home, "none") };
    const r = cliWith(env, "--dir", defaultSynth, "--live");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^verify: cannot act in the source account 111111111111 with profile alice \(CredentialsProviderError: .*\): set its credentials in the config/m);
    rmSync(home, { recursive: true, force: true });
  });

  test("--config without --live is a usage error (exit 2)", () => {
    const r = cli("--dir", defaultSynth, "--config", "replication.config.json");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--config is read only with --live/);
  });

  test("the header names the config the output was synthesized from", () => {
    expect(cli("--dir", defaultSynth).stdout.split("\n")[0]).toMatch(new RegExp(`^Replication proof of ${defaultSynth}, synthesized from replication.config.json \\(sha256 [0-9a-f]{12}\\)$`));
  });

  test("a config changed since synth (or whose last synth failed) is a warning at the top", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "changed-"));
    const config = writeConfigFile(dir, "pair", () => undefined);
    const synth = runApp(config).outdir;
    writeFileSync(config, "{ broken");
    const r = cli("--dir", synth);
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")[2]).toBe(`warning: ${path.relative(PROJECT_ROOT, config)} has changed since ${synth} was synthesized (or its last synth failed): this proves the older config; run npx cdktf synth again`);
    expect(JSON.parse(cli("--dir", synth, "--json").stdout).warnings).toHaveLength(1);
  });

  test("--output writes the report to a file and leaves stdout empty", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "output-")), "report.json");
    const r = cli("--dir", defaultSynth, "--json", "--output", file);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`verify: PASS, report written to ${file}\n`);
    expect(JSON.parse(readFileSync(file, "utf8")).ok).toBe(true);
  });

  test("unusable input exits 2 with what to run", () => {
    const r = cli("--dir", path.join(tmpdir(), "absent-synth"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^verify: no synth output at .*run `npx cdktf synth` first/);
  });
});
