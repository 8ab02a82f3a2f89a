import "server-only";
import { getDatabase, type Tx } from "@/db/client";
import { noteCommitted } from "@/lib/events/version";

/** Runs `fn` in one transaction on the app database: its writes, messages and events commit together or not at all. */
export async function inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  const database = await getDatabase();
  let handle: Tx | undefined;
  const result = await database.db.transaction((tx) => {
    handle = tx;
    return fn(tx);
  });
  // Committed: reads cached by data version see this change from now on (read-your-writes).
  if (handle) noteCommitted(database, handle);
  return result;
}
