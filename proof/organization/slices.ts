// An organization's synth output as the slices the proof already knows: one source stack with
// the part of a destination stack it writes into. A destination stack's resources fall apart
// into groups that reference each other (a bucket, its key, alias, policy and settings); each
// group goes to the slice of every source stack whose state it reads, and a group that reads none
// goes to every slice of that stack, so each proof judges it. Everything else of the destination
// stack (providers, variables, what verify does not know) is in every slice, and every other
// stack is there to resolve remote state, never proved twice. Fail closed: a remote state no
// source stack writes, or a source stack no destination stack reads, is unusable input.
import { VerifyInputError } from "../errors";
import { StackView } from "../synth/references";
import type { StackName, SynthOutput } from "../synth/synth-output";

export interface OrganizationSlice {
  /** The source stack (source-<name>) proved whole. */
  source: string;
  /** The destination stack (dest-<name>) it writes into, of which the slice holds its part. */
  dest: string;
  out: SynthOutput;
}

const RESOURCE_REFERENCE = /(?<![\w.])(aws_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/g;
const REMOTE_STATE_REFERENCE = /\bdata\.terraform_remote_state\.([\w-]+)/g;

/** Every string inside a JSON value. */
function* stringsIn(value: unknown): Generator<string> {
  if (typeof value === "string") yield value;
  else if (Array.isArray(value)) for (const v of value) yield* stringsIn(v);
  else if (value && typeof value === "object") for (const v of Object.values(value)) yield* stringsIn(v);
}

/** The resource addresses (of `known`) and remote state data sources a JSON value mentions. */
function mentions(value: unknown, known: Set<string>): { resources: string[]; remoteStates: string[] } {
  const resources = new Set<string>();
  const remoteStates = new Set<string>();
  for (const s of stringsIn(value)) {
    for (const [, type, name] of s.matchAll(RESOURCE_REFERENCE)) if (known.has(`${type}.${name}`)) resources.add(`${type}.${name}`);
    for (const [, name] of s.matchAll(REMOTE_STATE_REFERENCE)) remoteStates.add(name);
  }
  return { resources: [...resources], remoteStates: [...remoteStates] };
}

/** The groups of a stack's resources that reference each other (union-find over the addresses). */
function resourceGroups(json: Record<string, any>): { groupOf: Map<string, string>; bodies: Map<string, unknown> } {
  const bodies = new Map<string, unknown>();
  for (const [type, byName] of Object.entries((json.resource ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const [name, body] of Object.entries(byName ?? {})) bodies.set(`${type}.${name}`, body);
  }
  const known = new Set(bodies.keys());
  const parent = new Map([...known].map((a) => [a, a]));
  const root = (a: string): string => {
    let r = a;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(a, r);
    return r;
  };
  for (const [address, body] of bodies) for (const other of mentions(body, known).resources) parent.set(root(other), root(address));
  return { groupOf: new Map([...known].map((a) => [a, root(a)])), bodies };
}

/** The slices of an organization's stacks (every stack named source-<name> or dest-<name>). */
export function organizationSlices(dir: string, stacks: Record<string, unknown>, synthesizedFrom?: SynthOutput["synthesizedFrom"]): OrganizationSlice[] {
  const names = Object.keys(stacks);
  const odd = names.filter((n) => !/^(source|dest)-/.test(n));
  if (odd.length) throw new VerifyInputError(`${dir} holds stack${odd.length > 1 ? "s" : ""} ${odd.join(", ")} beside an organization's source-<name> and dest-<name> stacks: synthesize into a clean folder`);
  const views: StackView[] = names.map((n) => new StackView(n as StackName, stacks[n], () => views.filter((v) => v.name !== n)));
  const sources = views.filter((v) => v.name.startsWith("source-"));
  const read = new Set<string>();
  const slices: OrganizationSlice[] = [];
  for (const dest of views.filter((v) => v.name.startsWith("dest-"))) {
    const remote = Object.entries((dest.json.data?.terraform_remote_state ?? {}) as Record<string, Record<string, any>>);
    const writerOf = new Map(
      remote.map(([dataName, data]) => {
        const writer = sources.find((s) => s.writesStateReadBy(data));
        if (!writer) {
          throw new VerifyInputError(`data.terraform_remote_state.${dataName} in stack ${dest.name} reads ${data?.backend} state ${JSON.stringify(data?.config)} that no source stack of this organization writes: backend and reader disagree`);
        }
        return [dataName, writer] as const;
      }),
    );
    const { groupOf, bodies } = resourceGroups(dest.json);
    // The remote states each group reads, through any of its resources.
    const readsOf = new Map<string, Set<string>>();
    for (const [address, body] of bodies) {
      const reads = readsOf.get(groupOf.get(address)!) ?? new Set<string>();
      for (const r of mentions(body, new Set()).remoteStates) reads.add(r);
      readsOf.set(groupOf.get(address)!, reads);
    }
    const known = new Set(bodies.keys());
    for (const [dataName, writer] of writerOf) {
      read.add(writer.name);
      const kept = (address: string) => {
        const reads = readsOf.get(groupOf.get(address)!)!;
        return reads.size === 0 || reads.has(dataName);
      };
      const resource: Record<string, Record<string, unknown>> = {};
      for (const address of bodies.keys()) {
        if (!kept(address)) continue;
        const [type, name] = [address.slice(0, address.indexOf(".")), address.slice(address.indexOf(".") + 1)];
        (resource[type] ??= {})[name] = bodies.get(address);
      }
      // An output goes where the resources it names go; one naming none, everywhere.
      const output = Object.fromEntries(
        Object.entries((dest.json.output ?? {}) as Record<string, unknown>).filter(([, body]) => {
          const m = mentions(body, known);
          return m.resources.every(kept) && m.remoteStates.every((r) => r === dataName);
        }),
      );
      const part = { ...dest.json, resource, ...(dest.json.output ? { output } : {}) };
      slices.push({
        source: writer.name,
        dest: dest.name,
        out: {
          dir,
          stacks: { source: writer.json, dest: part },
          peers: views.filter((v) => v !== writer && v !== dest).map((v) => ({ name: v.name, json: v.json })),
          ...(synthesizedFrom ? { synthesizedFrom } : {}),
        },
      });
    }
  }
  const unread = sources.filter((s) => !read.has(s.name));
  if (unread.length) {
    throw new VerifyInputError(`no destination stack reads the state of ${unread.map((s) => s.name).join(", ")}: its roles would be admitted nowhere; synthesize the organization again`);
  }
  // By source stack: the report's order does not depend on the order of the data sources.
  return slices.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
}
