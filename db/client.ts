import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { env } from "@/lib/env";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle; every domain verb that writes takes one so that side effects commit together. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Either the database or an open transaction: read helpers accept both. */
export type Queryable = Db | Tx;

export type DriverName = "pglite" | "pg" | "neon";

export interface Database {
  db: Db;
  driver: DriverName;
  /**
   * Subscribe to a Postgres notification channel; resolves to an unsubscribe function. `onLost` is called when
   * the listening connection drops (notifications may be missed from then on); after it reconnects, `onNotify`
   * is called once with an empty payload.
   */
  listen(channel: string, onNotify: (payload: string) => void, onLost?: () => void): Promise<() => Promise<void>>;
  /**
   * Raw SQL beside drizzle, for the job queue (lib/deploy/controller/queue.ts): with values one parameterized
   * statement, without a script of several statements (the last one's rows).
   */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  close(): Promise<void>;
}

export interface DatabaseConfig {
  url?: string;
  driver?: "pg" | "neon";
  pgliteDir?: string;
  /** PGlite only: start from a dump (`dumpDataDir()`) instead of an empty cluster — tests use a migrated snapshot. */
  pgliteSnapshot?: Blob;
  poolMax?: number;
  neonWsProxy?: string;
  migrate?: boolean;
}

const MIGRATIONS = path.join(process.cwd(), "db", "migrations");

export function pickDriver(config: DatabaseConfig): DriverName {
  if (!config.url) return "pglite";
  if (config.driver) return config.driver;
  const host = safeHost(config.url);
  return host.endsWith(".neon.tech") || host.endsWith(".neon.build") ? "neon" : "pg";
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}

/** Opens a database with the driver the configuration asks for and applies migrations unless told not to. */
export async function createDatabase(config: DatabaseConfig): Promise<Database> {
  const driver = pickDriver(config);
  const database =
    driver === "pglite" ? await openPglite(config) : driver === "pg" ? await openPg(config) : await openNeon(config);
  if (config.migrate !== false) await migrate(database);
  return database;
}

async function openPglite(config: DatabaseConfig): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const dir = config.pgliteDir ?? ".data/pglite";
  if (!dir.startsWith("memory://")) fs.mkdirSync(dir, { recursive: true });
  const client = await PGlite.create({ dataDir: dir, loadDataDir: config.pgliteSnapshot });
  const db = drizzle(client, { schema, casing: "snake_case" }) as unknown as Db;
  return {
    db,
    driver: "pglite",
    async listen(channel, onNotify) {
      const unsubscribe = await client.listen(channel, onNotify);
      return async () => unsubscribe();
    },
    async executeSql(text, values) {
      if (values?.length) return client.query(text, values);
      try {
        return (await client.exec(text)).at(-1) ?? { rows: [] };
      } catch (err) {
        // A failed script that opened a transaction (pg-boss's install and maintenance scripts do) would leave
        // PGlite's one session aborted for every later query: end it.
        if (/^\s*BEGIN\b/im.test(text)) await client.exec("ROLLBACK").catch(() => {});
        throw err;
      }
    },
    close: () => client.close(),
  };
}

async function openPg(config: DatabaseConfig): Promise<Database> {
  const pg = (await import("pg")).default;
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const pool = new pg.Pool({ connectionString: config.url, max: config.poolMax ?? 10 });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  const db = drizzle(pool, { schema, casing: "snake_case" }) as unknown as Db;
  return {
    db,
    driver: "pg",
    listen: (channel, onNotify, onLost) =>
      listenWith(() => new pg.Client({ connectionString: config.url }), channel, onNotify, onLost),
    executeSql: (text, values) => lastResult(pool.query(text, values)),
    close: () => pool.end(),
  };
}

