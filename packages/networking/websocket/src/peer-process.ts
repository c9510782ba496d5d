import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const PEER = fileURLToPath(new URL("./peer.mjs", import.meta.url));

/**
 * A WebSocket client running in a child process (`peer.mjs`). We freeze it
 * with SIGSTOP or kill it with SIGKILL: in neither case does it send a
 * close frame, which is exactly what a crashed or hung client does.
 */
export class PeerProcess {
  readonly exited: Promise<void>;

  private constructor(readonly child: ChildProcess) {
    this.exited = once(child, "exit").then(() => {});
  }

  /** Spawns a client of `wsUrl` and resolves once its WebSocket is open. */
  static async spawn(wsUrl: string): Promise<PeerProcess> {
    const child = spawn(process.execPath, [PEER, wsUrl], { stdio: ["ignore", "pipe", "inherit"] });
    const peer = new PeerProcess(child);
    await new Promise<void>((resolve, reject) => {
      let output = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        output += chunk;
        if (output.includes("open\n")) resolve();
      });
      child.once("exit", (code) =>
        reject(new Error(`the peer exited with ${code} before it connected`)),
      );
    });
    return peer;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** SIGSTOP: the process stops, its socket stays open, and nothing answers pings. */
  freeze(): void {
    this.child.kill("SIGSTOP");
  }

  /** SIGKILL: no close frame; the kernel still closes the socket (FIN) for it. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    await this.exited;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.kill();
  }
}
