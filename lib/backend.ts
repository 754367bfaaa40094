// Where each stack keeps its state, and how the other stack reads it. Both directions come
// from the same function, so a reader always reads the kind of backend its writer writes to.
import * as path from "node:path";
import {
  CloudBackend,
  DataTerraformRemoteState,
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  LocalBackend,
  NamedCloudWorkspace,
  S3Backend,
  TerraformRemoteState,
  TerraformStack,
} from "cdktf";
import type { Construct } from "constructs";
import { cloudWorkspaceNames, type BackendConfig } from "./config";
import { keepCloudProjectInHcl } from "./hcl-output";
import type { AnyStackName } from "./naming";


/**
 * cdktf runs terraform in cdktf.out/stacks/<stack>; a path relative to that folder keeps the
 * synthesized JSON free of machine paths while the state still lands in the project.
 */
const PROJECT_ROOT_FROM_STACK_DIR = "../../..";

export function localStatePath(stateDir: string, stack: AnyStackName): string {
  return path.posix.join(PROJECT_ROOT_FROM_STACK_DIR, stateDir, `terraform.${stack}.tfstate`);
}

export function s3StateKey(keyPrefix: string, stack: AnyStackName): string {
  return `${keyPrefix}/${stack}.tfstate`;
}

function s3Settings(backend: Extract<BackendConfig, { type: "s3" }>, stack: AnyStackName) {
  return {
    bucket: backend.bucket,
    key: s3StateKey(backend.keyPrefix, stack),
    region: backend.region,
    encrypt: true,
    ...(backend.dynamodbTable ? { dynamodbTable: backend.dynamodbTable } : {}),
    ...(backend.roleArn ? { assumeRole: { roleArn: backend.roleArn } } : {}),
  };
}

/** A stack's Terraform Cloud workspace: the pair's and fleet's as configured, an organization's <prefix>-<stack>. */
export function workspaceOf(backend: Extract<BackendConfig, { type: "cloud" }>, name: AnyStackName): string {
  return name === "source" || name === "dest" ? cloudWorkspaceNames(backend)[name] : `${backend.workspacePrefix}-${name}`;
}

/** Configures where `stack` keeps its own state. */
export function configureBackend(stack: TerraformStack, name: AnyStackName, backend: BackendConfig): void {
  switch (backend.type) {
    case "local":
      new LocalBackend(stack, { path: localStatePath(backend.stateDir, name) });
      return;
    case "s3":
      new S3Backend(stack, s3Settings(backend, name));
      // S3-native state locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no property for it.
      stack.addOverride("terraform.backend.s3.use_lockfile", true);
      return;
    case "cloud":
      keepCloudProjectInHcl(
        new CloudBackend(stack, {
          hostname: backend.hostname,
          organization: backend.organization,
          workspaces: new NamedCloudWorkspace(workspaceOf(backend, name), backend.project),
        }),
        backend.project,
      );
      return;
  }
}

/** A terraform_remote_state data source reading the outputs of stack `other`. */
export function remoteStateOf(
  scope: Construct,
  id: string,
  other: AnyStackName,
  backend: BackendConfig,
): TerraformRemoteState {
  switch (backend.type) {
    case "local":
      return new DataTerraformRemoteStateLocal(scope, id, { path: localStatePath(backend.stateDir, other) });
    case "s3":
      return new DataTerraformRemoteStateS3(scope, id, s3Settings(backend, other));
    case "cloud":
      // The cloud block has no remote-state reader of its own; the remote backend reads the same workspace.
      return new DataTerraformRemoteState(scope, id, {
        hostname: backend.hostname,
        organization: backend.organization,
        workspaces: { name: workspaceOf(backend, other) },
      });
  }
}
