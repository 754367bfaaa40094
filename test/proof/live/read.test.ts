// verify --live's reader against moto's IAM: a role whose grants are customer managed policies
// (lib/role-grants.ts) is read with each attached policy named by its ARN and its default version's
// document, exactly as the synth model names and holds it, so the comparison finds no drift.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { fanOutFleet } from "../../../dev/generate-fleet";
import { startMoto, type Moto } from "../../../dev/emulator";
import { findMotoServer } from "../../../dev/toolchain";
import { readLiveState } from "../../../proof/live/read";
import { liveFleetModel } from "../../../proof/live/model";
import { buildFleetModel } from "../../../proof/synth/model";
import { loadSynthOutput } from "../../../proof/synth/synth-output";
import { clientsFor } from "../../../tools/accounts";
import { runApp } from "../../support/app";
import { describeWithTools, missingReasons, pathOf } from "../../support/tools";

const moto = findMotoServer();

describeWithTools("verify --live reads a role's managed policies (moto)", missingReasons(moto), () => {
  let emulator: Moto;
  const config = path.join(mkdtempSync(path.join(tmpdir(), "fan-out-")), "fan-out-18.json");
  writeFileSync(config, JSON.stringify(fanOutFleet(18)));
  const expected = buildFleetModel(loadSynthOutput(runApp(config).outdir));
  const role = expected.replications[0].role;

  beforeAll(async () => {
    emulator = await startMoto(pathOf(moto), path.join(mkdtempSync(path.join(tmpdir(), "moto-iam-")), "moto.log"));
  }, 60_000);
  afterAll(async () => {
    await emulator?.stop();
  });

  test("each attached policy by its ARN, with its document; an inline policy added outside the stack too", async () => {
    const [source, destination] = await Promise.all([
      clientsFor(emulator.endpoint, expected.source.account, expected.source.region),
      clientsFor(emulator.endpoint, expected.destination.account, expected.destination.region),
    ]);
    expect(role.policies.filter((p) => p.managed).length).toBeGreaterThan(1);
    await source.iam.send(new CreateRoleCommand({ RoleName: role.name, AssumeRolePolicyDocument: JSON.stringify(role.trustPolicy) }));
    for (const p of role.policies) {
      const name = p.name.replace(/^arn:aws:iam::\d{12}:policy\//, "");
      const { Policy } = await source.iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: JSON.stringify(p.document) }));
      expect(Policy!.Arn).toBe(p.name);
      await source.iam.send(new AttachRolePolicyCommand({ RoleName: role.name, PolicyArn: Policy!.Arn }));
    }
    const extra = { Version: "2012-10-17" as const, Statement: [{ Sid: "AddedByHand", Effect: "Allow" as const, Action: "s3:GetObject", Resource: "*" }] };
    await source.iam.send(new PutRolePolicyCommand({ RoleName: role.name, PolicyName: "added-by-hand", PolicyDocument: JSON.stringify(extra) }));

    const state = await readLiveState(expected, source, destination);
    const live = liveFleetModel(expected, state, {}).model.replications[0].role;
    expect(live.policies.filter((p) => p.managed)).toEqual(role.policies.map((p) => ({ ...p, managed: true })));
    expect(live.policies.find((p) => p.name === "added-by-hand")?.document).toEqual(extra);
  });
});
