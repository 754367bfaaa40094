// Terraform's output condensed to a line per resource done (created, modified, destroyed,
// imported) and a summary at the end, for commands whose full output goes to a log (the emulated
// deploy, an unattended bring-up). cdktf redraws its screen, so a resource may be reported twice:
// each is counted once per stack and action.

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
// A stack: source or dest, or an organization's source-<name> and dest-<name>.
const DONE = /(?:^|\s)(?:((?:source|dest)(?:-[a-z0-9][a-z0-9-]*)?)\s+)?((?:data\.)?[a-z0-9_]+\.[\w-]+(?:\[[^\]]+\])?)(?: \([^)]*\))?: (Creation|Modifications|Destruction|Import) complete(?: after (\S+))?/;
const ACTIONS = { Creation: "created", Modifications: "modified", Destruction: "destroyed", Import: "imported" } as const;
type Action = (typeof ACTIONS)[keyof typeof ACTIONS];
const MARK: Record<Action, string> = { created: "+", modified: "~", destroyed: "-", imported: "←" };

export class TerraformProgress {
  private readonly seen = new Set<string>();
  private readonly counts: Record<Action, number> = { created: 0, modified: 0, destroyed: 0, imported: 0 };
  private partial = "";

  constructor(private readonly print: (line: string) => void) {}

  /** Feeds a chunk of output (any split: partial lines wait for their end). */
  write(chunk: string): void {
    const lines = (this.partial + chunk).split(/\r?\n/);
    this.partial = lines.pop() ?? "";
    for (const line of lines) this.line(line);
  }

  line(raw: string): void {
    const m = DONE.exec(raw.replace(ANSI, ""));
    if (!m) return;
    const [, stack, address, verb, took] = m;
    const action = ACTIONS[verb as keyof typeof ACTIONS];
    // cdktf prints a resource once with its stack's name and, on a redraw, without: keyed by address.
    const key = `${action} ${address}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.counts[action]++;
    this.print(`    ${MARK[action]} ${action} ${stack ? `${stack}: ` : ""}${address}${took ? ` (${took})` : ""}`);
  }

  /** "12 created, 1 imported" (or "no changes"), for the end of a step. */
  summary(): string {
    const parts = (Object.keys(this.counts) as Action[]).filter((a) => this.counts[a] > 0).map((a) => `${this.counts[a]} ${a}`);
    return parts.length ? parts.join(", ") : "no changes";
  }
}
