// Reading principals back: whose account a principal's ARN is in, and whether it is an AWS service.
import { accountRootArn, assumedRoleSessionArn, isServicePrincipal, principalAccount, roleArn } from "../../lib/arns";

test("principalAccount: a role, a role's session and an account root; nothing for services and other ARNs", () => {
  expect(principalAccount(roleArn("111111111111", "r"))).toBe("111111111111");
  expect(principalAccount(assumedRoleSessionArn("222222222222", "r", "s"))).toBe("222222222222");
  expect(principalAccount(accountRootArn("333333333333"))).toBe("333333333333");
  expect(principalAccount("s3.amazonaws.com")).toBeUndefined();
  expect(principalAccount("arn:aws:s3:::bucket-111111111111")).toBeUndefined();
});

test("isServicePrincipal: service principals only", () => {
  expect(isServicePrincipal("batchoperations.s3.amazonaws.com")).toBe(true);
  expect(isServicePrincipal(roleArn("111111111111", "s3.amazonaws.com-lookalike"))).toBe(false);
});
