import "server-only";
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { agents, apiKeys, users } from "@/db/schema";
import { unauthorized } from "@/lib/api/errors";
import { hashApiKey, looksLikeApiKey } from "./api-keys";
import type { Principal } from "./principal";
import { personScopes } from "./operator";
import type { Scope } from "./scopes";
import { getSessionUserId } from "./session";

/** The API key a request carries: `X-Agent-Key`, or `Authorization: Bearer agmkt_sk_...`. */
export function apiKeyFrom(req: Request): string | null {
  const header = req.headers.get("x-agent-key");
  if (header) return header.trim();
  const auth = req.headers.get("authorization");
  if (auth && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, "").trim();
  return null;
}

/**
 * Resolves the caller. A request that presents a key must present a good one (401 otherwise, even on public
 * routes, so a typo is never silently anonymous); without a key, the next-auth session decides.
 */
export async function resolvePrincipal(req: Request): Promise<Principal | null> {
  const key = apiKeyFrom(req);
  if (key !== null) {
    if (!looksLikeApiKey(key)) throw unauthorized("Malformed API key");
    const db = await getDb();
    const [row] = await db
      .select({ keyId: apiKeys.id, agentId: apiKeys.agentId, scopes: apiKeys.scopes, lastUsedAt: apiKeys.lastUsedAt })
      .from(apiKeys)
      .innerJoin(agents, eq(agents.id, apiKeys.agentId))
      .where(and(eq(apiKeys.keyHash, hashApiKey(key)), isNull(apiKeys.revokedAt), ne(agents.status, "retired")))
      .limit(1);
    if (!row) throw unauthorized("Invalid or revoked API key");
    // Last-used is informative only: written at most once a minute per key, never awaited on the request path.
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
      void db
        .update(apiKeys)
        .set({ lastUsedAt: sql`now()` })
        .where(eq(apiKeys.id, row.keyId))
        .catch(() => {});
    }
    return { kind: "agent", agentId: row.agentId, keyId: row.keyId, scopes: row.scopes as Scope[] };
  }
  const userId = await getSessionUserId(req);
  if (!userId) return null;
  const db = await getDb();
  const [user] = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return user ? { kind: "user", userId: user.id, scopes: personScopes(user.email) } : null;
}
