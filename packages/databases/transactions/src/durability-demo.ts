import { type DemoContext, type ServiceHandle, services } from "@playground/kit";
import {
  commitLatency,
  createJournal,
  hasNote,
  setFsync,
  walActivity,
  walOnlyInMemory,
  writeNote,
} from "./durability.js";
import { connectPostgres, type Session } from "./sessions.js";
import { setSynchronousCommit } from "./transactions.js";

type Narration = Pick<DemoContext, "say" | "event" | "metric" | "defer" | "fast">;

const round = (ms: number) => Number(ms.toFixed(3));
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const walCounts = ({ writes, syncs }: { writes: number; syncs: number }) =>
  `${plural(writes, "WAL write", "WAL writes")}, ${plural(syncs, "flush", "flushes")}`;

/** The demo's "D": crash a server of our own, then count and time commits. */
export async function showDurability(
  ctx: Narration,
  row: (acid: string, scenario: string, result: string) => void,
) {
  // We tear the server down as soon as we are done with it; `defer` does
  // the same if the demo is interrupted first.
  const sessions = new Set<Session>();
  let server: ServiceHandle | undefined;
  let tornDown: Promise<unknown> | undefined;
  const tearDown = () => {
    tornDown ??= (async () => {
      await Promise.all([...sessions].map((s) => s.close()));
      await server?.[Symbol.asyncDispose]();
    })();
    return tornDown;
  };
  ctx.defer(tearDown);

  // D. We are going to SIGKILL PostgreSQL, so it gets a server of its own.
  // `wal_writer_delay` goes from 200 ms to 10 s: that widens the window in
  // which an asynchronous commit exists only in the server's memory.
  ctx.say("Durability: a PostgreSQL server of our own, because we are going to SIGKILL it.");
  const crashable = await services.postgres({ dedicated: true });
  server = crashable;
  const connectCrashable = async () => {
    const session = await connectPostgres(crashable.url);
    sessions.add(session);
    return session;
  };
  const setup = await connectCrashable();
  await setup.query("ALTER SYSTEM SET wal_writer_delay = '10s'");
  await createJournal(setup);
  await crashable.restart();
  const crash = async () => {
    await crashable.kill();
    ctx.event("server", "SIGKILL", "every PostgreSQL process, no shutdown");
    const start = performance.now();
    await crashable.start();
    const ms = performance.now() - start;
    ctx.event("server", "restarted", `replayed its WAL in ${ms.toFixed(0)} ms`);
  };

  const writer = await connectCrashable();
  const committed = await writeNote(writer, "committed");
  ctx.event("client", `row ${committed} committed`, "synchronous_commit = on, fsync = off");
  const inFlight = await connectCrashable();
  await inFlight.begin();
  const uncommitted = await writeNote(inFlight, "in flight");
  ctx.event("client", `row ${uncommitted} inserted, not committed`);
  await crash();
  const reader = await connectCrashable();
  const survived = await hasNote(reader, committed);
  const vanished = !(await hasNote(reader, uncommitted));
  ctx.event(
    "client",
    `row ${committed}: ${survived ? "there" : "missing"}`,
    `row ${uncommitted}: ${vanished ? "gone" : "there"}`,
  );
  row("D", "committed, then SIGKILL", survived ? "survived" : "lost");
  row("D", "in flight at the SIGKILL", vanished ? "gone" : "still there");

  const asyncWriter = await connectCrashable();
  await setSynchronousCommit(asyncWriter, false);
  const acknowledged = await writeNote(asyncWriter, "acknowledged");
  const inMemory = await walOnlyInMemory(asyncWriter);
  ctx.event(
    "client",
    `row ${acknowledged} committed with synchronous_commit = off`,
    inMemory ? "its WAL is still only in the server's memory" : "its WAL was already written",
  );
  await crash();
  const asyncLost = inMemory && !(await hasNote(await connectCrashable(), acknowledged));
  ctx.event(
    "client",
    `row ${acknowledged}: ${asyncLost ? "missing: an acknowledged commit, lost" : "there"}`,
  );
  row(
    "D",
    "synchronous_commit = off, then SIGKILL",
    asyncLost ? "acknowledged row lost" : "survived",
  );

  // Who writes and flushes the WAL, and what does waiting for it cost?
  // The playground runs PostgreSQL with `fsync = off`, where there is no
  // flush to wait for, so we count and time with `fsync` on and off.
  const waiting = await connectCrashable();
  const notWaiting = await connectCrashable();
  await setSynchronousCommit(notWaiting, false);
  const commits = ctx.fast ? 20 : 50;
  const commitMany = async (session: Session) => {
    for (let i = 0; i < commits; i++) await writeNote(session, "counted");
  };
  const latency: Record<string, { waiting: number; notWaiting: number }> = {};
  const activity: Record<string, { writes: number; syncs: number }> = {};
  for (const fsync of [true, false]) {
    await setFsync(waiting, fsync);
    await setFsync(notWaiting, fsync);
    const label = `fsync ${fsync ? "on" : "off"}`;
    for (const [mode, session] of [
      ["on", waiting],
      ["off", notWaiting],
    ] as const) {
      const counted = await walActivity(session, () => commitMany(session));
      activity[`${label}, synchronous_commit ${mode}`] = counted;
      ctx.event(
        "server",
        `${commits} commits, ${label}, synchronous_commit ${mode}`,
        walCounts(counted),
      );
    }
    latency[label] = await commitLatency(waiting, notWaiting, commits * 4);
  }
  const fsyncOn = latency["fsync on"]!;
  const fsyncOff = latency["fsync off"]!;
  const ratio = fsyncOn.waiting / fsyncOn.notWaiting;
  ctx.metric("commit, fsync on, synchronous_commit on", round(fsyncOn.waiting), "ms");
  ctx.metric("commit, fsync on, synchronous_commit off", round(fsyncOn.notWaiting), "ms");
  ctx.metric("synchronous_commit off speed-up, fsync on", Number(ratio.toFixed(1)), "x");
  ctx.metric("commit, fsync off, synchronous_commit on", round(fsyncOff.waiting), "ms");
  ctx.metric("commit, fsync off, synchronous_commit off", round(fsyncOff.notWaiting), "ms");
  for (const [label, { writes, syncs }] of Object.entries(activity)) {
    row("D", `${commits} commits, ${label}`, walCounts({ writes, syncs }));
  }
  for (const [label, { waiting: on, notWaiting: off }] of Object.entries(latency)) {
    row(
      "D",
      `median commit, ${label}: synchronous_commit on / off`,
      `${on.toFixed(2)} / ${off.toFixed(2)} ms`,
    );
  }
  const flushedPerCommit = activity["fsync on, synchronous_commit on"]!.syncs >= commits;
  const leftToWalWriter = activity["fsync on, synchronous_commit off"]!.syncs <= 2;
  const writtenWithoutFsync = activity["fsync off, synchronous_commit on"]!.writes >= commits;

  await tearDown();
  return {
    survived,
    vanished,
    asyncLost,
    flushedPerCommit,
    leftToWalWriter,
    writtenWithoutFsync,
    ratio,
  };
}
