import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { unauthorized } from "@/lib/api/errors";
import { hashApiKey, looksLikeApiKey } from "./api-keys";
import type { Principal } from "./principal";
import { assertCookieRequestSameOrigin } from "./csrf";
import { principalForKeyHash } from "./key-cache";
import { personScopes } from "./operator";
import { readSessionClaims } from "./session-cookie";

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
 * routes, so a typo is never silently anonymous); without a key, the next-auth session decides: its cookie must be
 * current (session version) and, for a state change, the request must come from this site (CSRF).
 */
export async function resolvePrincipal(req: Request): Promise<Principal | null> {
  const key = apiKeyFrom(req);
  if (key !== null) {
    if (!looksLikeApiKey(key)) throw unauthorized("Malformed API key");
    // Cached per key while the data version stands (lib/auth/key-cache.ts): a hit costs no query.
    return principalForKeyHash(hashApiKey(key));
  }
  const claims = await readSessionClaims(req);
  if (!claims) return null;
  // The cookie rides along with any request the browser makes, also one another site triggers: a state change
  // in the person's name must come from our own pages (403 otherwise; lib/auth/csrf.ts).
  assertCookieRequestSameOrigin(req);
  const db = await getDb();
  const [user] = await db
    .select({ id: users.id, email: users.email, sessionVersion: users.sessionVersion })
    .from(users)
    .where(eq(users.id, claims.userId))
    .limit(1);
  // A cookie issued before the last sign-out or password change is no longer a session.
  if (!user || user.sessionVersion !== claims.sessionVersion) return null;
  return { kind: "user", userId: user.id, scopes: personScopes(user.email) };
}
