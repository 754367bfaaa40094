// npm run backfill: the CreateJob request it builds, and what it sends. moto has no S3 Batch
// Operations, so the request is checked at the HTTP layer through a stubbed transport (the one
// place in the suite where AWS is stubbed): the job itself has never run here.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import { CreateJobCommand, S3ControlClient } from "@aws-sdk/client-s3-control";
import { parseConfig } from "../../../lib/config";
import { BackfillInputError, backfillJobRequest, backfillToken, followInstructions } from "../../../tools/backfill/job";
import { PROJECT_ROOT } from "../../support/fixtures";
import { readFileSync } from "node:fs";

const raw = () => JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples", "adopt-existing.json"), "utf8"));
const config = parseConfig(raw(), "examples/adopt-existing.json");
const BUCKET = "alice-customers-archive-111111111111";

describe("backfillToken", () => {
  const day = new Date("2026-12-01T10:00:00Z");
  test("one token per bucket, config and UTC day, of the 64 characters CreateJob allows", () => {
    const token = backfillToken(config, BUCKET, day);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(backfillToken(config, BUCKET, new Date("2026-12-01T23:59:59Z"))).toBe(token);
    expect(backfillToken(config, BUCKET, new Date("2026-12-02T00:00:00Z"))).not.toBe(token);
    expect(backfillToken(config, "alice-invoices-111111111111", day)).not.toBe(token);
    expect(backfillToken(parseConfig({ ...raw(), tags: { Team: "storage" } }, "x.json"), BUCKET, day)).not.toBe(token);
  });
});

