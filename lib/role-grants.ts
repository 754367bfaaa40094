// A role's permissions, where IAM lets them fit (IAM User Guide, "IAM and AWS STS quotas"): one
// inline policy while the role's inline policies stay within 10,240 characters; past that, customer
// managed policies of at most 6,144 characters each, attached to the role (10 by default). Sizes
// are measured as AWS will measure them once deployed (./policy-size.ts), so the choice is made at
// synth and the app's size check still refuses what even the split cannot hold.
import type { ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { POLICY_SIZE_LIMITS } from "./aws-facts";
import { policyAttribute } from "./hcl-output";
import { packStatements, type PolicyDocument } from "./policies";
import { documentSize } from "./policy-size";

export interface RoleGrantsProps {
  readonly provider: AwsProvider;
  readonly role: IamRole;
  /** The role's name, which the managed policies' names begin with. */
  readonly roleName: string;
  /** The inline policy's name. */
  readonly policyName: string;
  /** The resources' Terraform name: the inline policy's, and `<id>_<n>` (`<id>_<n>_attachment`) for managed ones. */
  readonly id: string;
  readonly document: PolicyDocument;
}

/** Grants `document` to the role; returns what must exist before the role can act on it. */
export function grantToRole(scope: Construct, props: RoleGrantsProps): ITerraformDependable[] {
  const { provider, role, document, id } = props;
  if (documentSize(scope, document) <= POLICY_SIZE_LIMITS.roleInlinePolicies) {
    return [new IamRolePolicy(scope, id, { provider, name: props.policyName, role: role.id, policy: policyAttribute(scope, document) })];
  }
  const parts = packStatements(document, (d) => documentSize(scope, d) <= POLICY_SIZE_LIMITS.managedPolicy);
  return parts.map((part, i) => {
    const policy = new IamPolicy(scope, `${id}_${i + 1}`, {
      provider,
      name: `${props.roleName}-${i + 1}`,
      description: `Part ${i + 1} of ${parts.length} of the permissions of role ${props.roleName} (too large for one inline policy)`,
      policy: policyAttribute(scope, part),
    });
    return new IamRolePolicyAttachment(scope, `${id}_${i + 1}_attachment`, { provider, role: role.id, policyArn: policy.arn });
  });
}
