// The SDK clients `verify --live` reads each account with: the config's credentials for that account
// (a profile, a role to assume, or the default chain), or the emulator. Before anything is read,
// each set of clients must act in the account the config names: reading the wrong account would
// prove nothing.
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { AccountConfig, ReplicationConfig } from "../../../lib/config";
import { clientsFor, type AccountClients } from "../../emulator";
import { VerifyInputError } from "../synth-output";

/** How the clients of one account got their credentials, for messages. */
function describeCredentials(account: AccountConfig): string {
  const c = account.credentials;
  if (!c) return "the default credential chain";
  return "profile" in c ? `profile ${c.profile}` : `role ${c.assumeRoleArn}`;
}

async function awsClients(account: AccountConfig): Promise<AccountClients> {
  const { region, credentials: c } = account;
  const base = c && "profile" in c ? { region, profile: c.profile } : { region };
  let config: { region: string; profile?: string; credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } } = base;
  if (c && "assumeRoleArn" in c) {
    const { Credentials: t } = await new STSClient(base).send(
      new AssumeRoleCommand({ RoleArn: c.assumeRoleArn, RoleSessionName: c.sessionName ?? "verify-live", ExternalId: c.externalId, DurationSeconds: 900 }),
    );
    if (!t?.AccessKeyId || !t.SecretAccessKey) throw new Error(`AssumeRole ${c.assumeRoleArn} returned no credentials`);
    config = { region, credentials: { accessKeyId: t.AccessKeyId, secretAccessKey: t.SecretAccessKey, sessionToken: t.SessionToken } };
  }
  return {
    accountId: account.accountId,
    s3: new S3Client(config),
    kms: new KMSClient(config),
    iam: new IAMClient(config),
    sns: new SNSClient(config),
    cloudwatch: new CloudWatchClient(config),
  };
}

/** The account the clients act in, from STS. */
async function callerAccount(account: AccountConfig, config: ReplicationConfig, clients: AccountClients): Promise<string | undefined> {
  const { region } = account;
  const sts = config.emulator
    ? new STSClient({ region, endpoint: config.emulator.endpoint, credentials: await clients.s3.config.credentials() })
    : new STSClient({ region, credentials: await clients.s3.config.credentials() });
  return (await sts.send(new GetCallerIdentityCommand({}))).Account;
}

/** Clients for Alice's (source) or Bob's (dest) account, checked to act in that account. */
export async function liveClients(config: ReplicationConfig, stack: "source" | "dest"): Promise<AccountClients> {
  const account = stack === "source" ? config.sourceAccount : config.destinationAccount;
  const field = stack === "source" ? "the source account" : "the destination account";
  let clients: AccountClients;
  let actual: string | undefined;
  try {
    clients = config.emulator ? await clientsFor(config.emulator.endpoint, account.accountId, account.region) : await awsClients(account);
    actual = await callerAccount(account, config, clients);
  } catch (e) {
    throw new VerifyInputError(
      `cannot act in ${field} ${account.accountId} with ${describeCredentials(account)} (${(e as Error).name}: ${(e as Error).message}): set its credentials in the config, or the AWS environment variables`,
    );
  }
  if (actual !== account.accountId) {
    throw new VerifyInputError(
      `${describeCredentials(account)} acts in account ${actual}, but ${field} is ${account.accountId}: give ${stack} credentials of account ${account.accountId}; verify --live reads no other account`,
    );
  }
  return clients;
}
