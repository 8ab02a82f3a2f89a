import fs from "node:fs";
import { afterAll, beforeAll, inject } from "vitest";
import { createDatabase, setDatabase, type Database } from "@/db/client";
import { adminQuery, databaseUrl, uniqueName } from "./postgres";

export interface TestDatabase {
  database: Database;
  /** postgres only: the URL of this file's database (for a second app instance, or the Neon proxy). */
  url?: string;
}

/** Opens a fresh database for the current test file (PGlite in memory, or a clone of the Postgres template). */
export async function openTestDatabase(): Promise<TestDatabase> {
  if (process.env.TEST_DB === "postgres") {
    const name = uniqueName("am_test");
    await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${inject("pgTemplate")}`);
    const url = databaseUrl(name);
    const database = await createDatabase({ url, driver: "pg", migrate: false });
    const close = database.close.bind(database);
    database.close = async () => {
      await close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    };
    return { database, url };
  }
  const snapshot = new Blob([fs.readFileSync(inject("pgliteSnapshot"))]);
  return { database: await createDatabase({ pgliteDir: "memory://", pgliteSnapshot: snapshot, migrate: false }) };
}

/** Gives this test file its own database and makes it the app's database (what getDb() returns). */
export function setupTestDatabase(): { current: TestDatabase } {
  const holder = {} as { current: TestDatabase };
  beforeAll(async () => {
    holder.current = await openTestDatabase();
    setDatabase(holder.current.database);
  });
  afterAll(async () => {
    setDatabase(undefined);
    await holder.current?.database.close();
  });
  return holder;
}
