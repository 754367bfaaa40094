import { readFileSync } from "node:fs";
import * as path from "node:path";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { parseConfig } from "../../lib/config";
import { configWith, fleetConfig, policyIn, PROJECT_ROOT, statement, synthPair } from "../support/fixtures";

const ALICE = "111111111111";
const BOB = "222222222222";
const SOURCE_BUCKET = "alice-replication-source-111111111111";
const DEST_BUCKET = "bob-replication-destination-222222222222";

describe("source stack (Alice), default config", () => {
  const { source, sourceText } = synthPair();
  const rolePolicy = policyIn(source, "aws_iam_role_policy", "replication_role_policy");

  test("creates each bucket setting as its own resource, not the deprecated inline blocks", () => {
    expect(sourceText).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: "Enabled" } });
    expect(sourceText).toHaveResource(S3BucketServerSideEncryptionConfigurationA);
    const bucket = source.resource.aws_s3_bucket.source_bucket;
    for (const inline of ["versioning", "server_side_encryption_configuration", "replication_configuration", "acl", "policy"]) {
      expect(bucket[inline]).toBeUndefined();
    }
  });

  test("has one AWS provider, aliased alice, pinned to Alice's account", () => {
    expect(source.provider.aws).toEqual([
      {
        alias: "alice",
        region: "us-east-1",
        allowed_account_ids: [ALICE],
        profile: "alice",
        default_tags: [{ tags: { Project: "s3-cross-account-replication", ManagedBy: "cdktf" } }],
      },
    ]);
    for (const resources of Object.values(source.resource)) {
      for (const r of Object.values(resources)) expect(r.provider).toBe("aws.alice");
    }
  });

  test("keeps its state in a relative local path", () => {
    expect(source.terraform.backend).toEqual({ local: { path: "../../../terraform.source.tfstate" } });
    expect(source.terraform.required_providers.aws.version).toBe("5.100.0");
  });

  test("reads nothing from the dest stack", () => {
    expect(source.data).toBeUndefined();
  });

  test("the replication role trusts only S3, for Alice's source bucket", () => {
    const role = source.resource.aws_iam_role.replication_role;
    expect(role.name).toBe("s3-replication-alice-to-bob");
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "S3ReplicatesAliceSourceBucket",
          Effect: "Allow",
          Principal: { Service: "s3.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": ALICE },
            ArnLike: { "aws:SourceArn": `arn:aws:s3:::${SOURCE_BUCKET}` },
          },
        },
      ],
    });
  });

  test("the role policy is attached to the role", () => {
    expect(source.resource.aws_iam_role_policy.replication_role_policy.role).toBe("${aws_iam_role.replication_role.id}");
  });

  test("the role reads the source bucket's configuration and object versions", () => {
    expect(statement(rolePolicy, "ReadSourceBucketReplicationConfiguration")).toEqual({
      Sid: "ReadSourceBucketReplicationConfiguration",
      Effect: "Allow",
      Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
      Resource: `arn:aws:s3:::${SOURCE_BUCKET}`,
    });
    expect(statement(rolePolicy, "ReadSourceObjectVersions")).toEqual({
      Sid: "ReadSourceObjectVersions",
      Effect: "Allow",
      Action: [
        "s3:GetObjectVersionForReplication",
        "s3:GetObjectVersionAcl",
        "s3:GetObjectVersionTagging",
        "s3:GetObjectVersion",
      ],
      Resource: `arn:aws:s3:::${SOURCE_BUCKET}/*`,
    });
  });

  test("the role writes replicas into Bob's bucket only", () => {
    expect(statement(rolePolicy, "WriteReplicasToDestinationBucket")).toEqual({
      Sid: "WriteReplicasToDestinationBucket",
      Effect: "Allow",
      Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
      Resource: `arn:aws:s3:::${DEST_BUCKET}/*`,
    });
  });

  test("the role decrypts with Alice's key only through S3, for the source bucket's objects with or without a Bucket Key", () => {
    expect(statement(rolePolicy, "DecryptSourceObjects")).toEqual({
      Sid: "DecryptSourceObjects",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: "${aws_kms_key.source_key.arn}",
      Condition: {
        StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": [`arn:aws:s3:::${SOURCE_BUCKET}`, `arn:aws:s3:::${SOURCE_BUCKET}/*`] },
      },
    });
  });

  test("the role uses Bob's replica key, named by alias, only through S3 in Bob's region (Decrypt for multipart replicas)", () => {
    expect(statement(rolePolicy, "EncryptReplicasWithDestinationKey")).toEqual({
      Sid: "EncryptReplicasWithDestinationKey",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"],
      Resource: `arn:aws:kms:us-west-2:${BOB}:key/*`,
      Condition: {
        StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": [`arn:aws:s3:::${DEST_BUCKET}`, `arn:aws:s3:::${DEST_BUCKET}/*`] },
        "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/bob-replication-replica" },
      },
    });
    expect(rolePolicy.Statement).toHaveLength(5);
  });

  test("Alice's key: customer managed, symmetric, rotated, 30-day deletion window, administered by Alice", () => {
    const key = source.resource.aws_kms_key.source_key;
    expect(key).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      key_usage: "ENCRYPT_DECRYPT",
      customer_master_key_spec: "SYMMETRIC_DEFAULT",
    });
    expect(JSON.parse(key.policy).Statement).toEqual([
      {
        Sid: "EnableIamPoliciesOfTheOwningAccount",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${ALICE}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ]);
    expect(source.resource.aws_kms_alias.source_key_alias).toMatchObject({
      name: "alias/alice-replication-source",
      target_key_id: "${aws_kms_key.source_key.key_id}",
    });
  });

  test("the source bucket: versioned, SSE-KMS with Alice's key and Bucket Keys, private, TLS only", () => {
    const r = source.resource;
    expect(r.aws_s3_bucket.source_bucket.bucket).toBe(SOURCE_BUCKET);
    expect(r.aws_s3_bucket.source_bucket.force_destroy).toBeUndefined();
    expect(r.aws_s3_bucket_versioning.source_bucket.versioning_configuration).toEqual({ status: "Enabled" });
    expect(r.aws_s3_bucket_server_side_encryption_configuration.source_bucket.rule).toEqual([
      {
        apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.source_key.arn}" },
        bucket_key_enabled: true,
      },
    ]);
    expect(r.aws_s3_bucket_public_access_block.source_bucket).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(r.aws_s3_bucket_ownership_controls.source_bucket.rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    expect(policyIn(source, "aws_s3_bucket_policy", "source_bucket").Statement).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${SOURCE_BUCKET}`, `arn:aws:s3:::${SOURCE_BUCKET}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
    expect(r.aws_s3_bucket_policy.source_bucket.depends_on).toEqual(["aws_s3_bucket_public_access_block.source_bucket"]);
  });

  test("the replication configuration follows the article, with the standalone resource", () => {
    const replication = source.resource.aws_s3_bucket_replication_configuration.replication;
    expect(replication.bucket).toBe("${aws_s3_bucket.source_bucket.id}");
    expect(replication.role).toBe("${aws_iam_role.replication_role.arn}");
    expect(replication.depends_on).toEqual([
      "aws_s3_bucket_versioning.source_bucket",
      "aws_iam_role_policy.replication_role_policy",
    ]);
    expect(replication.rule).toEqual([
      {
        id: "Replicate_to_Bob_bucket",
        status: "Enabled",
        filter: {},
        delete_marker_replication: { status: "Disabled" },
        source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
        destination: {
          bucket: `arn:aws:s3:::${DEST_BUCKET}`,
          account: BOB,
          encryption_configuration: { replica_kms_key_id: `arn:aws:kms:us-west-2:${BOB}:alias/bob-replication-replica` },
          access_control_translation: { owner: "Destination" },
        },
      },
    ]);
  });

  test("the bring-up variables hold back only the replication configuration (all of it, or the listed buckets')", () => {
    expect(source.variable?.destination_ready).toMatchObject({ type: "bool", default: true, nullable: false });
    expect(source.variable?.held_back_source_buckets).toMatchObject({ type: "list(string)", default: [], nullable: false });
    const counted = Object.entries(source.resource).flatMap(([type, rs]) =>
      Object.entries(rs)
        .filter(([, r]) => r.count !== undefined)
        .map(([name, r]) => [`${type}.${name}`, r.count]),
    );
    expect(counted).toEqual([
      ["aws_s3_bucket_replication_configuration.replication", '${(var.destination_ready && !contains(var.held_back_source_buckets, "alice-replication-source-111111111111")) ? 1 : 0}'],
    ]);
  });

  test("outputs what the dest stack and pipelines need", () => {
    expect(Object.fromEntries(Object.entries(source.output).map(([k, o]) => [k, o.value]))).toEqual({
      replication_role_arn: "${aws_iam_role.replication_role.arn}",
      source_bucket_arn: "${aws_s3_bucket.source_bucket.arn}",
      source_bucket_name: "${aws_s3_bucket.source_bucket.bucket}",
      source_kms_key_arn: "${aws_kms_key.source_key.arn}",
      replication_enabled: "${var.destination_ready}",
      replication_held_back: "${var.held_back_source_buckets}",
    });
    for (const o of Object.values(source.output)) expect(o.description).toBeTruthy();
  });
});

