import { execFile } from "node:child_process";

// A rejection that no one handles is a bug we would otherwise never hear
// about. Since Node.js 15 the default (`--unhandled-rejections=throw`) treats
// it like an uncaught exception: the error goes to stderr and the process
// exits with code 1. Before 15 Node only printed a warning and carried on.
// We run it in a child process, since it ends the process it happens in.

const SCRIPT = `
async function save() {
  throw new Error("the database said no");
}
save(); // no await, no .catch: the rejection has no handler
setTimeout(() => console.log("still running"), 100);
`;

/** How a child process that leaves a rejection unhandled ended. */
export interface ProcessEnd {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the script above in a fresh Node.js process, with extra `flags` if given. */
export function runUnhandledRejection(flags: string[] = []): Promise<ProcessEnd> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...flags, "-e", SCRIPT], (error, stdout, stderr) => {
      const code = error && typeof error.code === "number" ? error.code : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
