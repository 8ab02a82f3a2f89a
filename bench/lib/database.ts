import path from "node:path";
import pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { REPO } from "./app";

/** The local PostgreSQL (trust auth), or BENCH_POSTGRES_URL. */
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  name: string;
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database for this run; `drop()` removes it (also with open connections). */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `am_bench_${process.pid}_${Date.now().toString(36)}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  pool.on("error", () => {});
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await pool.end().catch(() => {});
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  try {
    await migrate(drizzle(pool), { migrationsFolder: path.join(REPO, "db", "migrations") });
  } catch (err) {
    await drop();
    throw err;
  }
  return { name, url: url.toString(), pool, drop };
}

/**
 * For the standalone (in-process) benches: DATABASE_URL, else a fresh local PostgreSQL database, else PGlite
 * (also when `preferPglite`). It becomes the app's database; `close()` lets go of it and drops what it created.
 */
export async function openInProcessDatabase(
  log: (line: string) => void,
  preferPglite: boolean,
): Promise<{ database: import("@/db/client").Database; close(): Promise<void> }> {
  const { createDatabase, setDatabase } = await import("@/db/client");
  let benchDb: BenchDatabase | undefined;
  if (!process.env.DATABASE_URL && !preferPglite) {
    benchDb = await createBenchDatabase().catch((err: Error) => {
      log(`no local PostgreSQL (${err.message}): using PGlite`);
      return undefined;
    });
  }
  const url = process.env.DATABASE_URL ?? benchDb?.url;
  const database = await createDatabase(url ? { url, migrate: !benchDb } : { pgliteDir: "memory://" });
  setDatabase(database);
  return {
    database,
    close: async () => {
      setDatabase(undefined);
      await database.close();
      await benchDb?.drop();
    },
  };
}
