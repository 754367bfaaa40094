// The single-pair file shape: one source bucket of Alice's replicating into one destination bucket
// of Bob's (the committed replication.config.json). It becomes a ReplicationConfig with one rule,
// and keeps the resource addresses it has always synthesized.
import { z } from "zod";
import {
  accountId,
  backend,
  bucketName,
  checkAccountsAndBackend,
  checkMetricsForMonitoring,
  credentials,
  emulator,
  kmsAliasName,
  metricsFollowReplicationTimeControl,
  monitoring,
  region,
  resolvedMetrics,
  roleName,
  ruleSwitches,
  tags,
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
    ...ruleSwitches,
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