describe("backfillJobRequest", () => {
  const request = backfillJobRequest(config, BUCKET, "token-1");

  test("replicates, with the bucket's backfill role, the objects S3 lists as never replicated or failed", () => {
    expect(request.AccountId).toBe("111111111111");
    expect(request.RoleArn).toBe("arn:aws:iam::111111111111:role/s3-backfill-alice-customers-archive-111111111111");
    expect(request.Operation).toEqual({ S3ReplicateObject: {} });
    expect(request.ConfirmationRequired).toBe(false);
    expect(request.ClientRequestToken).toBe("token-1");
    expect(request.ManifestGenerator?.S3JobManifestGenerator).toEqual({
      ExpectedBucketOwner: "111111111111",
      SourceBucket: `arn:aws:s3:::${BUCKET}`,
      EnableManifestOutput: false,
      Filter: { EligibleForReplication: true, ObjectReplicationStatuses: ["NONE", "FAILED"] },
    });
  });

  test("reports every task under the configured prefix, which the role may write (and nothing else)", () => {
    expect(request.Report).toEqual({ Bucket: `arn:aws:s3:::${BUCKET}`, Prefix: "batch-replication-reports", Format: "Report_CSV_20180820", Enabled: true, ReportScope: "AllTasks" });
  });

  test("a bucket without backfill, or not in the config, is refused naming the field", () => {
    expect(() => backfillJobRequest(config, "alice-invoices-111111111111", "t")).toThrow(BackfillInputError);
    expect(() => backfillJobRequest(config, "alice-invoices-111111111111", "t")).toThrow(/^sourceBuckets\.1\.backfill is not set for alice-invoices-111111111111: add "backfill"/);
    expect(() => backfillJobRequest(config, "nobody", "t")).toThrow(/--bucket nobody is not one of Alice's buckets/);
  });

  test("the follow-up names the job, the describe-job command with the config's profile, and the report's place", () => {
    const lines = followInstructions(config, BUCKET, "job-42").join("\n");
    expect(lines).toMatch(/started S3 Batch Replication job job-42 on s3:\/\/alice-customers-archive-111111111111/);
    expect(lines).toMatch(/aws s3control describe-job --account-id 111111111111 --region us-east-1 --job-id job-42 --profile alice/);
    expect(lines).toMatch(/s3:\/\/alice-customers-archive-111111111111\/batch-replication-reports\/job-job-42\//);
  });
});

describe("CreateJob on the wire (stubbed transport: S3 Batch Operations is not emulated)", () => {
  test("POST /v20180820/jobs to Alice's account endpoint, with the operation, filter, role and report in the XML body", async () => {
    const sent: { method: string; hostname: string; path: string; headers: Record<string, string>; body: string }[] = [];
    const client = new S3ControlClient({
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
      requestHandler: {
        handle: async (request: any) => {
          sent.push({ method: request.method, hostname: request.hostname, path: request.path, headers: request.headers, body: String(request.body) });
          const body = '<?xml version="1.0" encoding="UTF-8"?><CreateJobResult><JobId>00e123a4-e0d7-4f5d-96b9-1234567890ab</JobId></CreateJobResult>';
          return { response: { statusCode: 200, headers: { "content-type": "application/xml" }, body: Readable.from([Buffer.from(body)]) } };
        },
      } as any,
    });
    const { JobId } = await client.send(new CreateJobCommand(backfillJobRequest(config, BUCKET, "token-2")));
    expect(JobId).toBe("00e123a4-e0d7-4f5d-96b9-1234567890ab");
    expect(sent).toHaveLength(1);
    const [req] = sent;
    expect([req.method, req.hostname, req.path]).toEqual(["POST", "111111111111.s3-control.us-east-1.amazonaws.com", "/v20180820/jobs"]);
    expect(req.headers["x-amz-account-id"]).toBe("111111111111");
    expect(req.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/s3\/aws4_request/);
    const xml = req.body.replace(/\s+/g, "");
    expect(xml).toMatch(/<Operation><S3ReplicateObject(\/>|><\/S3ReplicateObject>)<\/Operation>/);
    expect(xml).toMatch(/<ObjectReplicationStatuses><member>NONE<\/member><member>FAILED<\/member><\/ObjectReplicationStatuses>/);
    expect(xml).toMatch(/<RoleArn>arn:aws:iam::111111111111:role\/s3-backfill-alice-customers-archive-111111111111<\/RoleArn>/);
    const report = xml.match(/<Report>(.*?)<\/Report>/)?.[1] ?? "";
    for (const element of ["<Bucket>arn:aws:s3:::alice-customers-archive-111111111111</Bucket>", "<Prefix>batch-replication-reports</Prefix>", "<Enabled>true</Enabled>", "<ReportScope>AllTasks</ReportScope>"]) {
      expect(report).toContain(element);
    }
    expect(xml).toMatch(/<ClientRequestToken>token-2<\/ClientRequestToken>/);
  });
});

describe("npm run backfill (the command)", () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(PROJECT_ROOT, "dist", "tools", "backfill.js"), ...args], { cwd: PROJECT_ROOT, encoding: "utf8" });

  test("--dry-run prints the request and sends nothing", () => {
    const r = cli("--bucket", BUCKET, "--config", "examples/adopt-existing.json", "--dry-run");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).Operation).toEqual({ S3ReplicateObject: {} });
  });

  test("the same command twice sends the same client token (one job); --token sends another", () => {
    const run = (...extra: string[]) => JSON.parse(cli("--bucket", BUCKET, "--config", "examples/adopt-existing.json", "--dry-run", ...extra).stdout).ClientRequestToken;
    const [first, second] = [run(), run()];
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(second).toBe(first);
    expect(run("--token", "second-job-of-the-day")).toBe("second-job-of-the-day");
    expect(cli("--bucket", BUCKET, "--config", "examples/adopt-existing.json", "--dry-run", "--token", "has space").status).toBe(2);
  });

  test("bad input exits 2 with the field and the fix", () => {
    const noBucket = cli("--config", "examples/adopt-existing.json");
    expect([noBucket.status, noBucket.stderr]).toEqual([2, expect.stringMatching(/^backfill: --bucket is required: usage/)]);
    const notOn = cli("--bucket", "alice-invoices-111111111111", "--config", "examples/adopt-existing.json", "--dry-run");
    expect([notOn.status, notOn.stderr]).toEqual([2, expect.stringMatching(/^backfill: sourceBuckets\.1\.backfill is not set/)]);
  });

  test("a config pointing at the emulator is refused: it has no S3 Batch Operations", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "backfill-"));
    const file = path.join(dir, "emulated.json");
    writeFileSync(file, JSON.stringify({ ...raw(), emulator: { endpoint: "http://127.0.0.1:5000" } }));
    const r = cli("--bucket", BUCKET, "--config", file);
    expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(/emulator, which has no S3 Batch Operations/)]);
    rmSync(dir, { recursive: true, force: true });
  });
});
