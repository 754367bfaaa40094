// Terraform's output as the emulated deploy and an unattended bring-up show it: a line per resource.
import { TerraformProgress } from "../../tools/terraform-progress";

// Lines as cdktf 0.21 writes them to a pipe (from a deploy log): ANSI redraws, the stack's name,
// the construct path, the same resource once more without the stack on a redraw.
const LOG = [
  "        Plan: 3 to add, 0 to change, 1 to destroy.",
  "\x1b[2K\x1b[1A\x1b[2K\x1b[Gsource  aws_iam_role.alice_documents_replication_role (alice_documents_replication_role): Creation complete after 1s [id=s3-replication-alice-documents]",
  "        aws_iam_role.alice_documents_replication_role (alice_documents_replication_role): Creation complete after 1s [id=s3-replication-alice-documents]",
  "source  aws_s3_bucket.alice_documents (alice_documents/bucket): Import complete [id=alice-documents]",
  "dest  aws_s3_bucket_policy.bob_archive (bob_archive/policy): Modifications complete after 0s [id=bob-archive]",
  "dest  aws_kms_alias.old (old): Destruction complete after 2s",
  "source  aws_s3_bucket.alice_documents (alice_documents/bucket): Refreshing state... [id=alice-documents]",
].join("\n");

test("one line per resource done, each once, and a summary", () => {
  const printed: string[] = [];
  const progress = new TerraformProgress((l) => printed.push(l));
  // Split mid-line, as a pipe delivers it.
  progress.write(LOG.slice(0, 200));
  progress.write(`${LOG.slice(200)}\n`);
  expect(printed).toEqual([
    "    + created source: aws_iam_role.alice_documents_replication_role (1s)",
    "    ← imported source: aws_s3_bucket.alice_documents",
    "    ~ modified dest: aws_s3_bucket_policy.bob_archive (0s)",
    "    - destroyed dest: aws_kms_alias.old (2s)",
  ]);
  expect(progress.summary()).toBe("1 created, 1 modified, 1 destroyed, 1 imported");
});

test("nothing done is 'no changes'", () => {
  expect(new TerraformProgress(() => undefined).summary()).toBe("no changes");
});

test("an organization's stacks are named as cdktf names them: source-<name>, dest-<name>", () => {
  const printed: string[] = [];
  const progress = new TerraformProgress((l) => printed.push(l));
  progress.write(
    [
      "source-payments  aws_kms_key.payments_ledger_key (payments_ledger_key/key): Creation complete after 1s [id=k]",
      "dest-log-archive  aws_s3_bucket.log_archive_web (log_archive_web/bucket): Creation complete after 2s [id=b]",
      "",
    ].join("\n"),
  );
  expect(printed).toEqual(["    + created source-payments: aws_kms_key.payments_ledger_key (1s)", "    + created dest-log-archive: aws_s3_bucket.log_archive_web (2s)"]);
});
