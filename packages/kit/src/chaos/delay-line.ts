import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomInt } from "node:crypto";
import dgram from "node:dgram";
import { once } from "node:events";
import { accessSync, readdirSync } from "node:fs";
import { waitUntil } from "../helpers/wait.js";
import { freePort } from "../proc/ports.js";
import { killOnExit } from "../proc/reaper.js";
import { isAlive } from "../proc/tree.mjs";

/**
 * A network path with real latency under every packet, the handshake
 * included, for machines without netem.
 *
 * The chaos proxy delays bytes, but the kernel has already finished a TCP
 * handshake before any proxy sees the connection. To delay SYN and SYN-ACK
 * too, packets must pass through us. So: two TUN devices, each opened by a
 * `socat` that turns every IP packet into one UDP datagram on loopback. One
 * device stays here ("near"); the other moves into a network namespace of its
 * own ("far"). A relay in this process holds each datagram for `oneWayMs`
 * before passing it across. A process started in the far namespace is a
 * host `oneWayMs` away, in both directions, for TCP and UDP alike.
 *
 * Needs Linux, root (CAP_NET_ADMIN), /dev/net/tun, iproute2 and socat.
 */
export class DelayLine {
  /** The far side's address, reachable from here. */
  readonly farAddress: string;
  /** Our side's address, as the far side sees it. */
  readonly nearAddress: string;
  #oneWayMs: number;
  readonly #socats: ChildProcess[] = [];
  readonly #sockets: dgram.Socket[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  /** The TUN devices: ours, and the one in the far namespace. */
  readonly devices: [string, string];

  private constructor(
    readonly netns: string,
    tag: string,
    subnet: number,
    oneWayMs: number,
  ) {
    this.devices = [`pdl${tag}n`, `pdl${tag}f`];
    this.nearAddress = `10.77.${subnet}.1`;
    this.farAddress = `10.77.${subnet}.2`;
    this.#oneWayMs = oneWayMs;
  }

  /** What is missing for a delay line on this machine, or undefined if nothing is. */
  static missing(): string | undefined {
    if (process.platform !== "linux")
      return "a delay line needs Linux (TUN devices and namespaces)";
    if (process.getuid?.() !== 0) return "a delay line needs root (CAP_NET_ADMIN): run as root";
    for (const [what, path] of [
      ["/dev/net/tun", "/dev/net/tun"],
      ["socat (apt-get install socat)", "/usr/bin/socat"],
      ["ip (apt-get install iproute2)", "/usr/sbin/ip"],
    ]) {
      try {
        accessSync(path!);
      } catch {
        return `a delay line needs ${what}`;
      }
    }
    return undefined;
  }

  static async open({ oneWayMs }: { oneWayMs: number }): Promise<DelayLine> {
    const missing = DelayLine.missing();
    if (missing) throw new Error(`Cannot open a delay line: ${missing}.`);
    sweepStaleNamespaces();
    const subnet = randomInt(1, 255);
    const tag = `${process.pid.toString(36)}${randomInt(36 ** 3).toString(36)}`;
    const line = new DelayLine(`playground-dl-${process.pid}-${tag}`, tag, subnet, oneWayMs);
    try {
      await line.#build();
    } catch (error) {
      await line.close();
      throw error;
    }
    return line;
  }

  get oneWayMs(): number {
    return this.#oneWayMs;
  }

  /** Changes the delay for packets from now on (packets in flight keep theirs). */
  setDelay(oneWayMs: number): void {
    this.#oneWayMs = oneWayMs;
  }

  /** The command prefix that runs a program on the far side. */
  get farCommand(): string[] {
    return ["ip", "netns", "exec", this.netns];
  }

  async #build(): Promise<void> {
    // Two relay sockets first, so no socat ever sends to a closed port.
    const [relayNear, relayFar] = [dgram.createSocket("udp4"), dgram.createSocket("udp4")];
    this.#sockets.push(relayNear, relayFar);
    const [nearPort, farPort] = [await freePort(), await freePort()];
    relayNear.bind(0, "127.0.0.1");
    relayFar.bind(0, "127.0.0.1");
    await Promise.all([once(relayNear, "listening"), once(relayFar, "listening")]);
    // Each packet from one device goes, `oneWayMs` later, into the other one.
    // Equal delays keep the order, as a wire would.
    const forward = (to: dgram.Socket, port: number) => (packet: Buffer) =>
      this.#after(this.#oneWayMs, () => to.send(packet, port, "127.0.0.1"));
    relayNear.on("message", forward(relayFar, farPort));
    relayFar.on("message", forward(relayNear, nearPort));

    const [near, far] = this.devices;
    this.#socat(near, `${this.nearAddress}/30`, relayNear.address().port, nearPort);
    this.#socat(far, `${this.farAddress}/30`, relayFar.address().port, farPort);
    const exists = (name: string) => () => ip("link", "show", name).length > 0;
    await waitUntil(`TUN device ${near}`, exists(near), { timeoutMs: 5_000 });
    await waitUntil(`TUN device ${far}`, exists(far), { timeoutMs: 5_000 });

    // Moving a device into another namespace takes its address and its "up" with it.
    ip("netns", "add", this.netns);
    ip("link", "set", far, "netns", this.netns);
    ip("-n", this.netns, "link", "set", "lo", "up");
    ip("-n", this.netns, "addr", "add", `${this.farAddress}/30`, "dev", far);
    ip("-n", this.netns, "link", "set", far, "up");
  }

  // A timer may fire up to a millisecond early by the clock it rounds to; a
  // packet must never arrive sooner than the line's delay, so we check.
  #after(ms: number, send: () => void): void {
    const due = performance.now() + ms;
    const tick = () => {
      this.#timers.delete(timer);
      if (this.#closed) return;
      const left = due - performance.now();
      if (left > 0) return this.#after(left, send);
      send();
    };
    const timer = setTimeout(tick, ms);
    this.#timers.add(timer);
  }

  #socat(device: string, address: string, relayPort: number, ownPort: number): void {
    const child = spawn(
      "socat",
      [
        `TUN:${address},tun-name=${device},iff-no-pi,up`,
        `UDP-DATAGRAM:127.0.0.1:${relayPort},bind=127.0.0.1:${ownPort}`,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    const reaped = killOnExit(child.pid!);
    child.once("exit", () => reaped.release());
    child.stderr!.resume();
    this.#socats.push(child);
  }

  /** Removes the devices, the namespace and the relay. Safe to call twice. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    for (const socat of this.#socats) {
      if (socat.exitCode === null && socat.signalCode === null) {
        socat.kill("SIGKILL");
        await once(socat, "exit");
      }
    }
    this.#socats.length = 0;
    for (const socket of this.#sockets.splice(0)) socket.close();
    try {
      ip("netns", "del", this.netns);
    } catch {
      // never created, or already gone
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function ip(...args: string[]): string {
  return execFileSync("ip", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Namespaces left behind by a process that died before closing its delay line. */
function sweepStaleNamespaces(): void {
  let names: string[] = [];
  try {
    names = readdirSync("/run/netns");
  } catch {
    return;
  }
  for (const name of names) {
    const owner = /^playground-dl-(\d+)-/.exec(name)?.[1];
    if (owner && !isAlive(Number(owner))) {
      try {
        ip("netns", "del", name);
      } catch {
        // someone else swept it
      }
    }
  }
}
