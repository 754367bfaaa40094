// Loads replication.config.json and validates it into a typed ReplicationConfig.
// Every error names the field (as a dotted path) and says how to fix it, and is raised
// before any stack is built, so a bad config never leaves half-written synth output.
import { readFileSync } from "node:fs";
import { z } from "zod";

export const DEFAULT_CONFIG_FILE = "replication.config.json";
export const CONFIG_PATH_ENV = "REPLICATION_CONFIG";

export class ConfigError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`${file} is not a valid replication config:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

// Standard "aws" partition only: every ARN this project writes starts with arn:aws:.
const REGION = /^(us|eu|ap|sa|ca|me|af|il|mx)-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d$/;

const accountId = z
  .string()
  .regex(/^\d{12}$/, 'must be a 12-digit AWS account ID in quotes, e.g. "111111111111"');

const region = z
  .string()
  .regex(REGION, 'must be an AWS region of the standard partition, e.g. "us-east-1" or "eu-west-1"');

// S3 general purpose bucket naming rules, plus no dots: a dotted name breaks TLS certificate
// matching on virtual-hosted-style HTTPS, and these buckets accept TLS only.
const bucketName = z
  .string()
  .min(3, "must be 3 to 63 characters long")
  .max(63, "must be 3 to 63 characters long")
  .regex(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/, "may hold only lowercase letters, digits and hyphens, and must begin and end with a letter or digit")
  .refine((n) => !/^(xn--|sthree-|amzn-s3-demo-)/.test(n), "must not begin with xn--, sthree- or amzn-s3-demo- (reserved by S3)")
  .refine((n) => !/(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(n), "must not end with -s3alias, --ol-s3, --x-s3 or --table-s3 (reserved by S3)");

const kmsAliasName = z
  .string()
  .min(1, "must not be empty")
  .max(250, "must be at most 250 characters")
  .refine((a) => !a.startsWith("alias/"), 'write the alias without the "alias/" prefix (it is added for you)')
  .refine((a) => !a.startsWith("aws/"), 'must not begin with "aws/": that prefix is reserved for AWS managed keys, which cannot be used across accounts')
  .refine((a) => /^[a-zA-Z0-9/_-]+$/.test(a), "may hold only letters, digits, '/', '_' and '-'");

const roleName = z
  .string()
  .regex(/^[\w+=,.@-]{1,64}$/, "must be 1 to 64 characters of letters, digits and +=,.@_-");

const roleArn = z
  .string()
  .regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'must be an IAM role ARN, e.g. "arn:aws:iam::111111111111:role/deployer"');

// How terraform authenticates in one account. Absent: the provider's default chain
// (environment variables, e.g. the per-workspace credentials of Terraform Cloud).
const credentials = z.union(
  [
    z.strictObject({ profile: z.string().min(1, "must name an AWS CLI profile") }),
    z.strictObject({
      assumeRoleArn: roleArn,
      externalId: z.string().min(2).optional(),
      sessionName: z.string().regex(/^[\w+=,.@-]{2,64}$/, "must be 2 to 64 characters of letters, digits and +=,.@_-").optional(),
    }),
  ],
  { error: 'must be either { "profile": "<aws cli profile>" } or { "assumeRoleArn": "arn:aws:iam::<account>:role/<name>" }' },
);

const tags = z
  .record(z.string().min(1).max(128), z.string().max(256))
  .default({});

const sourceAccount = z.strictObject({
  accountId,
  region,
  bucketName,
  kmsKeyAlias: kmsAliasName,
  replicationRoleName: roleName,
  credentials: credentials.optional(),
});

const destinationAccount = z.strictObject({
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
  .superRefine((r, ctx) => {
    if (r.replicationTimeControl && r.metrics === false) {
      ctx.addIssue({
        code: "custom",
        path: ["metrics"],
        message:
          "must not be false while replication.replicationTimeControl is true: S3 requires replication metrics with Replication Time Control (set metrics to true or leave it out, or turn replicationTimeControl off)",
      });
    }
  })
  .transform((r) => ({ ...r, metrics: r.metrics ?? r.replicationTimeControl }));

const localBackend = z.strictObject({
  type: z.literal("local"),
  // Folder for the state files, relative to the project root.
  stateDir: z
    .string()
    .refine((d) => !d.startsWith("/") && !d.split(/[\\/]/).includes(".."), "must be a relative path inside the project, e.g. \"state\"")
    .default("."),
});

const s3Backend = z.strictObject({
  type: z.literal("s3"),
  bucket: bucketName,
  region,
  keyPrefix: z
    .string()
    .regex(/^[\w.\-/]*[\w.-]$/, 'must be an S3 key prefix such as "s3-replication" (no leading or trailing "/")')
    .default("s3-replication"),
  dynamodbTable: z.string().regex(/^[\w.-]{3,255}$/, "must be a DynamoDB table name").optional(),
  roleArn: roleArn.optional(),
});

const cloudBackend = z.strictObject({
  type: z.literal("cloud"),
  organization: z.string().regex(/^[\w-]+$/, "must be a Terraform Cloud organization name"),
  hostname: z.string().regex(/^[a-z0-9.-]+(:\d+)?$/, 'must be a host name such as "app.terraform.io"').default("app.terraform.io"),
  project: z.string().min(1).optional(),
  workspacePrefix: z.string().regex(/^[\w-]+$/, "may hold only letters, digits, '_' and '-'").default("s3-replication"),
  workspaces: z
    .strictObject({
      source: z.string().regex(/^[\w-]{1,90}$/, "must be a workspace name").optional(),
      dest: z.string().regex(/^[\w-]{1,90}$/, "must be a workspace name").optional(),
    })
    .default({}),
});

const backend = z
  .discriminatedUnion("type", [localBackend, s3Backend, cloudBackend], {
    error: 'type must be one of "local", "s3" or "cloud"',
  })
  .prefault({ type: "local" });

// A local AWS API emulator (moto) standing in for both accounts; used by npm run deploy:local.
const emulator = z.strictObject({
  endpoint: z.string().regex(/^http:\/\/(127\.0\.0\.1|localhost):\d+$/, 'must be a loopback URL such as "http://127.0.0.1:5000"'),
});

export const configSchema = z
  .strictObject({
    source: sourceAccount,
    destination: destinationAccount,
    replication,
    tags,
    backend,
    emulator: emulator.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.source.accountId === c.destination.accountId) {
      ctx.addIssue({
        code: "custom",
        path: ["destination", "accountId"],
        message: "must differ from source.accountId: this project replicates across two accounts (use S3 same-account replication otherwise)",
      });
    }
    if (c.source.bucketName === c.destination.bucketName) {
      ctx.addIssue({
        code: "custom",
        path: ["destination", "bucketName"],
        message: "must differ from source.bucketName: bucket names are global",
      });
    }
    if (c.backend.type === "cloud") {
      const names = cloudWorkspaceNames(c.backend);
      if (names.source === names.dest) {
        ctx.addIssue({
          code: "custom",
          path: ["backend", "workspaces"],
          message: `source and dest must use different workspaces (both are "${names.source}"): each account needs its own state and credentials`,
        });
      }
    }
    for (const side of ["source", "destination"] as const) {
      const creds = c[side].credentials;
      if (creds && "assumeRoleArn" in creds && creds.assumeRoleArn.split(":")[4] !== c[side].accountId) {
        ctx.addIssue({
          code: "custom",
          path: [side, "credentials", "assumeRoleArn"],
          message: `must be a role in account ${c[side].accountId} (${side}.accountId): resources are created in the account of the assumed role`,
        });
      }
    }
  });

export type ReplicationConfig = z.infer<typeof configSchema>;
export type BackendConfig = ReplicationConfig["backend"];
export type CloudBackendConfig = Extract<BackendConfig, { type: "cloud" }>;

export function cloudWorkspaceNames(b: Pick<CloudBackendConfig, "workspacePrefix" | "workspaces">): {
  source: string;
  dest: string;
} {
  return {
    source: b.workspaces.source ?? `${b.workspacePrefix}-source`,
    dest: b.workspaces.dest ?? `${b.workspacePrefix}-dest`,
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length ? issue.path.join(".") : "(top level)";
  if (issue.code === "unrecognized_keys") {
    return `${field}: unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}: remove or correct ${issue.keys.length > 1 ? "them" : "it"} (see the config table in README.md)`;
  }
  if (issue.code === "invalid_type" && /received undefined/.test(issue.message)) {
    return `${field}: is missing: add it (expected ${issue.expected}; see the config table in README.md)`;
  }
  return `${field}: ${issue.message}`;
}

/** Validates an already-parsed config object. Throws ConfigError listing every problem. */
export function parseConfig(raw: unknown, file = DEFAULT_CONFIG_FILE): ReplicationConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(file, result.error.issues.map(describeIssue));
  }
  return result.data;
}

/** Reads and validates the config file named by REPLICATION_CONFIG, or replication.config.json. */
export function loadConfig(file = process.env[CONFIG_PATH_ENV] || DEFAULT_CONFIG_FILE): ReplicationConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(file, [
      `cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)}): create it from the committed replication.config.json, or point ${CONFIG_PATH_ENV} at an existing file`,
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, [`is not valid JSON (${(e as Error).message}): fix the syntax`]);
  }
  return parseConfig(raw, file);
}
