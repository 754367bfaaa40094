// One AWS provider per account, pinned to that account so terraform refuses to run with
// credentials of any other (allowed_account_ids).
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import { roleArn } from "./arns";
import type { AccountConfig, ReplicationConfig } from "./config";

/** The role the emulator's STS hands out credentials for when the config names none. */
const EMULATED_DEPLOYER_ROLE = "emulated-deployer";

export function awsProvider(scope: Construct, alias: "alice" | "bob", account: AccountConfig, config: ReplicationConfig): AwsProvider {
  const common = {
    alias,
    region: account.region,
    allowedAccountIds: [account.accountId],
    defaultTags: [{ tags: config.tags }],
  };
  const creds = account.credentials;
  if (config.emulator) {
    // moto plays both accounts: STS AssumeRole into a role ARN of an account acts in that account.
    const endpoint = config.emulator.endpoint;
    return new AwsProvider(scope, alias, {
      ...common,
      accessKey: "test",
      secretKey: "test",
      s3UsePathStyle: true,
      skipMetadataApiCheck: "true",
      endpoints: [{ s3: endpoint, kms: endpoint, iam: endpoint, sts: endpoint, sns: endpoint, cloudwatch: endpoint }],
      assumeRole: [
        {
          roleArn:
            creds && "assumeRoleArn" in creds
              ? creds.assumeRoleArn
              : roleArn(account.accountId, EMULATED_DEPLOYER_ROLE),
        },
      ],
    });
  }
  return new AwsProvider(scope, alias, {
    ...common,
    ...(creds && "profile" in creds ? { profile: creds.profile } : {}),
    ...(creds && "assumeRoleArn" in creds
      ? {
          assumeRole: [
            {
              roleArn: creds.assumeRoleArn,
              ...(creds.externalId ? { externalId: creds.externalId } : {}),
              ...(creds.sessionName ? { sessionName: creds.sessionName } : {}),
            },
          ],
        }
      : {}),
  });
}
