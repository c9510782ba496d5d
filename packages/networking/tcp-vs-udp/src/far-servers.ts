// The far host of the delay-line measurement (see far-path.ts): it runs in
// the delay line's network namespace, answers every TCP connection's first
// bytes and every UDP datagram with "ok", and tells its parent its ports.
import dgram from "node:dgram";
import { once } from "node:events";
import net from "node:net";

const tcp = net.createServer({ noDelay: true }, (socket) => {
  socket.once("data", () => socket.end("ok"));
  socket.on("error", () => {});
});
tcp.listen(0, "0.0.0.0");
await once(tcp, "listening");

const udp = dgram.createSocket("udp4");
udp.on("message", (_message, from) => udp.send("ok", from.port, from.address));
udp.bind(0, "0.0.0.0");
await once(udp, "listening");

process.send?.({
  type: "listening",
  tcp: (tcp.address() as net.AddressInfo).port,
  udp: udp.address().port,
});
