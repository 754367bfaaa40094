// Field schemas both config shapes share (./pair.ts, ./fleet.ts): each error message says what a
// valid value looks like.
import { z } from "zod";

// Standard "aws" partition only: every ARN this project writes starts with arn:aws:.
const REGION = /^(us|eu|ap|sa|ca|me|af|il|mx)-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d$/;

export const accountId = z
  .string()
  .regex(/^\d{12}$/, 'must be a 12-digit AWS account ID in quotes, e.g. "111111111111"');

export const region = z
  .string()
  .regex(REGION, 'must be an AWS region of the standard partition, e.g. "us-east-1" or "eu-west-1"');

// S3 general purpose bucket naming rules, plus no dots: a dotted name breaks TLS certificate
// matching on virtual-hosted-style HTTPS, and these buckets accept TLS only.
// Regexes rather than refinements, so the JSON Schema (replication.config.schema.json) carries them too.
export const bucketName = z
  .string()
  .min(3, "must be 3 to 63 characters long")
  .max(63, "must be 3 to 63 characters long")
  .regex(/^[^.]*$/, "must not contain dots: S3's wildcard TLS certificate (*.s3.amazonaws.com) does not match a dotted name in virtual-hosted-style HTTPS, and these buckets accept TLS only; use hyphens")
  .regex(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, "may hold only lowercase letters, digits and hyphens, and must begin and end with a letter or digit")
  .regex(/^(?!xn--|sthree-|amzn-s3-demo-)/, "must not begin with xn--, sthree- or amzn-s3-demo- (reserved by S3)")
  .regex(/^(?!.*(-s3alias|--ol-s3|--x-s3|--table-s3)$)/, "must not end with -s3alias, --ol-s3, --x-s3 or --table-s3 (reserved by S3)");

export const kmsAliasName = z
  .string()
  .min(1, "must not be empty")
  .max(250, "must be at most 250 characters")
  .regex(/^(?!alias\/)/, 'write the alias without the "alias/" prefix (it is added for you)')
  .regex(/^(?!aws\/)/, 'must not begin with "aws/": that prefix is reserved for AWS managed keys, which cannot be used across accounts')
  .regex(/^[a-zA-Z0-9/_-]*$/, "may hold only letters, digits, '/', '_' and '-'");

export const roleName = z
  .string()
  .regex(/^[\w+=,.@-]{1,64}$/, "must be 1 to 64 characters of letters, digits and +=,.@_-");

export const roleArn = z
  .string()
  .regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'must be an IAM role ARN, e.g. "arn:aws:iam::111111111111:role/deployer"');

// How terraform authenticates in one account. Absent: the provider's default chain
// (environment variables, e.g. the per-workspace credentials of Terraform Cloud).
export const credentials = z
  .union(
    [
      z.strictObject({ profile: z.string().min(1, "must name an AWS CLI profile").describe("an AWS CLI profile (~/.aws/config)") }),
      z.strictObject({
        assumeRoleArn: roleArn.describe("a role in this account that terraform assumes"),
        externalId: z.string().min(2).optional().describe("the external ID the role's trust policy asks for"),
        sessionName: z.string().regex(/^[\w+=,.@-]{2,64}$/, "must be 2 to 64 characters of letters, digits and +=,.@_-").optional().describe("the session name, as CloudTrail records it"),
      }),
    ],
    { error: 'must be either { "profile": "<aws cli profile>" } or { "assumeRoleArn": "arn:aws:iam::<account>:role/<name>" }' },
  )
  .describe('how terraform authenticates in this account: { "profile": "alice" } or { "assumeRoleArn": "arn:aws:iam::<account>:role/<name>" }; absent: the provider\'s default chain (e.g. a Terraform Cloud workspace\'s variables)');

export const tags = z
  .record(z.string().min(1).max(128), z.string().max(256))
  .default({})
  .describe("default_tags of both providers: every resource carries them");

const localBackend = z.strictObject({
  type: z.literal("local"),
  stateDir: z
    .string()
    .refine((d) => !d.startsWith("/") && !d.split(/[\\/]/).includes(".."), "must be a relative path inside the project, e.g. \"state\"")
    .default(".")
    .describe("folder of the two state files, relative to the project root"),
});

