import { randomUUID } from "node:crypto";
import { defineDemo } from "@playground/kit";
import { RedisBus } from "./fan-out.js";
import { FeedClient } from "./feed-client.js";
import { acceptFor, rawHandshake, WEBSOCKET_GUID } from "./handshake.js";
import { ReverseProxy } from "./http-proxy.js";
import { PeerProcess } from "./peer-process.js";
import { type Delivery, measureDelivery, percentile, type Transport } from "./push-vs-poll.js";
import { LiveServer } from "./websocket.js";

const MiB = 1024 * 1024;
const EVENTS = 256;
const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const wsUrlOf = (server: { url: string }) => `${server.url.replace("http", "ws")}/ws`;

export default defineDemo({
  title: "WebSocket",
  services: ["redis"],
  async run(ctx) {
    // Two instances of one live-feed server, as a load balancer would see
    // them. Each is an express app and a ws server on one port, and both
    // subscribe to one Redis channel, so a message to either reaches all.
    const channel = `websocket-demo:${randomUUID()}`;
    // Not shortened in fast mode: on a loaded machine a healthy client could
    // miss two 100 ms pongs and be dropped as dead.
    const heartbeatMs = 250;
    const start = async (name: string) => {
      const bus = new RedisBus(ctx.services.redis.url, channel);
      const server = await LiveServer.start({ name, bus, heartbeatMs, highWaterMark: MiB });
      ctx.defer(() => server.close());
      return server;
    };
    const a = await start("a");
    const b = await start("b");
    ctx.say(
      `Instances a and b: express and ws on one port each, joined by Redis channel ${channel}.`,
    );

    // The handshake, written by hand so we can see it: an HTTP request
    // that asks to switch protocols, and a 101 whose accept header proves
    // the server read our key.
    const handshake = await rawHandshake(a.port);
    handshake.socket.destroy();
    const accept = handshake.headers["sec-websocket-accept"] ?? "";
    ctx.event("client", "GET /ws  Upgrade: websocket", `Sec-WebSocket-Key: ${handshake.key}`);
    ctx.event("a", `${handshake.status} Switching Protocols`, `Sec-WebSocket-Accept: ${accept}`);
    ctx.event(
      "client",
      "checks the accept",
      `base64(SHA-1(key + "${WEBSOCKET_GUID}")) = ${acceptFor(handshake.key)}`,
    );
    const health = await fetch(`${a.url}/health`);
    await health.body?.cancel();
    ctx.event("client", `GET /health → ${health.status}`, "express answers on the same port");
    const handshakeHolds =
      handshake.status === 101 && accept === acceptFor(handshake.key) && health.status === 200;

    // Push against polling: the same 100 events, 10 ms apart, to one client
    // of each kind, each through a proxy that counts the bytes on the wire.
    ctx.say("100 events, 10 ms apart, delivered three ways; a proxy counts the bytes.");
    const deliveries = new Map<Transport, Delivery>();
    for (const transport of ["websocket", "long-polling", "short-polling"] as const) {
      const delivery = await measureDelivery(a, transport, {
        count: 100,
        intervalMs: 10,
        pollMs: ctx.fast ? 20 : 50,
        pause: (ms) => ctx.sleep(ms),
      });
      deliveries.set(transport, delivery);
      ctx.event(
        transport,
        `${delivery.delivered} events in ${delivery.requests} HTTP request(s)`,
        `${delivery.bytes} bytes · median ${round(percentile(delivery.latencies, 0.5), 2)} ms`,
      );
    }
    const ws = deliveries.get("websocket")!;
    const long = deliveries.get("long-polling")!;
    const short = deliveries.get("short-polling")!;
    const median = (d: Delivery) => percentile(d.latencies, 0.5);
    ctx.metric("long-polling bytes / WebSocket bytes", round(long.bytes / ws.bytes), "x");
    ctx.metric("long-polling requests / WebSocket requests", long.requests / ws.requests, "x");
    ctx.metric("short-polling median latency / WebSocket", round(median(short) / median(ws)), "x");

    // The heartbeat. A frozen process keeps its socket open: no FIN, no
    // close frame, and TCP has nothing to complain about. Only a ping that
    // goes unanswered gives it away.
    ctx.say(`A client process freezes (SIGSTOP). b pings every ${heartbeatMs} ms.`);
    const connected = b.next("connected");
    const frozen = await PeerProcess.spawn(wsUrlOf(b));
    ctx.defer(() => frozen.kill());
    const { id: frozenId } = await connected;
    const terminated = b.next("terminated", (e) => e.id === frozenId);
    const frozenClosed = b.next("closed", (e) => e.id === frozenId);
    frozen.freeze();
    const frozenAt = performance.now();
    ctx.event("peer", `pid ${frozen.pid} frozen`, "its socket stays open");
    const { missedPongs } = await terminated;
    await frozenClosed;
    const detectMs = performance.now() - frozenAt;
    ctx.event("b", `terminated ${frozenId}`, `${missedPongs} pings unanswered`);
    ctx.metric("time to find the frozen client", Math.round(detectMs), "ms");
    await frozen.kill();

    // A killed process is different: its kernel closes the socket, so the
    // server learns at once, though no close frame was sent (code 1006).
    const connectedAgain = b.next("connected");
    const killed = await PeerProcess.spawn(wsUrlOf(b));
    ctx.defer(() => killed.kill());
    const { id: killedId } = await connectedAgain;
    const killedClosed = b.next("closed", (e) => e.id === killedId);
    await killed.kill();
    const { code: killedCode } = await killedClosed;
    ctx.event("peer", `pid ${killed.pid} killed (SIGKILL)`, `b sees close ${killedCode} at once`);

    // Backpressure. A client stops reading; we keep sending 64 KiB events.
    // Without a check, the server buffers everything it cannot send; with
    // one, it drops past 1 MiB and later tells the client what it missed.
    ctx.say("A client stops reading while the feed sends 16 MiB in 64 KiB events.");
    const chunk = "x".repeat(64 * 1024);
    const backpressure = async (highWaterMark: number) => {
      const server = await LiveServer.start({ name: "feed", heartbeatMs: 0, highWaterMark });
      ctx.defer(() => server.close());
      const connectedSlow = server.next("connected");
      const slow = await FeedClient.connect(wsUrlOf(server));
      const peer = server.peers.get((await connectedSlow).id)!;
      const fast = await FeedClient.connect(wsUrlOf(server));
      ctx.defer(() => slow.close());
      ctx.defer(() => fast.close());
      slow.pause();
      let maxBuffered = 0;
      for (let i = 1; i <= EVENTS; i++) {
        await server.publish(chunk);
        maxBuffered = Math.max(maxBuffered, peer.ws.bufferedAmount);
        await fast.until((c) => c.events.length >= i);
      }
      return { server, slow, fast, peer, maxBuffered };
    };
    const naive = await backpressure(Number.POSITIVE_INFINITY);
    ctx.event(
      "naive",
      `buffered ${round(naive.maxBuffered / MiB)} MiB for the client that stopped reading`,
      "beyond what the kernel holds, and growing with every event",
    );
    const bounded = await backpressure(MiB);
    ctx.event(
      "bounded",
      `buffered at most ${round(bounded.maxBuffered / MiB, 2)} MiB`,
      `dropped ${bounded.peer.droppedTotal} of ${EVENTS} events for it; the reading client got ${bounded.fast.events.length}`,
    );
    bounded.slow.resume();
    let sent = EVENTS;
    const gapSeen = () => bounded.slow.received.some((r) => r.message.type === "gap");
    while (!gapSeen() && sent < 5_000) {
      await bounded.server.publish("tick");
      sent++;
      await bounded.fast.until((c) => c.events.length >= sent);
    }
    await bounded.slow.until((c) => c.events.at(-1)?.seq === bounded.server.log.lastSeq);
    const reported = bounded.slow.received.reduce(
      (sum, r) => sum + (r.message.type === "gap" ? r.message.missed : 0),
      0,
    );
    ctx.event(
      "slow client",
      "reads again",
      `told it missed ${reported}; received ${bounded.slow.events.length}; ${reported + bounded.slow.events.length} of ${sent} accounted for`,
    );
    ctx.metric(
      "naive buffer / bounded buffer",
      round(naive.maxBuffered / bounded.maxBuffered),
      "x",
    );

    // Fan-out: the sender is on a, the receiver on b. Redis carries it.
    ctx.say("A client of a sends a chat line; a client of b should get it.");
    const onA = await FeedClient.connect(wsUrlOf(a));
    const onB = await FeedClient.connect(wsUrlOf(b));
    ctx.defer(() => onA.close());
    ctx.defer(() => onB.close());
    onA.send("hello from a client of a");
    const crossed = await onB.eventWithText("hello from a client of a");
    const crossedMs = onB.received.at(-1)!.receivedAt - crossed.at;
    ctx.event(
      "b",
      `pushed "${crossed.text}"`,
      `from ${crossed.from}, via Redis, ${round(crossedMs, 2)} ms`,
    );

    // Proxies: `Upgrade` is hop-by-hop, so a proxy has to tunnel on purpose.
    ctx.say(
      "The same handshake through an HTTP proxy that forwards requests, then one that tunnels upgrades.",
    );
    const target = { host: "127.0.0.1", port: a.port };
    const plainProxy = await ReverseProxy.start({ target, upgrades: false });
    ctx.defer(() => plainProxy.close());
    const tunnel = await ReverseProxy.start({ target, upgrades: true });
    ctx.defer(() => tunnel.close());
    const refused = await FeedClient.connect(wsUrlOf(plainProxy)).then(
      (c) => c.close().then(() => "101"),
      (error: unknown) => String(error).match(/answered (\d+)/)?.[1] ?? "error",
    );
    ctx.event(
      "plain proxy",
      `strips Upgrade and Connection → ${refused}`,
      "a received a plain GET /ws",
    );
    const tunnelled = await FeedClient.connect(wsUrlOf(tunnel));
    await tunnelled.close();
    ctx.event("tunnelling proxy", "forwards the upgrade → 101", "then copies frames both ways");

    ctx.table(
      [ws, long, short].map((d) => ({
        transport: d.transport,
        events: d.delivered,
        "HTTP requests": d.requests,
        "bytes on the wire": d.bytes,
        "bytes per event": Math.round(d.bytes / d.delivered),
        "median ms": round(percentile(d.latencies, 0.5), 2),
        "p99 ms": round(percentile(d.latencies, 0.99), 2),
      })),
    );

    ctx.claim(
      "the express app's port answered the upgrade with 101 and the Sec-WebSocket-Accept RFC 6455 derives from our key",
      handshakeHolds,
    );
    ctx.claim(
      "the server pushed all 100 events over one request; long-polling needed a request per answer and more bytes",
      ws.delivered === 100 &&
        ws.inOrder &&
        ws.requests === 1 &&
        long.requests > 20 &&
        long.bytes > ws.bytes,
    );
    ctx.claim(
      "short-polling held each event until the next poll, so its median latency exceeded push's",
      short.delivered === 100 && median(short) > 2 * median(ws),
    );
    ctx.claim(
      "the heartbeat found the frozen client, which sent no FIN; the killed one was cleaned up by its kernel's FIN",
      missedPongs === 2 && killedCode === 1006 && !b.peers.has(frozenId) && !b.peers.has(killedId),
    );
    ctx.claim(
      "checking bufferedAmount kept a slow client's buffer bounded, and every dropped event was reported to it",
      bounded.maxBuffered <= MiB + 2 * chunk.length &&
        naive.maxBuffered > 2 * bounded.maxBuffered &&
        reported === bounded.peer.droppedTotal &&
        reported + bounded.slow.events.length === sent,
    );
    ctx.claim(
      "a message sent to instance a reached a client of instance b through Redis pub/sub",
      crossed.origin === "a",
    );
    ctx.claim(
      "a proxy that only forwards requests drops the hop-by-hop Upgrade (426); one that tunnels lets it through",
      refused === "426",
    );
  },
});
