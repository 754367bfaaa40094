// ARNs and service names derived from configuration. Everything here is in the standard
// "aws" partition (config.ts only accepts its regions).

export const bucketArn = (bucketName: string): string => `arn:aws:s3:::${bucketName}`;

export const bucketObjectsArn = (bucketName: string): string => `${bucketArn(bucketName)}/*`;

export const accountRootArn = (accountId: string): string => `arn:aws:iam::${accountId}:root`;

export const roleArn = (accountId: string, roleName: string): string => `arn:aws:iam::${accountId}:role/${roleName}`;

/** The ARN a role's session acts as (what an assumed role's requests carry). */
export const assumedRoleSessionArn = (accountId: string, roleName: string, session: string): string => `arn:aws:sts::${accountId}:assumed-role/${roleName}/${session}`;

/** The account of an IAM or STS principal's ARN (a role, a role's session, a root); undefined for others. */
export const principalAccount = (principal: string): string | undefined => /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];

/** Whether a principal is an AWS service (s3.amazonaws.com, ...). */
export const isServicePrincipal = (principal: string): boolean => principal.endsWith(".amazonaws.com");

/** A KMS key by its ID. */
export const kmsKeyArn = (region: string, accountId: string, keyId: string): string => `arn:aws:kms:${region}:${accountId}:key/${keyId}`;

/** "alias/<name>", the form KMS condition keys such as kms:ResourceAliases compare against. */
export const kmsAliasName = (alias: string): string => `alias/${alias}`;

/** Full alias ARN: names the key in the account it says (a bare alias resolves in the caller's). */
export const kmsAliasArn = (region: string, accountId: string, alias: string): string =>
  `arn:aws:kms:${region}:${accountId}:${kmsAliasName(alias)}`;

/** Every key of one account and region: an IAM Resource cannot be an alias ARN. */
export const kmsKeysInAccount = (region: string, accountId: string): string => `arn:aws:kms:${region}:${accountId}:key/*`;

/** The kms:ViaService value S3 sends when it calls KMS in a region. */
export const s3ServiceEndpoint = (region: string): string => `s3.${region}.amazonaws.com`;

export const snsTopicArn = (region: string, accountId: string, topicName: string): string => `arn:aws:sns:${region}:${accountId}:${topicName}`;

/** A CloudWatch alarm's ARN; `alarmName` "*" stands for every alarm of the account and region. */
export const cloudwatchAlarmArn = (region: string, accountId: string, alarmName: string): string =>
  `arn:aws:cloudwatch:${region}:${accountId}:alarm:${alarmName}`;
