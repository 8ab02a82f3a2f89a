import "server-only";
import { and, count, desc, eq, isNull, notInArray, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { conflict, forbidden } from "@/lib/api/errors";
import type { Principal } from "@/lib/auth/principal";
import type { Scope } from "@/lib/auth/scopes";
import type { NewEvent } from "@/lib/events/log";
import { insertApiKey, MAX_ACTIVE_KEYS } from "@/lib/market/api-keys";
import type { Environment } from "./types";

/**
 * The key a deploy hands out for calling the deployed agent (`security.api_key` of POST /api/agents/deploy): one per
 * deploy, named after the environment, the two newest of an environment kept active.
 */

/** The deploy key's scopes: call the deployed agent, nothing else. */
const DEPLOY_KEY_SCOPES: Scope[] = ["agent:execute", "invoke"];
/** Deploy keys of an environment kept active: the new one and the one before (clients rotate in between). */
const DEPLOY_KEYS_KEPT = 2;

/** A key can hand out only scopes it holds (as for POST /api/agents/me/keys); a person holds every scope. */
export function checkKeyScopes(principal: Principal): void {
  const missing = DEPLOY_KEY_SCOPES.filter((s) => !principal.scopes.includes(s));
  if (missing.length) {
    throw forbidden(`Deploying creates a key with ${missing.join(", ")}, which this API key lacks`, {
      missing_scopes: missing,
    });
  }
}

/**
 * A new key for calling the deployed agent, named after the environment; deploy keys of the environment older than
 * the previous one are revoked, so that deploying often does not pile keys up.
 */
export async function deployKey(
  tx: Tx,
  agentId: string,
  environment: Environment,
): Promise<{ key: string; events: NewEvent[] }> {
  const name = `deploy:${environment}`;
  const created = await insertApiKey(tx, agentId, { name, scopes: DEPLOY_KEY_SCOPES });
  const ofEnv = and(eq(apiKeys.agentId, agentId), eq(apiKeys.name, name), isNull(apiKeys.revokedAt));
  const kept = tx
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(ofEnv)
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(DEPLOY_KEYS_KEPT);
  const revoked = await tx
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(ofEnv, notInArray(apiKeys.id, kept), sql`${apiKeys.id} <> ${created.row.id}`))
    .returning({ id: apiKeys.id });
  const [active] = await tx
    .select({ n: count() })
    .from(apiKeys)
    .where(and(eq(apiKeys.agentId, agentId), isNull(apiKeys.revokedAt)));
  if ((active?.n ?? 0) > MAX_ACTIVE_KEYS) {
    throw conflict(`An agent may have at most ${MAX_ACTIVE_KEYS} active keys; revoke one before deploying`);
  }
  const events: NewEvent[] = [
    {
      type: "api_key_created",
      agentIds: [agentId],
      subjectType: "api_key",
      subjectId: created.row.id,
      data: { agent_id: agentId, key_id: created.row.id, name, scopes: DEPLOY_KEY_SCOPES },
    },
    ...revoked.map((k) => ({
      type: "api_key_revoked",
      agentIds: [agentId],
      subjectType: "api_key",
      subjectId: k.id,
      data: { agent_id: agentId, key_id: k.id, name },
    })),
  ];
  return { key: created.key, events };
}
