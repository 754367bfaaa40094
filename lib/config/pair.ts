// The single-pair file shape: one source bucket of Alice's replicating into one destination bucket
// of Bob's (the committed replication.config.json). It becomes a ReplicationConfig with one rule,
// and keeps the resource addresses it has always synthesized.
import { z } from "zod";
import {
  accountId,
  backend,
  bucketName,
  checkAccountsAndBackend,
  credentials,
  emulator,
  kmsAliasName,
  metricsFollowReplicationTimeControl,
  region,
  roleName,
  tags,
  monitoring,
  resolvedMetrics,
  checkMetricsForMonitoring,
} from "./fields";
import type { ReplicationConfig } from "./types";

const sourceSide = z.strictObject({
  accountId,
  region,
  bucketName,
  kmsKeyAlias: kmsAliasName,
  replicationRoleName: roleName,
  credentials: credentials.optional(),
});

const destinationSide = z.strictObject({
  accountId,
  region,
  bucketName,
  kmsKeyAlias: kmsAliasName,
  credentials: credentials.optional(),
});

const replication = z
  .strictObject({
    ruleId: z.string().min(1).max(255, "must be at most 255 characters").default("Replicate_to_Bob_bucket"),
    // access_control_translation { owner = "Destination" }, as in the article.
    ownerOverride: z.boolean().default(true),
    // Off by default: a delete in Alice's bucket does not hide the replica in Bob's.
    replicateDeleteMarkers: z.boolean().default(false),
    // Replication metrics: needed for the OperationsFailedReplication CloudWatch metric.
    // Absent: on exactly when Replication Time Control is (S3 requires metrics with RTC).
    metrics: z.boolean().optional(),
    // S3 Replication Time Control: replication_time and a metrics event threshold, 15 minutes each.
    replicationTimeControl: z.boolean().default(false),
  })
  // prefault: an absent section is parsed as {}, so the field defaults above apply.
  .prefault({})
  .superRefine(metricsFollowReplicationTimeControl("replication.replicationTimeControl"));

export const pairSchema = z
  .strictObject({
    source: sourceSide,
    destination: destinationSide,
    replication,
    tags,
    backend,
    monitoring,
    emulator: emulator.optional(),
  })
  .superRefine((c, ctx) => {
    checkAccountsAndBackend(ctx, { source: [["source"], c.source], destination: [["destination"], c.destination] }, c.backend);
    checkMetricsForMonitoring(ctx, c.monitoring.enabled, [[["replication"], c.replication]]);
    if (c.source.bucketName === c.destination.bucketName) {
      ctx.addIssue({ code: "custom", path: ["destination", "bucketName"], message: "must differ from source.bucketName: bucket names are global" });
    }
  })
  .transform(
    (c): ReplicationConfig => ({
      shape: "pair",
      sourceAccount: { accountId: c.source.accountId, region: c.source.region, ...(c.source.credentials ? { credentials: c.source.credentials } : {}) },
      destinationAccount: {
        accountId: c.destination.accountId,
        region: c.destination.region,
        ...(c.destination.credentials ? { credentials: c.destination.credentials } : {}),
      },
      sourceBuckets: [
        {
          bucketName: c.source.bucketName,
          kmsKeyAlias: c.source.kmsKeyAlias,
          replicationRoleName: c.source.replicationRoleName,
          rules: [
            {
              id: c.replication.ruleId,
              destinationBucket: c.destination.bucketName,
              replicateDeleteMarkers: c.replication.replicateDeleteMarkers,
              metrics: resolvedMetrics(c.replication, c.monitoring.enabled),
              replicationTimeControl: c.replication.replicationTimeControl,
              ownerOverride: c.replication.ownerOverride,
            },
          ],
        },
      ],
      destinationBuckets: [{ bucketName: c.destination.bucketName, kmsKeyAlias: c.destination.kmsKeyAlias }],
      tags: c.tags,
      backend: c.backend,
      monitoring: c.monitoring,
      ...(c.emulator ? { emulator: c.emulator } : {}),
    }),
  );
