// Finds the local tools the deploy-time checks need: terraform, a filesystem mirror of the
// AWS provider (so `terraform init` runs offline) and moto_server. Each finder returns a reason
// instead of a path when the tool is absent, so callers can say exactly why they skipped.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import * as path from "node:path";

export type Found = { path: string } | { missing: string };

/** The AWS provider version @cdktf/provider-aws 20.1.0 is generated for (cdk.tf.json pins it). */
export const AWS_PROVIDER_VERSION = "5.100.0";

function onPath(command: string): string | undefined {
  const r = spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export function findTerraform(): Found {
  const found = onPath("terraform");
  return found ? { path: found } : { missing: "terraform is not on PATH" };
}

export function findMotoServer(): Found {
  const found = onPath("moto_server");
  return found ? { path: found } : { missing: "moto_server is not on PATH (pip install 'moto[server]')" };
}

/**
 * The folder holding registry.terraform.io/hashicorp/aws/<version>/: $TF_PROVIDER_MIRROR if set,
 * else the first one found on this file system.
 */
export function findProviderMirror(): Found {
  const fromEnv = process.env.TF_PROVIDER_MIRROR;
  const versionDir = (root: string) => path.join(root, "registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION);
  if (fromEnv) {
    return existsSync(versionDir(fromEnv))
      ? { path: fromEnv }
      : { missing: `TF_PROVIDER_MIRROR=${fromEnv} holds no hashicorp/aws ${AWS_PROVIDER_VERSION}` };
  }
  let listing = "";
  try {
    listing = execFileSync(
      "find",
      ["/", "-xdev", "-path", `*/registry.terraform.io/hashicorp/aws/${AWS_PROVIDER_VERSION}/*`, "-name", "terraform-provider-aws_*"],
      { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 60_000 },
    );
  } catch (e) {
    listing = (e as { stdout?: string }).stdout ?? ""; // find exits 1 on unreadable folders
  }
  const binary = listing.split("\n").find((l) => l.trim());
  if (!binary) {
    return { missing: `no filesystem mirror of hashicorp/aws ${AWS_PROVIDER_VERSION} found (set TF_PROVIDER_MIRROR)` };
  }
  // <mirror>/registry.terraform.io/hashicorp/aws/<version>/<os_arch>/terraform-provider-aws_...
  return { path: path.resolve(path.dirname(binary), "../../../../..") };
}

/** Writes a terraform CLI config that installs hashicorp/aws from `mirror` only; returns its path. */
export function writeTerraformCliConfig(dir: string, mirror: string): string {
  const file = path.join(dir, "terraform.rc");
  writeFileSync(
    file,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
  );
  return file;
}
