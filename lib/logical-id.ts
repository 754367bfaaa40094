// Readable resource addresses: a resource's Terraform name is the one given here, not cdktf's
// path-and-hash default (aws_s3_bucket.<id> rather than aws_s3_bucket.source_bucket_bucket_1A2B3C4D).

/** Gives `resource` the Terraform name `id`, and returns it. */
export function named<T extends { overrideLogicalId(id: string): void }>(resource: T, id: string): T {
  resource.overrideLogicalId(id);
  return resource;
}
