// The app's bookkeeping in its output folder: never two formats in one stack folder, and a record
// of the config it synthesized.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { removeOtherFormat, SYNTH_RECORD_FILE, writeSynthRecord } from "../../lib/synth-record";

function outdirWithBothFormats(): string {
  const outdir = mkdtempSync(path.join(tmpdir(), "record-"));
  for (const stack of ["source", "dest"]) {
    mkdirSync(path.join(outdir, "stacks", stack), { recursive: true });
    for (const f of ["cdk.tf", "cdk.tf.json"]) writeFileSync(path.join(outdir, "stacks", stack, f), "{}");
  }
  return outdir;
}

describe("removeOtherFormat", () => {
  test("a JSON synth removes cdk.tf from every stack folder, an HCL synth cdk.tf.json", () => {
    const json = outdirWithBothFormats();
    removeOtherFormat(json, ["source", "dest"], false);
    expect(["source", "dest"].map((s) => [existsSync(path.join(json, "stacks", s, "cdk.tf")), existsSync(path.join(json, "stacks", s, "cdk.tf.json"))])).toEqual([
      [false, true],
      [false, true],
    ]);
    const hcl = outdirWithBothFormats();
    removeOtherFormat(hcl, ["source", "dest"], true);
    expect(["source", "dest"].map((s) => [existsSync(path.join(hcl, "stacks", s, "cdk.tf")), existsSync(path.join(hcl, "stacks", s, "cdk.tf.json"))])).toEqual([
      [true, false],
      [true, false],
    ]);
  });

  test("a first synth (no folder yet) is not an error", () => {
    expect(() => removeOtherFormat(path.join(tmpdir(), "not-there"), ["source"], false)).not.toThrow();
  });
});

test("writeSynthRecord names the config relative to the folder synth ran in, with its SHA-256", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "record-"));
  const config = path.join(dir, "my.config.json");
  writeFileSync(config, "abc");
  writeSynthRecord(path.join(dir, "out"), config);
  expect(JSON.parse(readFileSync(path.join(dir, "out", SYNTH_RECORD_FILE), "utf8"))).toEqual({
    config: path.relative(process.cwd(), config),
    // sha256("abc"), FIPS 180-2's example
    sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  });
});
