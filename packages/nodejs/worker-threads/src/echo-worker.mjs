// A worker that reports what it received. For an order, it first records
// what it saw, then scribbles on its copy, to find out whether the sender's
// object changes too. For a buffer, it reports how many bytes arrived.
import { parentPort } from "node:worker_threads";

parentPort?.on("message", (message) => {
  if (message.kind === "order") {
    const seen = JSON.parse(JSON.stringify(message.order));
    message.order.items.push("added by the worker");
    message.order.total = 0;
    parentPort?.postMessage({ seen, after: message.order });
  } else if (message.kind === "buffer") {
    const bytes = new Uint8Array(message.buffer);
    parentPort?.postMessage({ byteLength: bytes.byteLength, first: bytes[0], last: bytes.at(-1) });
  }
});
