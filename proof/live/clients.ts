// The SDK clients the live reader reads one account with. Who builds them (and with which
// credentials) is the caller's business: tools/accounts.ts for a user, the emulated deploy for moto.
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { IAMClient } from "@aws-sdk/client-iam";
import type { KMSClient } from "@aws-sdk/client-kms";
import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SNSClient } from "@aws-sdk/client-sns";

export interface AccountClients {
  accountId: string;
  s3: S3Client;
  kms: KMSClient;
  iam: IAMClient;
  sns: SNSClient;
  cloudwatch: CloudWatchClient;
  /** Read for the account's SCPs and RCPs (./guardrails.ts) when no --guardrails file is given. */
  organizations: OrganizationsClient;
}
