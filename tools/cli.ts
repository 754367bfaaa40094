// One argument parser for the command-line entry points (verify, backfill, deploy:local, bench):
// `--flag` switches and `--option <value>` pairs, every unknown or incomplete one a UsageError
// that repeats the usage line. Entry points turn a UsageError into exit 2.

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** What a command accepts: switches (no value) and options (one value each). */
export interface ArgSpec<S extends string, O extends string> {
  usage: string;
  switches: readonly S[];
  options: readonly O[];
}

export interface ParsedArgs<S extends string, O extends string> {
  switches: Set<S>;
  options: Partial<Record<O, string>>;
}

/** Parses `argv` (without node and the script) against `spec`. */
export function parseArgv<S extends string, O extends string>(argv: readonly string[], spec: ArgSpec<S, O>): ParsedArgs<S, O> {
  const switches = new Set<S>();
  const options: Partial<Record<O, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const name = arg.replace(/^--/, "");
    if (arg.startsWith("--") && (spec.switches as readonly string[]).includes(name)) {
      switches.add(name as S);
    } else if (arg.startsWith("--") && (spec.options as readonly string[]).includes(name)) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`${arg} needs a value: ${spec.usage}`);
      options[name as O] = value;
      i++;
    } else {
      throw new UsageError(`unknown option ${arg}: ${spec.usage}`);
    }
  }
  return { switches, options };
}