const s3Backend = z.strictObject({
  type: z.literal("s3"),
  bucket: bucketName.describe("the state bucket (one account holds both stacks' state)"),
  region: region.describe("the state bucket's region"),
  keyPrefix: z
    .string()
    .regex(/^[\w.\-/]*[\w.-]$/, 'must be an S3 key prefix such as "s3-replication" (no leading or trailing "/")')
    .default("s3-replication")
    .describe("state keys are <keyPrefix>/source.tfstate and <keyPrefix>/dest.tfstate"),
  dynamodbTable: z.string().regex(/^[\w.-]{3,255}$/, "must be a DynamoDB table name").optional().describe("a DynamoDB table for state locking"),
  roleArn: roleArn.optional().describe("a role to assume for the state bucket"),
});

const cloudBackend = z.strictObject({
  type: z.literal("cloud"),
  organization: z.string().regex(/^[\w-]+$/, "must be a Terraform Cloud organization name").describe("the Terraform Cloud / HCP Terraform organization"),
  hostname: z.string().regex(/^[a-z0-9.-]+(:\d+)?$/, 'must be a host name such as "app.terraform.io"').default("app.terraform.io").describe("the Terraform Cloud or Enterprise host"),
  project: z.string().min(1).optional().describe("the project the workspaces belong to"),
  workspacePrefix: z.string().regex(/^[\w-]+$/, "may hold only letters, digits, '_' and '-'").default("s3-replication").describe("workspaces are <workspacePrefix>-source and <workspacePrefix>-dest"),
  workspaces: z
    .strictObject({
      source: z.string().regex(/^[\w-]{1,90}$/, "must be a workspace name").optional().describe("the source stack's workspace, instead of the prefix's"),
      dest: z.string().regex(/^[\w-]{1,90}$/, "must be a workspace name").optional().describe("the dest stack's workspace, instead of the prefix's"),
    })
    .default({})
    .describe("workspace names, each overriding the prefix's"),
});

export const backend = z
  .discriminatedUnion("type", [localBackend, s3Backend, cloudBackend], {
    error: 'type must be one of "local", "s3" or "cloud"',
  })
  .prefault({ type: "local" })
  .describe('where both stacks keep state: { "type": "local", "stateDir"?: "." } (default), { "type": "s3", ... } or { "type": "cloud", ... }');

// A local AWS API emulator (moto) standing in for both accounts; used by npm run deploy:local.
export const emulator = z
  .strictObject({
    endpoint: z.string().regex(/^http:\/\/(127\.0\.0\.1|localhost):\d+$/, 'must be a loopback URL such as "http://127.0.0.1:5000"').describe("the moto server's loopback URL"),
  })
  .describe("a loopback moto endpoint standing in for both accounts (set by npm run deploy:local; never for AWS)");

/** Where editors find the config's JSON Schema; the app ignores it. */
export const schemaReference = z.string().optional().describe("the JSON Schema editors check this file with: ./replication.config.schema.json");

/** The storage classes S3 accepts for replicas (ReplicationStorageClass), except OUTPOSTS. */
export const STORAGE_CLASSES = [
  "STANDARD",
  "STANDARD_IA",
  "ONEZONE_IA",
  "INTELLIGENT_TIERING",
  "GLACIER_IR",
  "GLACIER",
  "DEEP_ARCHIVE",
  "REDUCED_REDUNDANCY",
] as const;

export const storageClass = z.enum(STORAGE_CLASSES, {
  error: `must be one of ${STORAGE_CLASSES.join(", ")} (S3 replication storage classes; OUTPOSTS is for S3 on Outposts only)`,
});

/**
 * Which file shape a config came from. "pair" keeps the resource addresses the single-pair config
 * has always synthesized (aws_s3_bucket.source_bucket, ...), so existing state never moves.
 */
export type ConfigShape = "pair" | "fleet";

/** The switches every replication rule has, in both shapes, with their defaults. */
export const ruleSwitches = {
  ownerOverride: z
    .boolean()
    .default(true)
    .describe('access_control_translation { owner = "Destination" } and the s3:ObjectOwnerOverrideToBucketOwner grants: Bob owns the replicas (as in the article)'),
  replicateDeleteMarkers: z.boolean().default(false).describe("replicate delete markers; off, a delete in Alice's bucket never hides Bob's copy"),
  // Absent: on exactly where Replication Time Control or monitoring needs them (resolvedMetrics).
  metrics: z
    .boolean()
    .optional()
    .describe(
      "replication metrics (the OperationsFailedReplication CloudWatch metric); absent: on when replicationTimeControl or monitoring.enabled is; false with either of those is an error",
    ),
  twoWay: z
    .boolean()
    .default(false)
    .describe(
      "two-way (disaster recovery): Bob's bucket also replicates back into Alice's, with a role of Bob's account, and replica modification sync on at both ends; see docs/two-way.md",
    ),
  replicationTimeControl: z
    .boolean()
    .default(false)
    .describe("S3 Replication Time Control: replication_time and a metrics event threshold, both 15 minutes (the only value S3 accepts); billed per GB replicated"),
};

