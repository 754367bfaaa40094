// SDK clients for the config's two accounts, as `verify --live` and `npm run backfill` use them: the
// config's credentials for that account (a profile, a role to assume, or the default chain), or the
// emulator. Before anything is read or started, the credentials must act in the account the config
// names: reading the wrong account proves nothing, and acting in it is worse.
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { roleArn } from "../lib/arns";
import type { AccountConfig, ReplicationConfig } from "../lib/config";
import type { AccountClients } from "../proof/live/clients";

export type { AccountClients };

/** The emulator's fixed credentials (moto accepts any; these are its documented defaults). */
export const EMULATOR_KEYS = { accessKeyId: "test", secretAccessKey: "test" };

/** Credentials that cannot be used, or act in another account than the config names (exit 2). */
export class AccountAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AccountAccessError";
  }
}

/** How the clients of one account got their credentials, for messages. */
function describeCredentials(account: AccountConfig): string {
  const c = account.credentials;
  if (!c) return "the default credential chain";
  return "profile" in c ? `profile ${c.profile}` : `role ${c.assumeRoleArn}`;
}

export interface AwsClientConfig {
  region: string;
  /** The emulator's; absent on AWS. */
  endpoint?: string;
  profile?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** SDK client settings for one account: its profile, or temporary credentials of its role, or the default chain. */
export async function awsClientConfig(account: AccountConfig, sessionName = "s3-replication"): Promise<AwsClientConfig> {
  const { region, credentials: c } = account;
  const base = c && "profile" in c ? { region, profile: c.profile } : { region };
  if (!(c && "assumeRoleArn" in c)) return base;
  const { Credentials: t } = await new STSClient(base).send(
    new AssumeRoleCommand({ RoleArn: c.assumeRoleArn, RoleSessionName: c.sessionName ?? sessionName, ExternalId: c.externalId, DurationSeconds: 900 }),
  );
  if (!t?.AccessKeyId || !t.SecretAccessKey) throw new Error(`AssumeRole ${c.assumeRoleArn} returned no credentials`);
  return { region, credentials: { accessKeyId: t.AccessKeyId, secretAccessKey: t.SecretAccessKey, sessionToken: t.SessionToken } };
}

/** The clients of one account, all with the same settings (the emulator's S3 is path-style). */
function accountClients(accountId: string, config: AwsClientConfig): AccountClients {
  return {
    accountId,
    s3: new S3Client({ ...config, ...(config.endpoint ? { forcePathStyle: true } : {}) }),
    kms: new KMSClient(config),
    iam: new IAMClient(config),
    sns: new SNSClient(config),
    cloudwatch: new CloudWatchClient(config),
    // Organizations has one endpoint per partition, in us-east-1 for aws.
    organizations: new OrganizationsClient(config.endpoint ? config : { ...config, region: "us-east-1" }),
  };
}

/** SDK clients acting in `accountId` of the emulator, in `region` (STS AssumeRole into a role of that account). */
export async function clientsFor(endpoint: string, accountId: string, region: string): Promise<AccountClients> {
  const sts = new STSClient({ endpoint, region, credentials: EMULATOR_KEYS });
  const { Credentials: c } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn(accountId, "e2e-inspector"), RoleSessionName: "e2e" }));
  return accountClients(accountId, { endpoint, region, credentials: { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken } });
}

/** The account a client configuration acts in, from STS. */
export async function accountOf(config: AwsClientConfig): Promise<string | undefined> {
  return (await new STSClient(config).send(new GetCallerIdentityCommand({}))).Account;
}

/** Why credentials cannot be used for one account, as a AccountAccessError naming the account and where they came from. */
export function credentialsError(account: AccountConfig, stack: "source" | "dest", e: Error): AccountAccessError {
  const field = stack === "source" ? "the source account" : "the destination account";
  return new AccountAccessError(
    `cannot act in ${field} ${account.accountId} with ${describeCredentials(account)} (${e.name}: ${e.message}): set its credentials in the config, or the AWS environment variables`,
  );
}

/** Refuses credentials that act in another account than the config names. */
export function checkAccount(account: AccountConfig, stack: "source" | "dest", actual: string | undefined): void {
  if (actual !== account.accountId) {
    const field = stack === "source" ? "the source account" : "the destination account";
    throw new AccountAccessError(
      `${describeCredentials(account)} acts in account ${actual}, but ${field} is ${account.accountId}: give ${stack} credentials of account ${account.accountId}; nothing reads or acts in another account`,
    );
  }
}

/** Clients for Alice's (source) or Bob's (dest) account, checked to act in that account. */
export async function liveClients(config: ReplicationConfig, stack: "source" | "dest"): Promise<AccountClients> {
  const account = stack === "source" ? config.sourceAccount : config.destinationAccount;
  let clients: AccountClients;
  let actual: string | undefined;
  try {
    clients = config.emulator
      ? await clientsFor(config.emulator.endpoint, account.accountId, account.region)
      : accountClients(account.accountId, await awsClientConfig(account));
    actual = await accountOf({ region: account.region, endpoint: config.emulator?.endpoint, credentials: await clients.s3.config.credentials() });
  } catch (e) {
    throw credentialsError(account, stack, e as Error);
  }
  checkAccount(account, stack, actual);
  return clients;
}