async function openNeon(config: DatabaseConfig): Promise<Database> {
  const neon = await import("@neondatabase/serverless");
  const { drizzle } = await import("drizzle-orm/neon-serverless");
  const ws = (await import("ws")).default;
  neon.neonConfig.webSocketConstructor = ws;
  if (config.neonWsProxy) {
    // A local WebSocket-to-TCP proxy (tests, or a self-hosted Neon proxy) speaks plain ws:// and no pipelining.
    // The driver prepends the scheme itself, so the proxy is given as host:port.
    const proxy = config.neonWsProxy.replace(/^wss?:\/\//, "").replace(/\/$/, "");
    neon.neonConfig.wsProxy = (host, port) => `${proxy}/v1?address=${host}:${port}`;
    neon.neonConfig.useSecureWebSocket = false;
    neon.neonConfig.pipelineTLS = false;
    neon.neonConfig.pipelineConnect = false;
  }
  const pool = new neon.Pool({ connectionString: config.url, max: config.poolMax ?? 10 });
  pool.on("error", () => {});
  const db = drizzle(pool, { schema, casing: "snake_case" }) as unknown as Db;
  return {
    db,
    driver: "neon",
    listen: (channel, onNotify, onLost) =>
      listenWith(() => new neon.Client({ connectionString: config.url }), channel, onNotify, onLost),
    executeSql: (text, values) => lastResult(pool.query(text, values)),
    close: () => pool.end(),
  };
}

/** A script of several statements answers one result per statement. */
async function lastResult(pending: Promise<unknown>): Promise<{ rows: unknown[] }> {
  const r = (await pending) as { rows: unknown[] } | { rows: unknown[] }[];
  return Array.isArray(r) ? (r.at(-1) ?? { rows: [] }) : r;
}

interface NotifyClient {
  connect(): Promise<unknown>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: "notification", cb: (msg: { channel: string; payload?: string }) => void): unknown;
  on(event: "error", cb: (err: Error) => void): unknown;
  on(event: "end", cb: () => void): unknown;
}

/**
 * A dedicated connection for LISTEN (a pooled one would lose its subscription when returned). When it drops,
 * `onLost` is told and it reconnects with backoff until unsubscribed; readers treat the empty notification sent
 * after a reconnect as "read again", since anything may have been missed meanwhile.
 */
async function listenWith(
  make: () => NotifyClient,
  channel: string,
  onNotify: (payload: string) => void,
  onLost?: () => void,
): Promise<() => Promise<void>> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error("invalid channel name");
  let closed = false;
  let client: NotifyClient | undefined;
  const reconnect = (delayMs: number) => {
    setTimeout(() => {
      if (closed) return;
      connect().then(
        () => onNotify(""),
        () => reconnect(Math.min(delayMs * 2, 10_000)),
      );
    }, delayMs).unref();
  };
  const connect = async (): Promise<void> => {
    const c = make();
    let live = false;
    let dropped = false;
    const drop = () => {
      // Before LISTEN succeeded, the failure is reported by connect()'s own rejection instead.
      if (!live || dropped || closed) return;
      dropped = true;
      if (client === c) client = undefined;
      void c.end().catch(() => {});
      onLost?.();
      reconnect(500);
    };
    c.on("notification", (msg) => {
      if (msg.channel === channel) onNotify(msg.payload ?? "");
    });
    c.on("error", drop);
    c.on("end", drop);
    await c.connect();
    try {
      await c.query(`LISTEN ${channel}`);
    } catch (err) {
      void c.end().catch(() => {});
      throw err;
    }
    live = true;
    client = c;
  };
  await connect();
  return async () => {
    closed = true;
    await client?.end().catch(() => {});
  };
}

/** Applies the committed drizzle-kit migrations. Idempotent; serialized across processes by drizzle's lock table. */
export async function migrate(database: Database): Promise<void> {
  const folder = { migrationsFolder: MIGRATIONS };
  if (database.driver === "pglite") {
    const { migrate: run } = await import("drizzle-orm/pglite/migrator");
    await run(database.db as never, folder);
  } else if (database.driver === "pg") {
    const { migrate: run } = await import("drizzle-orm/node-postgres/migrator");
    await run(database.db as never, folder);
  } else {
    const { migrate: run } = await import("drizzle-orm/neon-serverless/migrator");
    await run(database.db as never, folder);
  }
}

// One instance per process, cached on globalThis so that Next's hot reloads do not open a second PGlite.
const globalForDb = globalThis as unknown as { __agentMarketDb?: Promise<Database> };

export function configFromEnv(): DatabaseConfig {
  const e = env();
  return {
    url: e.DATABASE_URL,
    driver: e.DATABASE_DRIVER,
    pgliteDir: e.PGLITE_DIR,
    poolMax: e.DATABASE_POOL_MAX,
    neonWsProxy: e.NEON_WS_PROXY,
  };
}

export function getDatabase(): Promise<Database> {
  if (!globalForDb.__agentMarketDb) {
    const opening = createDatabase(configFromEnv());
    // A failed open is not cached: the next request tries again (e.g. Postgres was still starting).
    opening.catch(() => {
      if (globalForDb.__agentMarketDb === opening) globalForDb.__agentMarketDb = undefined;
    });
    globalForDb.__agentMarketDb = opening;
  }
  return globalForDb.__agentMarketDb;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/** Tests hand the app a fresh database of their own. */
export function setDatabase(database: Database | undefined): void {
  globalForDb.__agentMarketDb = database ? Promise.resolve(database) : undefined;
}
