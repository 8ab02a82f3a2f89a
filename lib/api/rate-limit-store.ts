import "server-only";
import { lt, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { rateLimits, streamLeases } from "@/db/schema";
import { log } from "@/lib/log";

/** The query rate-limiter-flexible's Postgres store sends: text, positional values, and a statement name. */
interface StoreQuery {
  text: string;
  values?: unknown[];
  name?: string;
}

interface StoreResult {
  rows: Record<string, unknown>[];
  rowCount: number;
}

type PgLikeClient = { query(q: StoreQuery): Promise<StoreResult> };
type PgliteClient = {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[]; affectedRows?: number }>;
};

/**
 * rate-limiter-flexible's Postgres store wants a client with `query({ text, values, name })` answering
 * `{ rows, rowCount }`. node-postgres and Neon pools are such clients as they are (their named prepared
 * statements included); PGlite's `query(text, params)` answers `{ rows, affectedRows }`, so it is adapted.
 * The database is looked up per query, so the limiter follows the app's database (tests swap it per file).
 */
export function postgresStore(source: () => Promise<Database>): PgLikeClient {
  const run = async (q: StoreQuery): Promise<StoreResult> => {
    const database = await source();
    const client = (database.db as unknown as { $client: unknown }).$client;
    if (database.driver === "pglite") {
      const r = await (client as PgliteClient).query(q.text, q.values ?? []);
      return { rows: r.rows, rowCount: r.rows.length || r.affectedRows || 0 };
    }
    return (client as PgLikeClient).query(q);
  };
  return {
    query: (q) =>
      run(q).catch((err: unknown) => {
        // The library falls back to its in-process insurance limiter; say so, or a broken store would go unseen.
        warnFallback(err);
        throw err;
      }),
  };
}

let lastWarning = 0;

function warnFallback(err: unknown): void {
  if (Date.now() - lastWarning < 60_000) return;
  lastWarning = Date.now();
  const reason = err instanceof Error ? err.message : String(err);
  log().warn({ reason }, "rate-limit database store failed; counting in this process meanwhile");
}

const SWEEP_EVERY_MS = 5 * 60_000;
const swept = new WeakSet<Database>();

/**
 * Deletes counters whose window ended an hour ago and stream leases that expired (a process that died without
 * closing its streams), every few minutes, once per database per process. Nothing depends on it for
 * correctness: expired rows are ignored by every read; this only keeps the tables small.
 */
export function sweepExpired(database: Database): void {
  if (swept.has(database)) return;
  swept.add(database);
  const timer = setInterval(() => {
    Promise.all([
      database.db.delete(rateLimits).where(lt(rateLimits.expire, Date.now() - 3_600_000)),
      database.db.delete(streamLeases).where(lt(streamLeases.expiresAt, sql`now()`)),
    ]).catch(() => {}); // the next sweep tries again
  }, SWEEP_EVERY_MS);
  timer.unref?.();
}
