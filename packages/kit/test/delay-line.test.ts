import { execFileSync } from "node:child_process";
import dgram from "node:dgram";
import { existsSync } from "node:fs";
import net from "node:net";
import { describe, expect, test } from "@jest/globals";
import { DelayLine, ScriptProcess } from "../src/index.js";

const ECHO = new URL("./fixtures/echo-servers.ts", import.meta.url);
const ONE_WAY_MS = 30;

type Listening = { type: string; tcp: number; udp: number };

async function farEcho(
  line: DelayLine,
): Promise<{ server: ScriptProcess<Listening>; ports: Listening }> {
  const server = new ScriptProcess<Listening>(ECHO, [], "far echo", { prefix: line.farCommand });
  return { server, ports: await server.next("listening") };
}

describe("DelayLine", () => {
  test("when a TCP client connects across the line, then the handshake alone takes a round trip", async () => {
    await using line = await DelayLine.open({ oneWayMs: ONE_WAY_MS });
    const { server, ports } = await farEcho(line);
    await using _server = server;

    const started = performance.now();
    const socket = net.connect({ host: line.farAddress, port: ports.tcp });
    await new Promise<void>((resolve, reject) =>
      socket.once("connect", resolve).once("error", reject),
    );
    const connectMs = performance.now() - started;
    socket.destroy();

    // SYN out and SYN-ACK back each waited in the line: never less than two
    // one-way delays. The upper bound only says nothing else took as long.
    expect(connectMs / (2 * ONE_WAY_MS)).toBeGreaterThanOrEqual(1);
    expect(connectMs / (2 * ONE_WAY_MS)).toBeLessThan(2);
  });

  test("when a UDP datagram is echoed across the line, then the answer takes one round trip", async () => {
    await using line = await DelayLine.open({ oneWayMs: ONE_WAY_MS });
    const { server, ports } = await farEcho(line);
    await using _server = server;
    const socket = dgram.createSocket("udp4");

    const started = performance.now();
    const answered = new Promise<void>((resolve) => socket.once("message", () => resolve()));
    socket.send("ping", ports.udp, line.farAddress);
    await answered;
    const echoMs = performance.now() - started;
    socket.close();

    expect(echoMs / (2 * ONE_WAY_MS)).toBeGreaterThanOrEqual(1);
    expect(echoMs / (2 * ONE_WAY_MS)).toBeLessThan(2);
  });

  test("when a delay line is closed, then its namespace and its socat processes are gone", async () => {
    const line = await DelayLine.open({ oneWayMs: 1 });
    const links = () => execFileSync("ip", ["-o", "link", "show"], { encoding: "utf8" });
    expect(existsSync(`/run/netns/${line.netns}`)).toBe(true);
    expect(links()).toContain(line.devices[0]);

    await line.close();

    expect(existsSync(`/run/netns/${line.netns}`)).toBe(false);
    // A TUN device lives as long as the socat holding it open.
    expect(links()).not.toContain(line.devices[0]);
  });
});
