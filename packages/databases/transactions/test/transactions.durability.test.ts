import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { type ServiceHandle, services } from "@playground/kit";
import {
  commitLatency,
  createJournal,
  hasNote,
  setFsync,
  walActivity,
  walOnlyInMemory,
  writeNote,
} from "../src/durability.js";
import { connectPostgres, type Session } from "../src/sessions.js";
import { setSynchronousCommit } from "../src/transactions.js";

// These tests crash the server, so they get one of their own. The kit runs
// it with `fsync = off`; we lengthen `wal_writer_delay` from 200 ms to 10 s
// so that the window in which an asynchronous commit lives only in
// PostgreSQL's memory is wide enough to crash into on purpose.
describe("transactions: durability (PostgreSQL, SIGKILL)", () => {
  let server: ServiceHandle;
  const sessions: Session[] = [];

  const open = async () => {
    const session = await connectPostgres(server.url);
    sessions.push(session);
    return session;
  };

  const commitMany = async (session: Session, commits: number) => {
    for (let i = 0; i < commits; i++) await writeNote(session, "counted");
  };

  /** SIGKILL to every server process, then start it again on the same data. */
  const crashAndRestart = async () => {
    await server.kill();
    await server.start();
  };

  beforeAll(async () => {
    server = await services.postgres({ dedicated: true });
    const admin = await open();
    await admin.query("ALTER SYSTEM SET wal_writer_delay = '10s'");
    await createJournal(admin);
    await server.restart();
  });

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.close()));
  });

  afterAll(async () => {
    await server?.[Symbol.asyncDispose]();
  });

  it("when a transaction has committed and the server is SIGKILLed, then the row is there after restart, even with fsync off", async () => {
    // Arrange
    const writer = await open();
    const [{ fsync }] = (await writer.query<{ fsync: string }>("SHOW fsync")) as [
      { fsync: string },
    ];
    const id = await writeNote(writer, "committed before the crash");

    // Act
    await crashAndRestart();

    // Assert
    expect(fsync).toBe("off");
    expect(await hasNote(await open(), id)).toBe(true);
  });

  it("when a transaction is still in flight at the SIGKILL, then after restart it never happened and its connection is gone", async () => {
    // Arrange
    const writer = await open();
    await writer.begin();
    const id = await writeNote(writer, "in flight at the crash");

    // Act
    await crashAndRestart();

    // Assert: the old connection died with the server, so it cannot COMMIT.
    const commit = await writer.query("COMMIT").then(
      () => "committed",
      (error: unknown) => error,
    );
    expect(commit).toBeInstanceOf(Error);
    expect(await hasNote(await open(), id)).toBe(false);
  });

  it("when synchronous_commit is off, then COMMIT returns before the WAL is written, and a SIGKILL right after loses the acknowledged row", async () => {
    // Arrange
    const writer = await open();
    await setSynchronousCommit(writer, false);

    // Act
    const id = await writeNote(writer, "acknowledged, not yet written");
    const onlyInMemory = await walOnlyInMemory(writer);
    await crashAndRestart();

    // Assert
    expect(onlyInMemory).toBe(true);
    expect(await hasNote(await open(), id)).toBe(false);
  });

  it("when synchronous_commit is on, then the same commit followed by the same SIGKILL keeps the row", async () => {
    // Arrange
    const writer = await open();
    await setSynchronousCommit(writer, true);

    // Act
    const id = await writeNote(writer, "acknowledged and written");
    const onlyInMemory = await walOnlyInMemory(writer);
    await crashAndRestart();

    // Assert
    expect(onlyInMemory).toBe(false);
    expect(await hasNote(await open(), id)).toBe(true);
  });

  it("when fsync is on, then each commit with synchronous_commit on writes and flushes the WAL itself, and with it off leaves both to the WAL writer", async () => {
    // Arrange
    const [waiting, notWaiting] = [await open(), await open()];
    await setSynchronousCommit(notWaiting, false);
    await setFsync(waiting, true);
    await setFsync(notWaiting, true);

    // Act
    const synchronous = await walActivity(waiting, () => commitMany(waiting, 50));
    const asynchronous = await walActivity(notWaiting, () => commitMany(notWaiting, 50));
    await setFsync(waiting, false);

    // Assert: the WAL writer may wake once in the meantime (every 10 s here).
    expect(synchronous.writes).toBeGreaterThanOrEqual(50);
    expect(synchronous.syncs).toBeGreaterThanOrEqual(50);
    expect(asynchronous.writes).toBeLessThanOrEqual(2);
    expect(asynchronous.syncs).toBeLessThanOrEqual(2);
  });

  it("when fsync is off, as on the playground's servers, then each commit still writes its WAL to the OS but flushes nothing", async () => {
    // Arrange
    const writer = await open();
    await setFsync(writer, false);

    // Act
    const activity = await walActivity(writer, () => commitMany(writer, 50));

    // Assert
    expect(activity.writes).toBeGreaterThanOrEqual(50);
    expect(activity.syncs).toBe(0);
  });

  it("when fsync is on, then commits with synchronous_commit off return faster than commits that wait for the flush", async () => {
    // Arrange
    const [waiting, notWaiting] = [await open(), await open()];
    await setSynchronousCommit(notWaiting, false);
    await setFsync(waiting, true);
    await setFsync(notWaiting, true);

    // Act
    const { waiting: on, notWaiting: off } = await commitLatency(waiting, notWaiting, 300);
    await setFsync(waiting, false);

    // Assert: measured here from 1.2x on a quiet disk to 8x on a busy one. The
    // bound is generous; the WAL counters above are the deterministic proof.
    expect(on / off).toBeGreaterThan(1.1);
  });
});
