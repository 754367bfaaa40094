import { existsSync } from "node:fs";
import * as path from "node:path";

/** The folder holding cdktf.json, whether this runs compiled (dist/tools, dist/dev) or from source (ts-jest). */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "cdktf.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no cdktf.json above ${from}`);
  }
}

export const PROJECT_ROOT = findProjectRoot(__dirname);

export const CDKTF = path.join(PROJECT_ROOT, "node_modules", ".bin", "cdktf");
