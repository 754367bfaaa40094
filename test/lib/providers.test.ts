// The per-account AWS provider: pinned to its account, credentials from the config, and on the
// emulator an assumed role in that account with every endpoint on the loopback address.
import { Testing, TerraformStack } from "cdktf";
import { awsProvider } from "../../lib/providers";
import { configWith } from "../support/fixtures";

function providerJson(change: (raw: any) => void = () => undefined): any {
  const config = configWith(change);
  const app = Testing.app();
  const stack = new TerraformStack(app, "s");
  awsProvider(stack, "alice", config.sourceAccount, config);
  return JSON.parse(Testing.synth(stack)).provider.aws[0];
}

test("pinned to the configured account, with the configured profile and the default tags", () => {
  expect(providerJson()).toEqual({
    alias: "alice",
    region: "us-east-1",
    allowed_account_ids: ["111111111111"],
    profile: "alice",
    default_tags: [{ tags: { Project: "s3-cross-account-replication", ManagedBy: "cdktf" } }],
  });
});

test("an assumed role with its external ID and session name", () => {
  const p = providerJson((raw) => (raw.source.credentials = { assumeRoleArn: "arn:aws:iam::111111111111:role/deployer", externalId: "x-1", sessionName: "ci" }));
  expect(p.assume_role).toEqual([{ role_arn: "arn:aws:iam::111111111111:role/deployer", external_id: "x-1", session_name: "ci" }]);
  expect(p.profile).toBeUndefined();
});

test("on the emulator: a role in the account itself, every endpoint the emulator's", () => {
  const p = providerJson((raw) => {
    delete raw.source.credentials;
    raw.emulator = { endpoint: "http://127.0.0.1:5000" };
  });
  expect(p.assume_role).toEqual([{ role_arn: "arn:aws:iam::111111111111:role/emulated-deployer" }]);
  expect(p.endpoints).toEqual([{ s3: "http://127.0.0.1:5000", kms: "http://127.0.0.1:5000", iam: "http://127.0.0.1:5000", sts: "http://127.0.0.1:5000", sns: "http://127.0.0.1:5000", cloudwatch: "http://127.0.0.1:5000" }]);
  expect(p.allowed_account_ids).toEqual(["111111111111"]);
});
