import { randomBytes } from "node:crypto";
import { ScratchDatabase, type ServiceHandle, services } from "@playground/kit";
import { MemcachedCluster } from "../src/memcached-cluster.js";
import { ProductDb } from "../src/product-db.js";

/** A key prefix no other test uses, so tests can share one cache server. */
export function uniqueNamespace(label: string): string {
  return `${label}-${process.pid}-${randomBytes(3).toString("hex")}`;
}

/** `host:port`, as a memcached client names a node. */
export function address(server: ServiceHandle): string {
  return `${server.host}:${server.port}`;
}

/** A products table of `count` rows in a database of our own, on the shared PostgreSQL. */
export async function productDb(
  count: number,
  queryMs: number,
): Promise<{ db: ProductDb; [Symbol.asyncDispose](): Promise<void> }> {
  const server = await services.postgres();
  const scratch = await ScratchDatabase.create(server.url, "dcache");
  const db = await ProductDb.create(scratch.pool, count, queryMs);
  return { db, [Symbol.asyncDispose]: () => scratch[Symbol.asyncDispose]() };
}

/** A client of the shared memcached, closed on dispose. */
export async function sharedMemcached(): Promise<MemcachedCluster & AsyncDisposable> {
  const server = await services.memcached();
  const cluster = await new MemcachedCluster([address(server)]).connect();
  return Object.assign(cluster, { [Symbol.asyncDispose]: () => cluster.close() });
}
