// The account quotas a fleet may meet, which AWS raises on request: warned about, not refused
// (IAM User Guide, "IAM and AWS STS quotas": 1,000 roles per account; S3 User Guide, "Bucket quotas":
// 10,000 general purpose buckets per account). Each warning names the quota and how to raise it.
import type { ReplicationConfig } from "./types";
import type { OrganizationConfig } from "./organization";

const DEFAULT_QUOTAS = { rolesPerAccount: 1_000, bucketsPerAccount: 10_000 } as const;
const RUN_TRIGGER_SOURCES = 20;

export function quotaWarnings(config: ReplicationConfig | OrganizationConfig): string[] {
  if (config.shape === "organization") {
    // Each source account on its own; each of Bob's accounts with all its buckets.
    return [
      ...config.sourceAccounts.flatMap((a) => accountWarnings(a.config).filter((w) => !w.startsWith("Bob's"))),
      ...config.destinationAccounts.flatMap((d) => bucketWarning("Bob's", d.account.accountId, d.destinationBuckets.length)),
      // Terraform Cloud docs, "Run Triggers": "You can connect each workspace to up to 20 source workspaces".
      ...(config.backend.type === "cloud"
        ? config.destinationAccounts
            .filter((d) => d.writers.length > RUN_TRIGGER_SOURCES)
            .map((d) => `${d.stack} reads the state of ${d.writers.length} source stacks, but a Terraform Cloud workspace takes run triggers from at most ${RUN_TRIGGER_SOURCES} source workspaces: trigger its runs from your pipeline instead, or split its buckets across more destination accounts`)
        : []),
    ];
  }
  return accountWarnings(config);
}

function bucketWarning(who: string, account: string, count: number): string[] {
  return count > DEFAULT_QUOTAS.bucketsPerAccount
    ? [
        `${who} account ${account} gets ${count} new buckets, over S3's default quota of ${DEFAULT_QUOTAS.bucketsPerAccount} general purpose buckets per account (with the buckets it has already): ask for an increase in Service Quotas (Amazon S3, "General purpose buckets") before deploying`,
      ]
    : [];
}

function accountWarnings(config: ReplicationConfig): string[] {
  const roles = config.sourceBuckets.reduce((n, b) => n + 1 + (b.backfill ? 1 : 0), 0);
  const warnings: string[] = [];
  if (roles > DEFAULT_QUOTAS.rolesPerAccount) {
    warnings.push(
      `Alice's account ${config.sourceAccount.accountId} gets ${roles} roles (a replication role per source bucket, a backfill role per backfill), over IAM's default quota of ${DEFAULT_QUOTAS.rolesPerAccount} roles per account (with the roles it has already): ask for an increase in Service Quotas (IAM, "Roles per account") before deploying`,
    );
  }
  for (const [who, account, count] of [
    ["Alice's", config.sourceAccount.accountId, config.sourceBuckets.filter((b) => !b.existing).length],
    ["Bob's", config.destinationAccount.accountId, config.destinationBuckets.length],
  ] as const) {
    warnings.push(...bucketWarning(who, account, count));
  }
  return warnings;
}
