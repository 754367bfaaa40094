// The sample resources the proof asks about: an object as S3 replicates it, a backfill report, and
// a bucket whose name begins with a real one's (so a condition that matches by prefix is caught).
// The declared requests and the access analysis ask with the same ones.

/** An object of a bucket, as S3 replicates it. */
export const objectIn = (bucketArn: string): string => `${bucketArn}/replicated/object.txt`;

/** A report object under a backfill role's prefix. */
export const reportObjectIn = (bucketArn: string, prefix: string): string => `${bucketArn}/${prefix}job-1/report.csv`;

/** A bucket whose name begins with the real one's. */
export const lookalikeBucket = (bucketArn: string): string => `${bucketArn}-lookalike`;
