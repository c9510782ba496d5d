import { PlaygroundError } from "@playground/kit";
import { parseArgs } from "./args.js";
import { benchCommand } from "./bench-command.js";
import { demoCommand } from "./demo-command.js";
import { docsCommand } from "./docs-command.js";
import { doctorCommand } from "./doctor-command.js";
import { infraCommand } from "./infra-command.js";

const write = (line: string) => process.stdout.write(`${line}\n`);

// `pnpm demo --json | head` closes our stdout early; that is not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const args = parseArgs(rest);
  switch (command) {
    case "demo":
      return demoCommand(args);
    case "infra":
      return infraCommand(args, write);
    case "doctor":
      return doctorCommand(write);
    case "bench":
      return benchCommand(args);
    case "docs":
      return docsCommand(args, write);
    default:
      throw new PlaygroundError(
        `Unknown command \`${command ?? ""}\`: use demo, infra, doctor, bench or docs.`,
      );
  }
}

/**
 * Errors the user can act on print one line and no stack trace. Anything
 * else is a bug in the playground, so it keeps its stack.
 */
main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof PlaygroundError) process.stderr.write(`${err.message}\n`);
    else
      process.stderr.write(
        `Unexpected error (please report it):\n${err instanceof Error ? err.stack : String(err)}\n`,
      );
    process.exitCode = 1;
  },
);
