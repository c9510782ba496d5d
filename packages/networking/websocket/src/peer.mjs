// A WebSocket client in a process of its own, so a test can freeze it
// (SIGSTOP) or kill it (SIGKILL) the way a real client machine fails.
// It prints "open" once connected; ws answers the server's pings by itself.
import { WebSocket } from "ws";

const ws = new WebSocket(process.argv[2]);
ws.on("open", () => process.stdout.write("open\n"));
ws.on("close", () => process.exit(0));
ws.on("error", () => process.exit(1));
