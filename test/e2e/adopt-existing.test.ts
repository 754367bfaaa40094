// Adopting an existing bucket on two emulated accounts: before bring-up, Alice's bucket exists with
// versioning off, three objects, a bucket policy with a statement of its own and its own key
// (dev/deploy-local/seed.ts). The same steps as `npm run deploy:local -- --config
// examples/adopt-existing.json`: the first plan imports it and destroys nothing; afterwards its
// objects and statement are intact, versioning is on, encryption is its own key; destroy is refused
// until it is detached, and then leaves it in place.
import * as path from "node:path";
import { PROJECT_ROOT } from "../support/fixtures";
import { describeEmulatedDeploy } from "../support/emulated-deploy";

describeEmulatedDeploy(
  "adopt an existing bucket of Alice's (examples/adopt-existing.json) on two emulated accounts (terraform + moto)",
  path.join(PROJECT_ROOT, "examples", "adopt-existing.json"),
);
