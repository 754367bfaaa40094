import { KEY_DELETION_WINDOW_DAYS } from "./aws-facts";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { kmsAliasName } from "./arns";
import { policyAttribute } from "./hcl-output";
import type { PolicyDocument } from "./policies";

export interface CustomerManagedKeyProps {
  readonly provider: AwsProvider;
  /** Alias name without the "alias/" prefix. */
  readonly alias: string;
  readonly description: string;
  readonly policy: PolicyDocument;
}

/** A symmetric customer managed key with rotation on, and its alias. */
export class CustomerManagedKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: CustomerManagedKeyProps) {
    super(scope, id);
    this.key = new KmsKey(this, "key", {
      provider: props.provider,
      description: props.description,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
      policy: policyAttribute(this, props.policy),
    });
    this.key.overrideLogicalId(id);
    this.alias = new KmsAlias(this, "alias", {
      provider: props.provider,
      name: kmsAliasName(props.alias),
      targetKeyId: this.key.keyId,
    });
    this.alias.overrideLogicalId(`${id}_alias`);
  }
}
