// The base of the source and dest stacks. Each reads what it needs of the other through its own
// remote state data source (lib/backend.ts remoteStateOf), never through a token of the other
// stack's resources, so cdktf's cross-stack reference discovery has nothing to find.
import { TerraformStack } from "cdktf";

export abstract class ReplicationStack extends TerraformStack {
  /**
   * cdktf's prepareStack resolves every element once more, only to discover cross-stack
   * references: about 1.5 s of a 1,000-bucket synth. Skipped; a reference to the other stack's
   * resources would then synthesize as an undeclared reference, which `terraform validate` (every
   * example, in the tests) and verify's reference resolver both refuse.
   */
  override prepareStack(): void {
    this.ensureBackendExists();
  }
}
