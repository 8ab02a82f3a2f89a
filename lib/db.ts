import "server-only";
import { getDb, type Tx } from "@/db/client";

/** Runs `fn` in one transaction on the app database: its writes, messages and events commit together or not at all. */
export async function inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  const db = await getDb();
  return db.transaction(fn);
}
