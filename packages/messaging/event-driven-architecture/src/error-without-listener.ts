// Run as a child process by the tests: emits `error` on an EventEmitter,
// with a listener only when started with `--listen`. Without one, Node
// throws the error and the process exits with code 1 before "survived".
import { EventEmitter } from "node:events";
import type { ShopEvents } from "./in-process.js";

const bus = new EventEmitter<ShopEvents>();
if (process.argv.includes("--listen")) {
  bus.on("error", (error) => process.stdout.write(`handled: ${error.message}\n`));
}
bus.emit("error", new Error("payment provider unreachable"));
process.stdout.write("survived\n");