describe("source stack, configured variations", () => {
  test("without owner override: no access control translation, no override permission", () => {
    const { source } = synthPair(configWith((r) => (r.replication.ownerOverride = false)));
    const rule = source.resource.aws_s3_bucket_replication_configuration.replication.rule[0];
    expect(rule.destination.access_control_translation).toBeUndefined();
    const write = statement(policyIn(source, "aws_iam_role_policy", "replication_role_policy"), "WriteReplicasToDestinationBucket");
    expect(write.Action).toEqual(["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]);
  });

  test("rule ID, delete marker replication and metrics are configurable; metrics alone carry no event threshold", () => {
    const { source } = synthPair(
      configWith((r) => {
        r.replication.ruleId = "alice-to-bob";
        r.replication.replicateDeleteMarkers = true;
        r.replication.metrics = true;
      }),
    );
    const rule = source.resource.aws_s3_bucket_replication_configuration.replication.rule[0];
    expect(rule.id).toBe("alice-to-bob");
    expect(rule.delete_marker_replication).toEqual({ status: "Enabled" });
    // S3 rejects an event threshold without Replication Time Control.
    expect(rule.destination.metrics).toEqual({ status: "Enabled" });
    expect(rule.destination.replication_time).toBeUndefined();
  });

  test("Replication Time Control brings metrics with the 15-minute event threshold", () => {
    const { source } = synthPair(configWith((r) => (r.replication.replicationTimeControl = true)));
    const { destination } = source.resource.aws_s3_bucket_replication_configuration.replication.rule[0];
    expect(destination.replication_time).toEqual({ status: "Enabled", time: { minutes: 15 } });
    expect(destination.metrics).toEqual({ status: "Enabled", event_threshold: { minutes: 15 } });
  });

  test("an assumed deploy role replaces the profile", () => {
    const { source } = synthPair(
      configWith((r) => (r.source.credentials = { assumeRoleArn: `arn:aws:iam::${ALICE}:role/deployer`, externalId: "ext-1" })),
    );
    const provider = source.provider.aws[0];
    expect(provider.profile).toBeUndefined();
    expect(provider.assume_role).toEqual([{ role_arn: `arn:aws:iam::${ALICE}:role/deployer`, external_id: "ext-1" }]);
  });

  test("no credentials: the provider's default chain (e.g. workspace environment variables)", () => {
    const { source } = synthPair(configWith((r) => delete r.source.credentials));
    const provider = source.provider.aws[0];
    expect(provider.profile).toBeUndefined();
    expect(provider.assume_role).toBeUndefined();
    expect(provider.allowed_account_ids).toEqual([ALICE]);
  });

  test("the default synth carries no emulator settings", () => {
    const { source, dest } = synthPair();
    for (const p of [source.provider.aws[0], dest.provider.aws[0]]) {
      expect(p.endpoints).toBeUndefined();
      expect(p.access_key).toBeUndefined();
      expect(p.secret_key).toBeUndefined();
    }
  });
});

describe("source stack of examples/fleet.json", () => {
  const { source } = synthPair(fleetConfig());
  const APP_LOGS = "alice_app_logs_111111111111";
  const WEB_LOGS = "alice_web_logs_111111111111";
  const rolePolicyOf = (id: string) => policyIn(source, "aws_iam_role_policy", `${id}_replication_role_policy`);

  test("one resource per bucket, named after it, so a plan names every bucket", () => {
    expect(Object.keys(source.resource.aws_s3_bucket)).toEqual([APP_LOGS, "alice_documents_111111111111", WEB_LOGS].sort());
    expect(Object.keys(source.resource.aws_iam_role)).toEqual([`${APP_LOGS}_replication_role`, "alice_documents_111111111111_replication_role", `${WEB_LOGS}_replication_role`].sort());
    expect(Object.keys(source.resource.aws_s3_bucket_replication_configuration)).toHaveLength(3);
    expect(source.output[`replication_role_arn_${WEB_LOGS}`].value).toBe(`\${aws_iam_role.${WEB_LOGS}_replication_role.arn}`);
  });

  test("each role is trusted by S3 for its own bucket only", () => {
    const trust = policyIn(source, "aws_iam_role", `${WEB_LOGS}_replication_role`, "assume_role_policy");
    expect(trust.Statement[0].Condition).toEqual({
      StringEquals: { "aws:SourceAccount": ALICE },
      ArnLike: { "aws:SourceArn": "arn:aws:s3:::alice-web-logs-111111111111" },
    });
  });

  test("a role names only its bucket, its rules' destinations and their keys", () => {
    const web = rolePolicyOf(WEB_LOGS);
    expect(JSON.stringify(web)).not.toContain("bob-backup");
    expect(JSON.stringify(web)).not.toContain("alice-app-logs");
    expect(statement(web, "WriteReplicasToDestinationBucket").Resource).toBe("arn:aws:s3:::bob-log-archive-222222222222/*");
    expect(statement(web, "EncryptReplicasWithDestinationKey").Condition?.["ForAnyValue:StringEquals"]).toEqual({ "kms:ResourceAliases": "alias/bob-log-archive" });

    const app = rolePolicyOf(APP_LOGS);
    expect(statement(app, "WriteReplicasToDestinationBucket").Resource).toEqual(["arn:aws:s3:::bob-log-archive-222222222222/*", "arn:aws:s3:::bob-backup-222222222222/*"]);
    // one key grant per destination, each bound to that destination's bucket
    expect(statement(app, "EncryptReplicasWithDestinationKeyBobBackup222222222222").Condition).toMatchObject({
      StringLike: { "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::bob-backup-222222222222", "arn:aws:s3:::bob-backup-222222222222/*"] },
      "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/bob-backup" },
    });
  });

  test("rules carry their priority, filter and storage class", () => {
    const rules = source.resource.aws_s3_bucket_replication_configuration[`${APP_LOGS}_replication`].rule;
    expect(rules.map((r: any) => [r.id, r.priority, r.filter, r.destination.storage_class])).toEqual([
      ["app-logs-to-log-archive", 10, { prefix: "app-logs/" }, "STANDARD_IA"],
      ["app-audit-to-backup", 20, { prefix: "audit/" }, undefined],
    ]);
    const documents = source.resource.aws_s3_bucket_replication_configuration.alice_documents_111111111111_replication.rule[0];
    expect(documents.filter).toEqual({ tag: { key: "backup", value: "cross-account" } });
    expect(documents.destination.replication_time).toEqual({ status: "Enabled", time: { minutes: 15 } });
  });
});

