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
  defaultReverseRoleName,
  emulator,
  kmsAliasName,
  metricsFollowReplicationTimeControl,
  monitoring,
  objectLock,
  region,
  resolvedMetrics,
  reverseRoleName,
  roleName,
  ruleSwitches,
  schemaReference,
  tags,
} from "./fields";
import type { ReplicationConfig } from "./types";

const sourceSide = z
  .strictObject({
    accountId: accountId.describe("Alice's 12-digit account ID, as a string"),
    region: region.describe("region of Alice's bucket and key (standard aws partition)"),
    bucketName: bucketName.describe("Alice's bucket; S3 naming rules, no dots (TLS only)"),
    kmsKeyAlias: kmsAliasName.describe("alias of Alice's key, without alias/; not aws/..."),
    replicationRoleName: roleName.describe("name of the role S3 assumes to replicate"),
    credentials: credentials.optional(),
    objectLock: objectLock.optional(),
  })
  .describe("Alice: the source account, its bucket, key and replication role");

const destinationSide = z
  .strictObject({
    accountId: accountId.describe("Bob's 12-digit account ID, as a string; not Alice's"),
    region: region.describe("region of Bob's bucket and replica key"),
    bucketName: bucketName.describe("Bob's bucket; not Alice's"),
    kmsKeyAlias: kmsAliasName.describe("alias of Bob's replica key, without alias/"),
    credentials: credentials.optional(),
    objectLock: objectLock.optional(),
  })
  .describe("Bob: the destination account, its bucket and replica key");

const replication = z
  .strictObject({
    ruleId: z.string().min(1).max(255, "must be at most 255 characters").default("Replicate_to_Bob_bucket").describe("ID of the replication rule"),
    ...ruleSwitches,
    reverseRoleName: reverseRoleName.optional(),
  })
  // prefault: an absent section is parsed as {}, so the field defaults above apply.
  .prefault({})
  .describe("the replication rule's switches")
  .superRefine(metricsFollowReplicationTimeControl("replication.replicationTimeControl"));

export const pairSchema = z
  .strictObject({
    $schema: schemaReference,
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
    if (c.replication.twoWay && c.destination.objectLock && !c.source.objectLock) {
      ctx.addIssue({
        code: "custom",
        path: ["source", "objectLock"],
        message: "is needed because replication.twoWay is true and destination.objectLock is set: S3 would fail every locked version replicated back into Alice's bucket (DstBucketObjectLockConfigMissing)",
      });
    }
    if (c.replication.reverseRoleName !== undefined && !c.replication.twoWay) {
      ctx.addIssue({ code: "custom", path: ["replication", "reverseRoleName"], message: "names the role of the way back: set replication.twoWay to true, or remove it" });
    }
    const reverseRole = c.replication.reverseRoleName ?? defaultReverseRoleName(c.destination.bucketName);
    if (c.replication.twoWay && reverseRole.length > 64) {
      ctx.addIssue({ code: "custom", path: ["replication", "reverseRoleName"], message: `is needed: the default "${reverseRole}" is longer than IAM's 64 characters` });
    }
    if (c.source.objectLock && !c.destination.objectLock) {
      ctx.addIssue({
        code: "custom",
        path: ["destination", "objectLock"],
        message: "is needed because source.objectLock is set: S3 fails every locked version replicated into a bucket without Object Lock (DstBucketObjectLockConfigMissing)",
      });
    }
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
          ...(c.source.objectLock ? { objectLock: c.source.objectLock } : {}),
          rules: [
            {
              id: c.replication.ruleId,
              destinationBucket: c.destination.bucketName,
              replicateDeleteMarkers: c.replication.replicateDeleteMarkers,
              metrics: resolvedMetrics(c.replication, c.monitoring.enabled),
              replicationTimeControl: c.replication.replicationTimeControl,
              ownerOverride: c.replication.ownerOverride,
              twoWay: c.replication.twoWay,
              ...(c.replication.twoWay ? { reverseRoleName: c.replication.reverseRoleName ?? defaultReverseRoleName(c.destination.bucketName) } : {}),
            },
          ],
        },
      ],
      destinationBuckets: [
        { bucketName: c.destination.bucketName, kmsKeyAlias: c.destination.kmsKeyAlias, ...(c.destination.objectLock ? { objectLock: c.destination.objectLock } : {}) },
      ],
      tags: c.tags,
      backend: c.backend,
      monitoring: c.monitoring,
      ...(c.emulator ? { emulator: c.emulator } : {}),
    }),
  );
