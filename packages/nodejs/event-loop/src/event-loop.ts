import { readFile } from "node:fs";
import net from "node:net";
import { fileURLToPath } from "node:url";

// Node.js runs our JavaScript on one thread. The event loop is libuv's
// `uv_run`: a loop that goes round a fixed list of phases, and each phase
// has its own queue of callbacks. There is no single "event queue".
//
// These are the phases as libuv names them, in the order one turn of the
// loop visits them. The list's answer calls the second one "I/O callbacks";
// in libuv it is "pending callbacks", and most I/O callbacks do not run there.

/** The phases of one turn of the loop, in libuv's order and with libuv's names. */
export const PHASES = [
  // `setTimeout` and `setInterval` callbacks whose time has come.
  { name: "timers", runs: "setTimeout / setInterval callbacks that are due" },
  // A few I/O callbacks that libuv deferred from the previous turn,
  // such as some TCP errors. Not where a `readFile` callback runs.
  { name: "pending callbacks", runs: "I/O callbacks deferred from the previous turn" },
  // Internal bookkeeping; no JavaScript of ours runs here.
  { name: "idle, prepare", runs: "libuv internals" },
  // Here the loop waits for the kernel (epoll) and the thread pool, and
  // runs the callbacks of I/O that completed: sockets, files, DNS, zlib.
  { name: "poll", runs: "completed I/O: sockets, files, DNS" },
  // `setImmediate` callbacks: "run me right after this poll".
  { name: "check", runs: "setImmediate callbacks" },
  // `'close'` events of handles that were closed abruptly.
  { name: "close callbacks", runs: "socket.on('close') after destroy()" },
] as const;

// `process.nextTick` and promise callbacks are not phases. Node drains both
// queues after every single callback it runs, whatever the phase: first all
// nextTicks, then all promise microtasks (and again, until both are empty).

const thisFile = fileURLToPath(import.meta.url);

/**
 * From inside a real I/O callback (a `readFile` in the poll phase), schedules
 * one callback of each kind and resolves with the order they ran in.
 */
export function orderFromIoCallback(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const order: string[] = [];
    const note = (what: string) => {
      order.push(what);
      if (order.length === 4) resolve(order);
    };
    readFile(thisFile, (error) => {
      if (error) return reject(error);
      // We are in the poll phase. The next phase is check, and timers
      // only come round on the next turn, so the order is fixed here:
      // the nextTick and the promise run before we leave this callback.
      setTimeout(() => note("setTimeout 0"), 0);
      setImmediate(() => note("setImmediate"));
      Promise.resolve().then(() => note("promise"));
      process.nextTick(() => note("nextTick"));
    });
  });
}

/**
 * Queues two immediates in the same check phase; the first schedules a
 * promise and a nextTick. Resolves with the order everything ran in.
 */
export function orderBetweenTwoImmediates(): Promise<string[]> {
  return new Promise((resolve) => {
    const order: string[] = [];
    // Both immediates are queued before the check phase starts, so libuv
    // runs them in the same phase. If microtasks waited for a phase of
    // their own, the second immediate would run before them.
    setImmediate(() => {
      order.push("immediate 1");
      Promise.resolve().then(() => order.push("promise from 1"));
      process.nextTick(() => order.push("nextTick from 1"));
    });
    setImmediate(() => {
      order.push("immediate 2");
      resolve(order);
    });
  });
}

export type Scheduler = "nextTick" | "queueMicrotask" | "setImmediate";

export interface Starvation {
  scheduler: Scheduler;
  /** How many recursive callbacks ran before the socket's `data` callback. */
  callbacksBeforeIo: number;
  limit: number;
}

/**
 * Makes a socket readable, then reschedules a callback recursively with
 * `scheduler`, at most `limit` times or until the socket's data callback runs.
 */
export async function starveIo(scheduler: Scheduler, limit = 10_000): Promise<Starvation> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  const accepted = new Promise<net.Socket>((resolve) => server.once("connection", resolve));
  const client = net.connect(port, "127.0.0.1");
  const [peer] = await Promise.all([
    accepted,
    new Promise((resolve) => client.once("connect", resolve)),
  ]);
  try {
    return await new Promise<Starvation>((resolve) => {
      let ran = 0;
      let ioAt = -1;
      let spinning = true;
      const finish = () => {
        if (!spinning && ioAt >= 0) resolve({ scheduler, callbacksBeforeIo: ioAt, limit });
      };
      peer.once("data", () => {
        ioAt = ran;
        finish();
      });
      // On loopback the write reaches the peer's kernel buffer at once:
      // the data is ready, and only the poll phase can hand it to us.
      client.write("ready");
      const reschedule = {
        nextTick: process.nextTick,
        queueMicrotask,
        setImmediate,
      }[scheduler];
      const spin = () => {
        ran++;
        if (ran < limit && ioAt < 0) reschedule(spin);
        else {
          spinning = false;
          finish();
        }
      };
      // A nextTick queue that refills itself is never empty, so the loop
      // never reaches poll; a microtask queue that refills itself, the same.
      // A recursive setImmediate queues for the *next* check phase, so each
      // turn passes poll, and the data gets in.
      reschedule(spin);
    });
  } finally {
    client.destroy();
    peer.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}
