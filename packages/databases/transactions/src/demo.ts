import { defineDemo, type TableRow } from "@playground/kit";
import {
  describeError,
  type LostUpdateOptions,
  lostUpdate,
  nonRepeatableRead,
  writeSkew,
} from "./anomalies.js";
import { balances, createBank, openAccounts, rota } from "./bank.js";
import { showDurability } from "./durability-demo.js";
import { ScratchDatabase } from "./scratch-database.js";
import { type Engine, errorCode, type Session } from "./sessions.js";
import { transaction, transfer } from "./transactions.js";

const ENGINE_NAME: Record<Engine, string> = { postgres: "PostgreSQL", mariadb: "MariaDB" };

/** Runs `work` the first time it is called; later calls get the same promise. */
function once(work: () => Promise<unknown>): () => Promise<unknown> {
  let done: Promise<unknown> | undefined;
  return () => {
    done ??= work();
    return done;
  };
}

const failHalfway = () => {
  throw new Error("the application died between the debit and the credit");
};

export default defineDemo({
  title: "Transactions",
  services: ["postgres", "mariadb"],
  async run(ctx) {
    // Each engine gets a database of our own, with the bank's tables. We
    // tear everything down as soon as we are done with it, and register the
    // same teardown with `defer`, which runs it (once) if we are interrupted.
    const sessions = new Set<Session>();
    const closeSessions = once(() => Promise.all([...sessions].map((s) => s.close())));
    const databases = {} as Record<Engine, ScratchDatabase>;
    const dropDatabases = once(() =>
      Promise.all(Object.values(databases).map((db) => db[Symbol.asyncDispose]())),
    );
    ctx.defer(dropDatabases);
    ctx.defer(closeSessions);
    for (const engine of ["postgres", "mariadb"] as const) {
      databases[engine] = await ScratchDatabase.create(engine, ctx.services[engine].url, "tx_demo");
    }
    const open = async (engine: Engine) => {
      const session = await databases[engine].connect();
      sessions.add(session);
      return session;
    };
    const admin = { postgres: await open("postgres"), mariadb: await open("mariadb") };
    await createBank(admin.postgres);
    await createBank(admin.mariadb);
    const rows: TableRow[] = [];
    const row = (acid: string, scenario: string, result: string) =>
      rows.push({ ACID: acid, case: scenario, result });

    // A. The transfer dies between its two UPDATEs. Inside a transaction
    // the ROLLBACK undoes the debit; in autocommit mode the debit was its
    // own transaction, already committed, and the money is gone.
    ctx.say("Atomicity: alice sends bob 40, and the application dies between debit and credit.");
    const teller = await open("postgres");
    await openAccounts(admin.postgres, { alice: 100, bob: 0 });
    await transaction(teller, (s) =>
      transfer(s, { from: "alice", to: "bob", amount: 40 }, { afterDebit: failHalfway }),
    ).catch(() => {});
    const inTransaction = await balances(admin.postgres, ["alice", "bob"]);
    ctx.event(
      "bank",
      "in a transaction: ROLLBACK",
      `alice ${inTransaction.alice}, bob ${inTransaction.bob}`,
    );
    await transfer(
      teller,
      { from: "alice", to: "bob", amount: 40 },
      { afterDebit: failHalfway },
    ).catch(() => {});
    const autocommit = await balances(admin.postgres, ["alice", "bob"]);
    const lost = 100 - autocommit.alice! - autocommit.bob!;
    ctx.event(
      "bank",
      "in autocommit mode",
      `alice ${autocommit.alice}, bob ${autocommit.bob}: ${lost} vanished`,
    );
    row("A", "transfer dies halfway, in a transaction", "nothing changed");
    row("A", "transfer dies halfway, autocommit", `${lost} lost`);

    // C. We write no `if (balance >= amount)`: the CHECK constraint and the
    // foreign keys decide, inside the transaction, and the error rolls
    // back the debit that came before.
    ctx.say("Consistency: an overdraft, and a transfer to an account that does not exist.");
    await openAccounts(admin.postgres, { alice: 100, bob: 0 });
    const rejections: string[] = [];
    for (const [to, amount] of [
      ["bob", 500],
      ["nobody", 40],
    ] as const) {
      const result = await transaction(teller, (s) =>
        transfer(s, { from: "alice", to, amount }),
      ).then(() => "committed", describeError);
      const code = result.split(" ")[0] ?? result;
      rejections.push(code);
      ctx.event("bank", `alice → ${to}: ${amount}`, result);
      row("C", to === "bob" ? "overdraft" : "transfer to an unknown account", `rejected: ${code}`);
    }
    const afterRejections = await balances(admin.postgres, ["alice", "bob"]);

    // I. Two tellers deposit 10 and 20 into an account that holds 100, by
    // reading it and writing back the sum, in the order T1 reads, T2 reads,
    // T1 writes and commits, T2 writes and commits. The account should hold
    // 130; what it holds depends on the engine and the isolation level.
    ctx.say(
      "Isolation: T1 deposits 10 and T2 deposits 20 into 100, read-modify-write, interleaved: " +
        "T1 reads, T2 reads, T1 writes and commits, T2 writes and commits. 130 is right.",
    );
    const race = async (
      label: string,
      engine: Engine,
      options: LostUpdateOptions,
      setUp?: (session: Session) => Promise<unknown>,
    ) => {
      ctx.say(`${ENGINE_NAME[engine]}, ${label}:`);
      const [t1, t2] = [await open(engine), await open(engine)];
      for (const session of [t1, t2]) await setUp?.(session);
      await openAccounts(admin[engine], { shared: 100 });
      const outcome = await lostUpdate([t1, t2, admin[engine]], "shared", {
        ...options,
        narrate: (actor, what) => ctx.event(actor, what),
      });
      const verdict =
        outcome.final === outcome.expected
          ? "both deposits landed"
          : `T1's deposit was lost${outcome.t2Error ? "" : ", and no one was told"}`;
      ctx.event("account", `holds ${outcome.final}`, verdict);
      const how = outcome.t2Attempts > 1 ? `, ${errorCode(outcome.t2Error) ?? "T2 retried"}` : "";
      row(
        "I",
        `${ENGINE_NAME[engine]} ${label}`,
        `${outcome.final}${outcome.t2Waited ? ", T2 waited" : ""}${how}`,
      );
      return outcome;
    };
    const pgReadCommitted = await race("READ COMMITTED (its default)", "postgres", {});
    const pgForUpdate = await race("READ COMMITTED, SELECT … FOR UPDATE", "postgres", {
      lockRows: true,
    });
    const pgRepeatable = await race("REPEATABLE READ, retry on 40001", "postgres", {
      isolation: "REPEATABLE READ",
      retries: 3,
    });
    const pgSerializable = await race("SERIALIZABLE, retry on 40001", "postgres", {
      isolation: "SERIALIZABLE",
      retries: 3,
    });
    const mariaRepeatable = await race("REPEATABLE READ (its default)", "mariadb", {});
    const mariaForUpdate = await race("REPEATABLE READ, SELECT … FOR UPDATE", "mariadb", {
      lockRows: true,
    });
    const mariaSnapshot = await race(
      "REPEATABLE READ, innodb_snapshot_isolation=ON, retry on 1020",
      "mariadb",
      { retries: 3 },
      (session) => session.query("SET SESSION innodb_snapshot_isolation = ON"),
    );

    // The non-repeatable read needs no race: T1 reads twice, T2 commits a
    // change in between.
    ctx.say("T1 reads alice twice; between the reads T2 sets her balance to 50 and commits.");
    const [t1, t2] = [await open("postgres"), await open("postgres")];
    const reads: Record<string, { first: number; second: number }> = {};
    for (const isolation of ["READ COMMITTED", "REPEATABLE READ"] as const) {
      await openAccounts(admin.postgres, { alice: 100 });
      const seen = await nonRepeatableRead([t1, t2], "alice", 50, isolation);
      reads[isolation] = seen;
      ctx.event("T1", `${isolation}: reads ${seen.first}, then ${seen.second}`);
      row("I", `PostgreSQL ${isolation}, reading twice`, `${seen.first} then ${seen.second}`);
    }

    // Write skew: each doctor checks that two are on call, then takes only
    // themselves off. No row is written twice, so no lock stops it.
    ctx.say("Write skew: alice and bob are on call; each leaves if two doctors are on call.");
    const skews: Record<string, string[]> = {};
    for (const isolation of ["REPEATABLE READ", "SERIALIZABLE"] as const) {
      await rota(admin.postgres, ["alice", "bob"]);
      ctx.say(`PostgreSQL, ${isolation}${isolation === "SERIALIZABLE" ? ", retry on 40001" : ""}:`);
      const outcome = await writeSkew([t1, t2, admin.postgres], ["alice", "bob"], {
        isolation,
        retries: isolation === "SERIALIZABLE" ? 3 : 0,
        narrate: (actor, what) => ctx.event(actor, what),
      });
      skews[isolation] = outcome.onCall;
      const onCall = outcome.onCall.length ? outcome.onCall.join(", ") : "nobody";
      ctx.event("rota", `on call: ${onCall}`);
      row("I", `PostgreSQL ${isolation}, write skew`, `on call: ${onCall}`);
    }

    // D. Durability needs a crash, and a server of its own: see durability-demo.ts.
    const durable = await showDurability(ctx, row);

    await closeSessions();
    await dropDatabases();

    ctx.table(rows);

    ctx.claim(
      "a transfer that died halfway inside a transaction changed nothing; in autocommit mode its debit stayed",
      inTransaction.alice === 100 && inTransaction.bob === 0 && lost === 40,
    );
    ctx.claim(
      "the CHECK constraint and the foreign key rejected the bad transfers and undid their debits",
      rejections.join(" ") === "23514 23503" && afterRejections.alice === 100,
    );
    ctx.claim(
      "read-modify-write lost an update under PostgreSQL's READ COMMITTED and MariaDB's REPEATABLE READ, with no error",
      pgReadCommitted.final === 120 &&
        mariaRepeatable.final === 120 &&
        !pgReadCommitted.t2Error &&
        !mariaRepeatable.t2Error,
    );
    ctx.claim(
      "SELECT … FOR UPDATE made T2 wait for T1 on both engines, and no update was lost",
      [pgForUpdate, mariaForUpdate].every((o) => o.t2Waited && o.final === 130),
    );
    ctx.claim(
      "PostgreSQL's REPEATABLE READ and SERIALIZABLE (and MariaDB with innodb_snapshot_isolation) aborted T2 instead, and its retry landed both deposits",
      [pgRepeatable, pgSerializable, mariaSnapshot].every(
        (o) => o.t2Attempts === 2 && o.final === 130,
      ),
    );
    ctx.claim(
      "REPEATABLE READ kept T1's second read equal to its first; READ COMMITTED did not",
      reads["READ COMMITTED"]?.second === 50 && reads["REPEATABLE READ"]?.second === 100,
    );
    ctx.claim(
      "write skew left nobody on call under REPEATABLE READ; SERIALIZABLE aborted one doctor, whose retry stayed on call",
      skews["REPEATABLE READ"]?.length === 0 && skews.SERIALIZABLE?.join() === "bob",
    );
    ctx.claim(
      "a committed row survived SIGKILL and restart; the transaction in flight did not",
      durable.survived && durable.vanished,
    );
    ctx.claim(
      "with synchronous_commit = off, a commit acknowledged before its WAL was written was lost to SIGKILL",
      durable.asyncLost,
    );
    ctx.claim(
      "with synchronous_commit on, each commit wrote its WAL (and flushed it, with fsync on) before returning; with it off, the commits left that to the WAL writer",
      durable.flushedPerCommit && durable.leftToWalWriter && durable.writtenWithoutFsync,
    );
    ctx.claim(
      "with fsync on, commits that did not wait for the flush returned faster",
      durable.ratio > 1.1,
    );
  },
});
