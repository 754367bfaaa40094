// The S3 Batch Replication job `npm run backfill` starts for one of Alice's buckets, as data: the
// CreateJob request (operation S3ReplicateObject, a manifest S3 generates from the objects whose
// replication status is NONE or FAILED, a completion report under the bucket's report prefix), and
// how to follow the job once started.
import { createHash } from "node:crypto";
import type { CreateJobCommandInput } from "@aws-sdk/client-s3-control";
import { bucketArn, roleArn } from "../../lib/arns";
import type { ReplicationConfig, SourceBucketConfig } from "../../lib/config";

/** Objects that never replicated (written before the rules) or whose replication failed. */
export const BACKFILL_REPLICATION_STATUSES = ["NONE", "FAILED"] as const;

export class BackfillInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackfillInputError";
  }
}

/** The source bucket of the config with backfill on, or an error that says which field to set. */
export function backfillBucket(config: ReplicationConfig, bucketName: string): SourceBucketConfig & { backfill: NonNullable<SourceBucketConfig["backfill"]> } {
  const index = config.sourceBuckets.findIndex((b) => b.bucketName === bucketName);
  if (index < 0) {
    throw new BackfillInputError(`--bucket ${bucketName} is not one of Alice's buckets in the config (sourceBuckets: ${config.sourceBuckets.map((b) => b.bucketName).join(", ")})`);
  }
  const bucket = config.sourceBuckets[index];
  if (!bucket.backfill) {
    throw new BackfillInputError(
      `sourceBuckets.${index}.backfill is not set for ${bucketName}: add "backfill": { "reportPrefix": "batch-replication-reports/" } (fleet shape), run cdktf deploy source (it creates the backfill role), then run this again`,
    );
  }
  return bucket as SourceBucketConfig & { backfill: NonNullable<SourceBucketConfig["backfill"]> };
}

/**
 * The client token of a job: the same bucket, config and UTC day give the same token, so running
 * the same command again (a retry, a second terminal) returns the job already started instead of
 * starting a second one. A new job the same day needs a token of its own (--token).
 */
export function backfillToken(config: ReplicationConfig, bucketName: string, day: Date): string {
  return createHash("sha256")
    .update(JSON.stringify([bucketName, config, day.toISOString().slice(0, 10)]))
    .digest("hex");
}

/** The CreateJob request for one bucket. `token` makes a retried request start one job, not two. */
export function backfillJobRequest(config: ReplicationConfig, bucketName: string, token: string): CreateJobCommandInput {
  const bucket = backfillBucket(config, bucketName);
  const sourceAccount = config.sourceAccount.accountId;
  return {
    AccountId: sourceAccount,
    ClientRequestToken: token,
    ConfirmationRequired: false,
    Priority: 10,
    RoleArn: roleArn(sourceAccount, bucket.backfill.roleName),
    Description: `Backfill s3://${bucketName}: replicate the objects written before its replication rules, and retry failed ones`,
    Operation: { S3ReplicateObject: {} },
    ManifestGenerator: {
      S3JobManifestGenerator: {
        ExpectedBucketOwner: sourceAccount,
        SourceBucket: bucketArn(bucketName),
        // No manifest file is written: the role may write reports only.
        EnableManifestOutput: false,
        Filter: { EligibleForReplication: true, ObjectReplicationStatuses: [...BACKFILL_REPLICATION_STATUSES] },
      },
    },
    Report: {
      Bucket: bucketArn(bucketName),
      // S3 writes <Prefix>/job-<id>/...: the prefix without its "/" keeps the report under it.
      Prefix: bucket.backfill.reportPrefix.replace(/\/$/, ""),
      Format: "Report_CSV_20180820",
      Enabled: true,
      ReportScope: "AllTasks",
    },
  };
}

/** What to run to follow a started job, and where its report lands. */
export function followInstructions(config: ReplicationConfig, bucketName: string, jobId: string): string[] {
  const { accountId, region, credentials } = config.sourceAccount;
  const profile = credentials && "profile" in credentials ? ` --profile ${credentials.profile}` : "";
  const prefix = backfillBucket(config, bucketName).backfill.reportPrefix;
  return [
    `started S3 Batch Replication job ${jobId} on s3://${bucketName} (objects with replication status ${BACKFILL_REPLICATION_STATUSES.join(" or ")})`,
    `follow it:   aws s3control describe-job --account-id ${accountId} --region ${region} --job-id ${jobId}${profile}`,
    `its report:  s3://${bucketName}/${prefix}job-${jobId}/ once the job completes`,
    `replication: the bucket's alarms and failure notifications (monitoring) report objects that still fail`,
  ];
}
