// Knowing when replication fails: an encrypted SNS topic in Alice's account, S3's replication
// failure events of every source bucket sent to it, and a CloudWatch alarm per rule on
// OperationsFailedReplication that notifies it.
import { FAILED_REPLICATION_ALARM, FAILED_REPLICATION_EVENT, MISSED_THRESHOLD_EVENT } from "./aws-facts";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import type { AccountConfig, MonitoringConfig, RuleConfig } from "./config";
import { CustomerManagedKey } from "./customer-managed-key";
import { policyAttribute } from "./hcl-output";
import { named } from "./logical-id";
import { identifierOf } from "./naming";
import { alertsKeyPolicy, alertsTopicPolicy } from "./policies";


export interface MonitoredBucket {
  bucketName: string;
  /** The bucket's ID attribute, so the notification waits for the bucket. */
  bucketId: string;
  /** Resource name prefix for its notification and alarms (readable, one per bucket). */
  resourceName: string;
  rules: RuleConfig[];
}

export interface ReplicationMonitoringProps {
  readonly provider: AwsProvider;
  readonly account: AccountConfig;
  readonly monitoring: MonitoringConfig;
  readonly buckets: MonitoredBucket[];
}

export class ReplicationMonitoring extends Construct {
  readonly topic: SnsTopic;
  readonly key: CustomerManagedKey;

  constructor(scope: Construct, id: string, props: ReplicationMonitoringProps) {
    super(scope, id);
    const { provider, account, monitoring, buckets } = props;

    this.key = new CustomerManagedKey(this, "alerts_key", {
      provider,
      alias: monitoring.kmsKeyAlias,
      description: `Encrypts the replication alerts of SNS topic ${monitoring.topicName}`,
      policy: alertsKeyPolicy(account.accountId),
    });
    this.topic = named(new SnsTopic(this, "topic", { provider, name: monitoring.topicName, kmsMasterKeyId: this.key.key.arn }), "alerts");
    const topicPolicy = named(
      new SnsTopicPolicy(this, "topic_policy", {
        provider,
        arn: this.topic.arn,
        policy: policyAttribute(
          this,
          alertsTopicPolicy({ accountId: account.accountId, region: account.region, topicArn: this.topic.arn, sourceBucketNames: buckets.map((b) => b.bucketName) }),
        ),
      }),
      "alerts",
    );
    monitoring.subscriptions.forEach((s, i) =>
      named(new SnsTopicSubscription(this, `subscription_${i}`, { provider, topicArn: this.topic.arn, protocol: s.protocol, endpoint: s.endpoint }), `alerts_${i}`),
    );

    for (const bucket of buckets) {
      const rtc = bucket.rules.some((r) => r.replicationTimeControl);
      // aws_s3_bucket_notification owns the bucket's whole notification configuration.
      named(
        new S3BucketNotification(this, `notification_${bucket.resourceName}`, {
          provider,
          bucket: bucket.bucketId,
          topic: [{ id: "replication-failures", topicArn: this.topic.arn, events: [FAILED_REPLICATION_EVENT, ...(rtc ? [MISSED_THRESHOLD_EVENT] : [])] }],
          // S3 checks it may publish before it stores the configuration.
          dependsOn: [topicPolicy],
        }),
        bucket.resourceName,
      );
      const used = new Set<string>();
      bucket.rules.forEach((rule, i) => {
        let ruleName = identifierOf(rule.id.toLowerCase());
        if (used.has(ruleName)) ruleName = `${ruleName}_${i}`;
        used.add(ruleName);
        named(
          new CloudwatchMetricAlarm(this, `alarm_${bucket.resourceName}_${ruleName}`, {
            provider,
            alarmName: `s3-replication-failed-${bucket.bucketName}-${rule.id}`.slice(0, 255),
            alarmDescription: `Objects of s3://${bucket.bucketName} failed to replicate to s3://${rule.destinationBucket} (rule ${rule.id})`,
            ...FAILED_REPLICATION_ALARM,
            dimensions: { SourceBucket: bucket.bucketName, DestinationBucket: rule.destinationBucket, RuleId: rule.id },
            alarmActions: [this.topic.arn],
          }),
          `${bucket.resourceName}_${ruleName}_failed`,
        );
      });
    }
  }
}