describe("source stack with monitoring on (examples/monitoring.json)", () => {
  const { source } = synthPair(parseConfig(JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples", "monitoring.json"), "utf8"))));
  const r = source.resource;
  const TOPIC = "${aws_sns_topic.alerts.arn}";

  test("a topic encrypted with its own key, which S3 and CloudWatch of Alice's account may use", () => {
    expect(r.aws_sns_topic.alerts).toMatchObject({ name: "s3-replication-alerts", kms_master_key_id: "${aws_kms_key.alerts_key.arn}" });
    expect(r.aws_kms_key.alerts_key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(statement(policyIn(source, "aws_kms_key", "alerts_key"), "S3AndCloudWatchPublishEncryptedAlerts")).toEqual({
      Sid: "S3AndCloudWatchPublishEncryptedAlerts",
      Effect: "Allow",
      Principal: { Service: ["s3.amazonaws.com", "cloudwatch.amazonaws.com"] },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": ALICE } },
    });
  });

  test("S3 publishes only for these buckets, CloudWatch only for this account's alarms", () => {
    const topicPolicy = policyIn(source, "aws_sns_topic_policy", "alerts");
    expect(statement(topicPolicy, "S3PublishesReplicationEvents").Condition).toEqual({
      StringEquals: { "aws:SourceAccount": ALICE },
      ArnLike: { "aws:SourceArn": ["arn:aws:s3:::alice-orders-111111111111", "arn:aws:s3:::alice-customers-111111111111"] },
    });
    expect(statement(topicPolicy, "CloudWatchPublishesAlarms").Condition?.ArnLike).toEqual({ "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${ALICE}:alarm:*` });
    expect(statement(topicPolicy, "AliceManagesAndSubscribes").Principal).toEqual({ AWS: `arn:aws:iam::${ALICE}:root` });
  });

  test("each bucket sends its failures (and, with RTC, missed thresholds) to the topic, once the topic policy lets it", () => {
    expect(r.aws_s3_bucket_notification.alice_orders_111111111111).toMatchObject({
      bucket: "${aws_s3_bucket.alice_orders_111111111111.id}",
      topic: [{ topic_arn: TOPIC, events: ["s3:Replication:OperationFailedReplication", "s3:Replication:OperationMissedThreshold"] }],
      depends_on: ["aws_sns_topic_policy.alerts"],
    });
    expect(r.aws_s3_bucket_notification.alice_customers_111111111111.topic[0].events).toEqual(["s3:Replication:OperationFailedReplication"]);
  });

  test("an alarm per rule on its OperationsFailedReplication, notifying the topic", () => {
    expect(Object.keys(r.aws_cloudwatch_metric_alarm).sort()).toEqual([
      "alice_customers_111111111111_customers_to_archive_failed",
      "alice_orders_111111111111_invoices_to_archive_failed",
      "alice_orders_111111111111_orders_to_archive_failed",
    ]);
    expect(r.aws_cloudwatch_metric_alarm.alice_orders_111111111111_invoices_to_archive_failed).toMatchObject({
      namespace: "AWS/S3",
      metric_name: "OperationsFailedReplication",
      statistic: "Sum",
      period: 300,
      threshold: 0,
      comparison_operator: "GreaterThanThreshold",
      treat_missing_data: "ignore",
      dimensions: { SourceBucket: "alice-orders-111111111111", DestinationBucket: "bob-archive-222222222222", RuleId: "invoices-to-archive" },
      alarm_actions: [TOPIC],
    });
    expect(r.aws_sns_topic_subscription.alerts_0).toMatchObject({ protocol: "email", endpoint: "storage-oncall@example.com", topic_arn: TOPIC });
    expect(source.output.alerts_topic_arn.value).toBe(TOPIC);
  });
});

describe("source stack, adopting an existing bucket (examples/adopt-existing.json)", () => {
  const config = parseConfig(JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples", "adopt-existing.json"), "utf8")));
  const { source } = synthPair(config);
  const ADOPTED = "alice-customers-archive-111111111111";
  const id = "alice_customers_archive_111111111111";
  const OWN_KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  test("imports the bucket and its policy (Terraform import blocks), and nothing of the new bucket", () => {
    expect((source as any).import).toEqual([
      { id: ADOPTED, provider: "aws.alice", to: `aws_s3_bucket.${id}` },
      { id: ADOPTED, provider: "aws.alice", to: `aws_s3_bucket_policy.${id}` },
    ]);
  });

  test("never destroys the adopted bucket; the new one has no such lifecycle", () => {
    expect(source.resource.aws_s3_bucket[id].lifecycle).toEqual({ prevent_destroy: true });
    expect(source.resource.aws_s3_bucket.alice_invoices_111111111111.lifecycle).toBeUndefined();
    expect(source.resource.aws_s3_bucket[id].force_destroy).toBeUndefined();
  });

  test("the bucket policy keeps the bucket's own statement, after the stack's TLS-only deny", () => {
    const policy = policyIn(source, "aws_s3_bucket_policy", id);
    expect(policy.Statement.map((s) => s.Sid)).toEqual(["DenyInsecureTransport", "AnalyticsReadsCustomerExports"]);
    expect(statement(policy, "AnalyticsReadsCustomerExports")).toEqual(config.sourceBuckets[0].existing!.bucketPolicyStatements[0]);
  });

  test("its own key is kept: no key, alias or key policy for it; encryption and the role use the key's ARN", () => {
    expect(Object.keys(source.resource.aws_kms_key)).toEqual(["alice_invoices_111111111111_key"]);
    const sse = source.resource.aws_s3_bucket_server_side_encryption_configuration[id].rule[0].apply_server_side_encryption_by_default;
    expect(sse).toEqual({ kms_master_key_id: OWN_KEY, sse_algorithm: "aws:kms" });
    expect(statement(policyIn(source, "aws_iam_role_policy", `${id}_replication_role_policy`), "DecryptSourceObjects").Resource).toBe(OWN_KEY);
    expect(source.output[`source_kms_key_arn_${id}`].value).toBe(OWN_KEY);
  });

  test("backfill: a Batch Operations role limited to Alice's account, tagged with its bucket and report prefix", () => {
    const role = source.resource.aws_iam_role[`${id}_backfill_role`];
    expect(role.name).toBe(`s3-backfill-${ADOPTED}`);
    expect(role.tags).toEqual({ "s3-replication:backfill-bucket": ADOPTED, "s3-replication:backfill-report-prefix": "batch-replication-reports/" });
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      { Sid: "S3BatchOperationsOfAliceAccount", Effect: "Allow", Principal: { Service: "batchoperations.s3.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": ALICE } } },
    ]);
    const policy = policyIn(source, "aws_iam_role_policy", `${id}_backfill_role_policy`);
    expect(policy.Statement.map((s) => [s.Action, s.Resource])).toEqual([
      ["s3:InitiateReplication", `arn:aws:s3:::${ADOPTED}/*`],
      [["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration"], `arn:aws:s3:::${ADOPTED}`],
      ["s3:PutObject", `arn:aws:s3:::${ADOPTED}/batch-replication-reports/*`],
      ["kms:GenerateDataKey", OWN_KEY],
    ]);
    expect(source.output[`backfill_role_arn_${id}`]).toBeDefined();
    expect(source.resource.aws_iam_role.alice_invoices_111111111111_backfill_role).toBeUndefined();
  });
});
