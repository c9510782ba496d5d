/** `--json`, `--fast`, `--list` and positionals; nothing more is needed. */
export interface Args {
  positionals: string[];
  flags: Set<string>;
}

export function parseArgs(argv: string[]): Args {
  const positionals: string[] = [];
  const flags = new Set<string>();
  for (const arg of argv) {
    if (arg === "--") continue;
    if (arg.startsWith("--")) flags.add(arg.slice(2));
    else positionals.push(arg);
  }
  return { positionals, flags };
}
