// The requests of a backfill (S3 Batch Replication) job on one of Alice's buckets, written as data:
// what the job needs is allowed, everything else is denied. One table, one builder.
import type { PolicyDocument } from "../../lib/policies";
import { BATCH_OPERATIONS_SERVICE } from "../../lib/aws-facts";
import { assumedRoleSessionArn, s3ServiceEndpoint } from "../../lib/arns";
import type { FleetModel, ReplicationModel } from "../synth/model";
import { OUTSIDER_ACCOUNT } from "../synth/references";
import type { Expectation, RequestCheck } from "./request";

/** Who asks: the Batch Operations service (for a job of Alice's account or another's), or the role's session. */
type Caller = "batch-service" | "batch-service-other-account" | "role";

/** What the request is on. */
type Target =
  | "trust" // the backfill role itself (its trust policy decides)
  | "bucket" // the source bucket
  | "object" // an object of the source bucket
  | "report" // an object under the report prefix
  | "other-bucket-object" // an object of another bucket
  | "key-report" // the bucket's key, for an object under the report prefix
  | "key-object"; // the bucket's key, for an object the job must not touch

interface BackfillRequest {
  title: string;
  expected: Expectation;
  caller: Caller;
  action: string;
  on: Target;
}

export const BACKFILL_REQUESTS: BackfillRequest[] = [
  { title: "S3 Batch Operations assumes the backfill role for a job of Alice's account", expected: "ALLOWED", caller: "batch-service", action: "sts:AssumeRole", on: "trust" },
  { title: "the backfill role starts replication of the bucket's objects", expected: "ALLOWED", caller: "role", action: "s3:InitiateReplication", on: "object" },
  { title: "the backfill role reads the bucket's replication configuration", expected: "ALLOWED", caller: "role", action: "s3:GetReplicationConfiguration", on: "bucket" },
  { title: "the backfill role generates the job's manifest (an inventory configuration)", expected: "ALLOWED", caller: "role", action: "s3:PutInventoryConfiguration", on: "bucket" },
  { title: "the backfill role writes its completion report under the report prefix", expected: "ALLOWED", caller: "role", action: "s3:PutObject", on: "report" },
  { title: "the backfill role encrypts its report with the bucket's key, through S3", expected: "ALLOWED", caller: "role", action: "kms:GenerateDataKey", on: "key-report" },
  { title: "S3 Batch Operations assumes the backfill role for a job of another account", expected: "DENIED", caller: "batch-service-other-account", action: "sts:AssumeRole", on: "trust" },
  { title: "the backfill role reads objects", expected: "DENIED", caller: "role", action: "s3:GetObject", on: "object" },
  { title: "the backfill role deletes objects", expected: "DENIED", caller: "role", action: "s3:DeleteObjectVersion", on: "object" },
  { title: "the backfill role writes outside the report prefix", expected: "DENIED", caller: "role", action: "s3:PutObject", on: "object" },
  { title: "the backfill role changes the bucket policy", expected: "DENIED", caller: "role", action: "s3:PutBucketPolicy", on: "bucket" },
  { title: "the backfill role changes the replication configuration", expected: "DENIED", caller: "role", action: "s3:PutReplicationConfiguration", on: "bucket" },
  { title: "the backfill role replicates another bucket's objects", expected: "DENIED", caller: "role", action: "s3:InitiateReplication", on: "other-bucket-object" },
  { title: "the backfill role decrypts the bucket's objects", expected: "DENIED", caller: "role", action: "kms:Decrypt", on: "key-object" },
  { title: "the backfill role encrypts anything but its report", expected: "DENIED", caller: "role", action: "kms:GenerateDataKey", on: "key-object" },
];

/** The requests of one bucket's backfill role, when backfill is on. */
export function backfillRequests(m: FleetModel, r: ReplicationModel): RequestCheck[] {
  const backfill = r.backfill;
  if (!backfill) return [];
  const alice = m.source.account;
  const bucket = r.sourceBucket;
  const role = backfill.role;
  const session = assumedRoleSessionArn(alice, role.name, "s3-batch-operations");
  const object = `${bucket.arn}/customers/object.csv`;
  const report = `${bucket.arn}/${backfill.reportPrefix}job-1/report.csv`;
  const key = r.sourceKey;
  const emptyPolicy: PolicyDocument = { Version: "2012-10-17", Statement: [] };
  const roleContext = { "aws:SecureTransport": "true", "aws:PrincipalArn": role.arn, "aws:PrincipalAccount": alice };
  const kmsContext = (encryptionContext: string) => ({
    ...roleContext,
    "kms:CallerAccount": alice,
    "kms:ViaService": s3ServiceEndpoint(key?.region ?? m.source.region),
    "kms:EncryptionContext:aws:s3:arn": encryptionContext,
  });

  const targets: Record<Target, { resource: string; account: string; policy?: PolicyDocument; policyName: string; context: Record<string, string> }> = {
    trust: { resource: role.arn, account: alice, policy: role.trustPolicy, policyName: "trust policy of the backfill role", context: {} },
    bucket: { resource: bucket.arn, account: alice, policy: bucket.policy, policyName: `bucket policy of ${bucket.name}`, context: roleContext },
    object: { resource: object, account: alice, policy: bucket.policy, policyName: `bucket policy of ${bucket.name}`, context: roleContext },
    report: { resource: report, account: alice, policy: bucket.policy, policyName: `bucket policy of ${bucket.name}`, context: roleContext },
    "other-bucket-object": { resource: `${bucket.arn}-other/customers/object.csv`, account: alice, policyName: "no bucket policy", context: roleContext },
    "key-report": { resource: key?.arn ?? "unresolved-key", account: alice, policy: key?.policy ?? emptyPolicy, policyName: "key policy of Alice's source key", context: kmsContext(report) },
    "key-object": { resource: key?.arn ?? "unresolved-key", account: alice, policy: key?.policy ?? emptyPolicy, policyName: "key policy of Alice's source key", context: kmsContext(object) },
  };

  return BACKFILL_REQUESTS.map((q): RequestCheck => {
    const target = targets[q.on];
    const service = q.caller !== "role";
    const context = service
      ? { "aws:SecureTransport": "true", "aws:SourceAccount": q.caller === "batch-service" ? alice : OUTSIDER_ACCOUNT }
      : target.context;
    const principal = service ? BATCH_OPERATIONS_SERVICE : session;
    return {
      group: bucket.name,
      title: q.title,
      expected: q.expected,
      principal,
      action: q.action,
      resource: target.resource,
      policyNames: { identity: service ? "identity policies" : `role policy ${role.policies.map((p) => p.name).join(", ") || "(none)"}`, resource: target.policyName },
      simulation: {
        request: { principal, action: q.action, resource: { resource: target.resource, accountId: target.account }, contextVariables: context },
        identityPolicies: service ? [] : role.policies.map((p) => ({ name: p.name, policy: p.document })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: target.policy,
      },
    };
  });
}
