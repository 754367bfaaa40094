// The adopted buckets of an emulated deploy as they exist before bring-up, as a team's bucket would:
// versioning off, objects in it, a bucket policy with statements of its own (the config's
// existing.bucketPolicyStatements) and, where the config keeps the bucket's own key, that key as its
// default encryption. What adoption must not lose is recorded here and checked after bring-up and
// after destroy.
import { createHash } from "node:crypto";
import { CreateKeyCommand } from "@aws-sdk/client-kms";
import { CreateBucketCommand, PutBucketEncryptionCommand, PutBucketPolicyCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { AccountClients } from "../../tools/accounts";

/** The objects each adopted bucket holds before bring-up. */
export const SEEDED_OBJECTS: Record<string, string> = {
  "customers/2019/a.csv": "id,name\n1,Ada\n",
  "customers/2020/b.csv": "id,name\n2,Grace\n",
  "notes.txt": "written before replication existed\n",
};

export const md5 = (text: string) => createHash("md5").update(text).digest("hex");

/** The buckets a raw config (fleet shape) adopts. */
export const adoptedBucketNames = (raw: any): string[] => (raw.sourceBuckets ?? []).filter((b: any) => b.existing).map((b: any) => b.bucketName);

/**
 * Creates every bucket the raw config marks `existing` in Alice's emulated account, as above. A
 * config keeping the bucket's own key names a key ARN that does not exist in the emulator: a key is
 * created for it and the raw config is rewritten to name that key. Returns the adopted buckets' names.
 */
export async function seedExistingBuckets(raw: any, sourceClients: AccountClients): Promise<string[]> {
  const adopted = (raw.sourceBuckets ?? []).filter((b: any) => b.existing);
  for (const b of adopted) {
    const Bucket: string = b.bucketName;
    await sourceClients.s3.send(new CreateBucketCommand({ Bucket, ...(raw.sourceAccount.region === "us-east-1" ? {} : { CreateBucketConfiguration: { LocationConstraint: raw.sourceAccount.region } }) }));
    for (const [Key, Body] of Object.entries(SEEDED_OBJECTS)) await sourceClients.s3.send(new PutObjectCommand({ Bucket, Key, Body }));
    const statements = b.existing.bucketPolicyStatements ?? [];
    if (statements.length) {
      await sourceClients.s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) }));
    }
    if (b.existing.kmsKeyArn) {
      const { KeyMetadata: key } = await sourceClients.kms.send(new CreateKeyCommand({ Description: `the key ${Bucket} had before adoption` }));
      b.existing.kmsKeyArn = key!.Arn;
      await sourceClients.s3.send(
        new PutBucketEncryptionCommand({
          Bucket,
          ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: key!.Arn } }] },
        }),
      );
    }
  }
  return adoptedBucketNames(raw);
}

/** The objects of a bucket as moto stores them (name -> MD5), read from its state API. */
export async function storedObjects(endpoint: string, bucket: string): Promise<Record<string, string>> {
  // The adopted bucket's TLS-only policy denies the emulator's plain-HTTP reads (as it should), so
  // the objects are read from moto's own state instead of through S3.
  const data = (await (await fetch(`${endpoint}/moto-api/data.json`)).json()) as { s3?: { FakeKey?: any[] } };
  const keys = (data.s3?.FakeKey ?? []).filter((k) => k.bucket_name === bucket && !k.disposed);
  return Object.fromEntries(keys.map((k) => [k.name, String(k.etag).replace(/"/g, "")]));
}
