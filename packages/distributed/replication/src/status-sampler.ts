import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import { percentile } from "./lag.js";
import { type ReplicationStatus, replicationStatus } from "./replication.js";

/** Reads `pg_stat_replication` on `primary` every 20 ms until `stop()`, then sums it up. */
export function sampleStatus(primary: pg.Client) {
  const samples: ReplicationStatus[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const status = await replicationStatus(primary);
      if (status) samples.push(status);
      await sleep(20);
    }
  })();
  return {
    async stop(): Promise<{ replayLagMedianMs: number; maxBytesBehind: number }> {
      running = false;
      await loop;
      const replayLags = samples.flatMap((s) => (s.replayLagMs === null ? [] : [s.replayLagMs]));
      return {
        replayLagMedianMs: replayLags.length ? percentile(replayLags, 0.5) : Number.NaN,
        maxBytesBehind: Math.max(0, ...samples.map((s) => s.bytesBehind)),
      };
    },
  };
}
