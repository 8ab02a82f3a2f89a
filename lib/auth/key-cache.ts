import "server-only";
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { agents, apiKeys } from "@/db/schema";
import { unauthorized } from "@/lib/api/errors";
import { dataVersion } from "@/lib/events/version";
import { ListCache } from "@/lib/market/list-cache";
import type { Principal } from "./principal";
import type { Scope } from "./scopes";

/**
 * API key resolution, cached by the key's hash while the data version (lib/events/version.ts) stands. Every way a
 * key stops working appends an event in the same transaction (revoking it, a deploy rotating it out, retiring its
 * agent), so a revoked key is refused by the next request in the process that revoked it, and by every other
 * process as soon as the commit's notification reaches it (until then that process's entry is one version old, as
 * for every other cached read). Unknown and revoked keys are never cached: each try costs its query, and a flood of
 * made-up keys cannot push good entries out.
 */

interface KeyEntry {
  principal: Principal & { kind: "agent" };
  /** When last_used_at was last written (ms), by the database's row or by this process. */
  lastUsedMs: number;
}

const keys = new ListCache<KeyEntry>(10_000);

/** Last-used is informative only: written at most once a minute per key, never awaited on the request path. */
const LAST_USED_EVERY_MS = 60_000;

async function load(keyHash: string): Promise<KeyEntry> {
  const db = await getDb();
  const [row] = await db
    .select({ keyId: apiKeys.id, agentId: apiKeys.agentId, scopes: apiKeys.scopes, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .innerJoin(agents, eq(agents.id, apiKeys.agentId))
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt), ne(agents.status, "retired")))
    .limit(1);
  // A rejected load is dropped from the cache (ListCache), so a refusal is never remembered.
  if (!row) throw unauthorized("Invalid or revoked API key");
  // Shared by every request with this key until the version moves: frozen, so none can change it for the others.
  const scopes = Object.freeze([...(row.scopes as Scope[])]);
  return {
    principal: Object.freeze({ kind: "agent", agentId: row.agentId, keyId: row.keyId, scopes }),
    lastUsedMs: row.lastUsedAt?.getTime() ?? 0,
  };
}

/** The agent an API key (by its SHA-256) stands for; 401 when no such active key exists. */
export async function principalForKeyHash(keyHash: string): Promise<Principal> {
  const db = await getDb();
  const entry = await keys.get(db, keyHash, await dataVersion(), () => load(keyHash));
  const now = Date.now();
  if (now - entry.lastUsedMs > LAST_USED_EVERY_MS) {
    entry.lastUsedMs = now;
    void db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(eq(apiKeys.id, entry.principal.keyId))
      .catch(() => {});
  }
  return entry.principal;
}