/**
 * S3 requires replication metrics with Replication Time Control, and a failure alarm reads them, so
 * metrics cannot be off where either is on. `rtcField` names the RTC switch in the error, so the
 * message names both fields.
 */
export function metricsFollowReplicationTimeControl<T extends { metrics?: boolean; replicationTimeControl: boolean }>(
  rtcField: string,
): (r: T, ctx: z.core.$RefinementCtx<T>) => void {
  return (r, ctx) => {
    if (r.replicationTimeControl && r.metrics === false) {
      ctx.addIssue({
        code: "custom",
        path: ["metrics"],
        message: `must not be false while ${rtcField} is true: S3 requires replication metrics with Replication Time Control (set metrics to true or leave it out, or turn replicationTimeControl off)`,
      });
    }
  };
}

/** Metrics left out are on exactly where RTC or monitoring needs them. */
export const resolvedMetrics = (rule: { metrics?: boolean; replicationTimeControl: boolean }, monitoringEnabled: boolean): boolean =>
  rule.metrics ?? (rule.replicationTimeControl || monitoringEnabled);

/** The alerts of a deployment: off by default; on, an encrypted SNS topic, failure notifications and an alarm per rule. */
export const monitoring = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe("alerts: an encrypted SNS topic in Alice's account, failure notifications of every source bucket and a CloudWatch alarm per rule; turns every rule's metrics on"),
    topicName: z.string().regex(/^[\w-]{1,256}$/, "must be 1 to 256 letters, digits, '_' or '-' (an SNS topic name)").default("s3-replication-alerts").describe("the SNS topic's name"),
    kmsKeyAlias: kmsAliasName.default("s3-replication-alerts").describe("alias of the topic's own key, without alias/"),
    subscriptions: z
      .array(
        z.discriminatedUnion(
          "protocol",
          [
            z.strictObject({ protocol: z.literal("email"), endpoint: z.string().regex(/^[^@\s]+@[^@\s]+$/, "must be an email address") }),
            z.strictObject({ protocol: z.literal("https"), endpoint: z.string().regex(/^https:\/\/\S+$/, "must be an https:// URL") }),
          ],
          { error: 'protocol must be "email" or "https"' },
        ),
      )
      .default([])
      .describe('who gets the alerts: [{ "protocol": "email", "endpoint": "oncall@example.com" }, { "protocol": "https", "endpoint": "https://..." }]; an email subscription must be confirmed from the mail'),
  })
  .prefault({})
  .describe("off by default; see docs/monitoring.md");

/** With monitoring on, a rule whose metrics are turned off explicitly has no alarm to raise. */
export function checkMetricsForMonitoring(ctx: Issues, enabled: boolean, rules: [PathSegment[], { metrics?: boolean }][]): void {
  if (!enabled) return;
  for (const [path, rule] of rules) {
    if (rule.metrics === false) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "metrics"],
        message: "must not be false while monitoring.enabled is true: the rule's failure alarm reads its replication metrics (set metrics to true or leave it out)",
      });
    }
  }
}

type Issues = Pick<z.core.$RefinementCtx, "addIssue">;
type PathSegment = string | number;

export function cloudWorkspaceNames(b: { workspacePrefix: string; workspaces: { source?: string; dest?: string } }): {
  source: string;
  dest: string;
} {
  return {
    source: b.workspaces.source ?? `${b.workspacePrefix}-source`,
    dest: b.workspaces.dest ?? `${b.workspacePrefix}-dest`,
  };
}

/**
 * What both shapes check of the two accounts and the backend: two different accounts, deploy
 * roles in the account they deploy to, and one Terraform Cloud workspace per stack.
 */
