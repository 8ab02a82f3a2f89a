import path from "node:path";
import pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { adminQuery, databaseUrl } from "@/test/postgres";
import { REPO } from "./app";

/** The local PostgreSQL (trust auth), or BENCH_POSTGRES_URL. */
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  name: string;
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** A fresh, migrated database for this run; `drop()` removes it (also with open connections). */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `am_bench_${process.pid}_${Date.now().toString(36)}`;
  await adminQuery(`CREATE DATABASE ${name}`, ADMIN_URL);
  const url = databaseUrl(name, ADMIN_URL);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on("error", () => {});
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await pool.end().catch(() => {});
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, ADMIN_URL);
  };
  try {
    await migrate(drizzle(pool), { migrationsFolder: path.join(REPO, "db", "migrations") });
  } catch (err) {
    await drop();
    throw err;
  }
  return { name, url, pool, drop };
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
