import "server-only";
import { and, count, eq, lte, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { streamLeases } from "@/db/schema";

/**
 * Concurrent event streams per client, counted in the database (`stream_leases`) so that the limit holds across
 * app processes: a stream takes a lease when it opens, the process renews its open leases together, and deletes it when it closes. A
 * process that dies leaves its leases to expire after LEASE_MS, so its clients get their slots back on their own.
 */
export const LEASE_MS = 60_000;
const RENEW_MS = LEASE_MS / 3;

export interface StreamSlot {
  /** Slots the client has left after this one. */
  remaining: number;
  /** Gives the slot back (idempotent). */
  release(): void;
}

/**
 * The leases this process holds open on each database, renewed together: one UPDATE per RENEW_MS for all of them,
 * not one per stream (10,000 open streams would otherwise cost 500 statements a second).
 */
const held = new WeakMap<Database, { ids: Set<string>; timer: ReturnType<typeof setInterval> }>();

/** Renews every lease this process holds on `database` in one statement; resolves to how many rows it renewed. */
export async function renewStreamLeases(database: Database): Promise<number> {
  const ids = held.get(database)?.ids;
  if (!ids?.size) return 0;
  const rows = await database.db
    .update(streamLeases)
    .set({ expiresAt: sql`now() + ${`${LEASE_MS} milliseconds`}::interval` })
    .where(sql`${streamLeases.id} = ANY(${`{${[...ids].join(",")}}`}::uuid[])`)
    .returning({ id: streamLeases.id });
  return rows.length;
}

function hold(database: Database, id: string): void {
  let entry = held.get(database);
  if (!entry) {
    const timer = setInterval(() => {
      // A missed renewal is tried again at the next tick; a lease outlives one.
      renewStreamLeases(database).catch(() => {});
    }, RENEW_MS);
    timer.unref?.();
    entry = { ids: new Set(), timer };
    held.set(database, entry);
  }
  entry.ids.add(id);
}

function unhold(database: Database, id: string): void {
  const entry = held.get(database);
  if (!entry) return;
  entry.ids.delete(id);
  if (entry.ids.size === 0) {
    clearInterval(entry.timer);
    held.delete(database);
  }
}

// Releases still being written: an open that follows a close in this process waits for them, so that a client
// that closes a stream and opens another gets the slot back (across processes a release is visible on commit).
const releasing = new Set<Promise<unknown>>();

/** Takes one of `max` slots of `clientKey`, or null when all are taken by live streams. */
export async function acquireStreamSlot(
  database: Database,
  clientKey: string,
  max: number,
): Promise<StreamSlot | null> {
  if (releasing.size) await Promise.allSettled([...releasing]);
  const taken = await database.db.transaction(async (tx) => {
    // Two opens of one client at once must not both see a free slot: they queue on the client's lock.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`stream:${clientKey}`}))`);
    await tx
      .delete(streamLeases)
      .where(and(eq(streamLeases.clientKey, clientKey), lte(streamLeases.expiresAt, sql`now()`)));
    const [row] = await tx.select({ n: count() }).from(streamLeases).where(eq(streamLeases.clientKey, clientKey));
    const open = Number(row?.n ?? 0);
    if (open >= max) return null;
    const [lease] = await tx
      .insert(streamLeases)
      .values({ clientKey, expiresAt: sql`now() + ${`${LEASE_MS} milliseconds`}::interval` })
      .returning({ id: streamLeases.id });
    return { id: lease!.id, remaining: max - open - 1 };
  });
  if (!taken) return null;

  let released = false;
  hold(database, taken.id);
  return {
    remaining: taken.remaining,
    release() {
      if (released) return;
      released = true;
      unhold(database, taken.id);
      const done = database.db
        .delete(streamLeases)
        .where(eq(streamLeases.id, taken.id))
        .then(
          () => {},
          () => {}, // then it expires on its own
        );
      releasing.add(done);
      void done.finally(() => releasing.delete(done));
    },
  };
}

/**
 * The response with the slot held for as long as its body is open: released when the body ends, when the client
 * cancels it (disconnects), or when the request is aborted, whichever comes first.
 */
export function holdStreamSlot(res: Response, slot: StreamSlot, signal?: AbortSignal): Response {
  if (!res.body) {
    slot.release();
    return res;
  }
  if (signal?.aborted) slot.release();
  else signal?.addEventListener("abort", () => slot.release(), { once: true });
  const reader = res.body.getReader();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            slot.release();
            controller.close();
          } else controller.enqueue(value);
        } catch (err) {
          slot.release();
          controller.error(err);
        }
      },
      cancel(reason) {
        slot.release();
        return reader.cancel(reason);
      },
    },
    // Pull-through with no buffer of its own: the inner stream keeps its backpressure (and backlog measure).
    { highWaterMark: 0 },
  );
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}