export function checkAccountsAndBackend(
  ctx: Issues,
  accounts: { source: [PathSegment[], { accountId: string; credentials?: z.infer<typeof credentials> }]; destination: [PathSegment[], { accountId: string; credentials?: z.infer<typeof credentials> }] },
  backendConfig: z.infer<typeof backend>,
): void {
  const [sourcePath, source] = accounts.source;
  const [destinationPath, destination] = accounts.destination;
  if (source.accountId === destination.accountId) {
    ctx.addIssue({
      code: "custom",
      path: [...destinationPath, "accountId"],
      message: `must differ from ${[...sourcePath, "accountId"].join(".")}: this project replicates across two accounts (use S3 same-account replication otherwise)`,
    });
  }
  for (const [path, account] of [accounts.source, accounts.destination]) {
    const creds = account.credentials;
    if (creds && "assumeRoleArn" in creds && creds.assumeRoleArn.split(":")[4] !== account.accountId) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "credentials", "assumeRoleArn"],
        message: `must be a role in account ${account.accountId} (${[...path, "accountId"].join(".")}): resources are created in the account of the assumed role`,
      });
    }
  }
  if (backendConfig.type === "cloud") {
    const names = cloudWorkspaceNames(backendConfig);
    if (names.source === names.dest) {
      ctx.addIssue({
        code: "custom",
        path: ["backend", "workspaces"],
        message: `source and dest must use different workspaces (both are "${names.source}"): each account needs its own state and credentials`,
      });
    }
  }
}

export const OBJECT_LOCK_MODES = ["GOVERNANCE", "COMPLIANCE"] as const;

/** This project's cap, not S3's: a longer lock is almost always a typo, and in COMPLIANCE mode nobody can undo it. */
export const OBJECT_LOCK_MAX = { days: 36_500, years: 100 } as const;

const retention = (unit: keyof typeof OBJECT_LOCK_MAX) =>
  z
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1 (S3 requires a positive retention period)")
    .max(OBJECT_LOCK_MAX[unit], `must be at most ${OBJECT_LOCK_MAX[unit].toLocaleString("en-US")}: this project refuses longer locks (a longer lock is almost always a typo, and in COMPLIANCE mode nobody can shorten it)`)
    .optional()
    .describe(`default retention in ${unit}; give days or years, not both`);

/**
 * S3 Object Lock on a bucket: enabled (it can never be turned off again, and versioning can never
 * be suspended) with a default retention for new object versions. COMPLIANCE mode must be
 * confirmed in the file: nobody, the root user included, can delete a locked version before its date.
 */
export const objectLock = z
  .strictObject({
    mode: z.enum(OBJECT_LOCK_MODES, { error: 'must be "GOVERNANCE" or "COMPLIANCE"' }).describe("default retention mode of new object versions"),
    days: retention("days"),
    years: retention("years"),
    complianceModeConfirmed: z
      .literal(true, { error: "must be true, or left out" })
      .optional()
      .describe("required with COMPLIANCE: confirms that no one, the root user included, can delete a locked version before its retention date"),
  })
  .superRefine((l, ctx) => {
    if ((l.days === undefined) === (l.years === undefined)) {
      ctx.addIssue({ code: "custom", path: ["days"], message: 'needs exactly one of "days" and "years": S3 takes one default retention period (PutObjectLockConfiguration)' });
    }
    if (l.mode === "COMPLIANCE" && !l.complianceModeConfirmed) {
      ctx.addIssue({
        code: "custom",
        path: ["complianceModeConfirmed"],
        message:
          'is needed with mode "COMPLIANCE": no one, the root user included, can delete a locked object version or shorten its retention before its date, and the bucket cannot be deleted while it holds one. Set it to true to confirm, or use "GOVERNANCE" (principals with s3:BypassGovernanceRetention can still delete)',
      });
    }
    if (l.mode !== "COMPLIANCE" && l.complianceModeConfirmed) {
      ctx.addIssue({ code: "custom", path: ["complianceModeConfirmed"], message: 'confirms COMPLIANCE mode only: remove it, or set mode to "COMPLIANCE"' });
    }
  })
  .transform(({ complianceModeConfirmed: _confirmed, ...l }) => l)
  .describe(
    'S3 Object Lock, e.g. { "mode": "GOVERNANCE", "days": 30 }: turned on for good (it cannot be turned off), with a default retention. A locked source needs a locked destination. See docs/object-lock.md',
  );

/** The reverse direction's role, in Bob's account, when reverseRoleName is left out. */
export const defaultReverseRoleName = (destinationBucketName: string): string => `s3-replication-${destinationBucketName}`;

export const reverseRoleName = roleName.describe("with twoWay: the role Bob's bucket replicates back with, in Bob's account; absent: s3-replication-<Bob's bucket>");
