import "server-only";
import { and, count, eq, isNull, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Queryable, Tx } from "@/db/client";
import { agents, apiKeys } from "@/db/schema";
import type { apiKeySchema } from "@/lib/api/contracts/agent-keys";
import { conflict, forbidden, notFound } from "@/lib/api/errors";
import { keysetList, timeSort, type Page } from "@/lib/api/pagination";
import { generateApiKey } from "@/lib/auth/api-keys";
import type { Principal } from "@/lib/auth/principal";
import { keyScopes } from "@/lib/auth/operator";
import { SCOPES, type Scope } from "@/lib/auth/scopes";
import { inTransaction } from "@/lib/db";
import { appendEvent } from "@/lib/events/log";
import { iso } from "./serialize";

/** Enough for rotation and a key per deployment; more is a leak waiting to happen. */
export const MAX_ACTIVE_KEYS = 20;

const keyColumns = {
  id: apiKeys.id,
  agentId: apiKeys.agentId,
  name: apiKeys.name,
  suffix: apiKeys.suffix,
  scopes: apiKeys.scopes,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

export type ApiKeyRow = {
  id: string;
  agentId: string;
  name: string;
  suffix: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** A key as the API shows it (apiKeySchema): never the secret, only its last characters. */
export type ApiKeyJson = z.infer<typeof apiKeySchema>;

export function apiKeyJson(row: ApiKeyRow, currentKeyId?: string): ApiKeyJson {
  return {
    id: row.id,
    name: row.name,
    suffix: row.suffix,
    // Keys hold only SCOPES (never the operator scope): what insertApiKey and keyScopes let through.
    scopes: row.scopes as ApiKeyJson["scopes"],
    created_at: iso(row.createdAt),
    last_used_at: row.lastUsedAt ? iso(row.lastUsedAt) : null,
    revoked_at: row.revokedAt ? iso(row.revokedAt) : null,
    current: row.id === currentKeyId,
  };
}

/**
 * Inserts a key and returns it in clear text once; only the SHA-256 hash and a 4-character suffix are stored.
 * Appends no event: the caller does, as the last statement of its transaction.
 */
export async function insertApiKey(
  tx: Tx,
  agentId: string,
  opts: { name?: string; scopes?: readonly Scope[] } = {},
): Promise<{ row: ApiKeyRow; key: string }> {
  const { key, hash, suffix } = generateApiKey();
  const [row] = await tx
    .insert(apiKeys)
    .values({ agentId, name: opts.name ?? "default", keyHash: hash, suffix, scopes: [...(opts.scopes ?? SCOPES)] })
    .returning(keyColumns);
  return { row: row as ApiKeyRow, key };
}

/** Locks the agent row so that concurrent key changes of one agent (last-key check, key limit) run one at a time. */
async function lockAgent(tx: Tx, agentId: string): Promise<{ status: string }> {
  const [row] = await tx.select({ status: agents.status }).from(agents).where(eq(agents.id, agentId)).for("update");
  if (!row) throw notFound("Agent");
  return row;
}

async function activeKeyCount(db: Queryable, agentId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(apiKeys)
    .where(and(eq(apiKeys.agentId, agentId), isNull(apiKeys.revokedAt)));
  return Number(row?.n ?? 0);
}

/**
 * A key acts only within its own scopes, also on other keys: it may create or revoke a key only when that key's
 * scopes are a subset of its own (403 naming the others). A person holds every scope over their own agents.
 */
function assertHoldsScopes(principal: Principal, scopes: readonly string[], verb: "grant" | "revoke"): void {
  const beyond = scopes.filter((s) => !principal.scopes.includes(s as Scope));
  if (!beyond.length) return;
  const what = verb === "grant" ? "grant scopes it does not hold" : "revoke a key with scopes it does not hold";
  throw forbidden(`A key cannot ${what}: ${beyond.join(", ")}`, { scopes: beyond });
}

/**
 * Creates a key for an agent the caller acts for. A key can only hand out scopes it holds itself, so a key
 * limited to `keys:manage` cannot mint a key with more power than it has (people hold every scope).
 */
export async function createAgentKey(
  principal: Principal,
  agentId: string,
  opts: { name?: string; scopes?: Scope[] },
): Promise<{ row: ApiKeyRow; key: string }> {
  const scopes = [...new Set(opts.scopes ?? keyScopes(principal.scopes))];
  assertHoldsScopes(principal, scopes, "grant");
  return inTransaction(async (tx) => {
    // A retired agent's keys never authenticate (lib/auth/resolve.ts): a new one would only mislead.
    if ((await lockAgent(tx, agentId)).status === "retired") throw conflict("A retired agent cannot get new keys");
    if ((await activeKeyCount(tx, agentId)) >= MAX_ACTIVE_KEYS) {
      throw conflict(`An agent may have at most ${MAX_ACTIVE_KEYS} active keys; revoke one first`);
    }
    const created = await insertApiKey(tx, agentId, { name: opts.name, scopes });
    await appendEvent(tx, {
      type: "api_key_created",
      agentIds: [agentId],
      subjectType: "api_key",
      subjectId: created.row.id,
      data: { agent_id: agentId, key_id: created.row.id, name: created.row.name, scopes },
    });
    return created;
  });
}

/** Oldest first. */
const keySort = timeSort(apiKeys.createdAt, apiKeys.id, "asc");

/**
 * One page of an agent's keys, oldest first (keyset on created_at, id). Revoked keys are left out unless asked for:
 * an agent that rotates keys often would otherwise drag an ever longer list along.
 */
export async function listAgentKeys(
  db: Queryable,
  agentId: string,
  q: { limit: number; cursor?: string; include_revoked?: boolean },
): Promise<Page<ApiKeyRow> & { total: number }> {
  const scope: SQL[] = [eq(apiKeys.agentId, agentId)];
  if (!q.include_revoked) scope.push(isNull(apiKeys.revokedAt));
  const page = await keysetList(
    keySort,
    q,
    scope,
    {
      rows: (where, order, take) =>
        db
          .select({ ...keyColumns, createdAtMicros: keySort.key })
          .from(apiKeys)
          .where(where)
          .orderBy(...order)
          .limit(take),
      count: async (where) => (await db.select({ n: count() }).from(apiKeys).where(where))[0]?.n ?? 0,
    },
    (last) => [last.createdAtMicros, last.id],
  );
  return { ...page, data: page.data.map(({ createdAtMicros: _key, ...row }) => row as ApiKeyRow) };
}

/**
 * Revokes one of the agent's keys, within the caller's scopes (see assertHoldsScopes). A key may revoke itself
 * (rotation), but never the agent's last active key:
 * that would lock the agent out for good (409; retire the agent instead). A revoked key gets 401 at once,
 * because every request looks the key up.
 */
export async function revokeAgentKey(principal: Principal, agentId: string, keyId: string): Promise<ApiKeyRow> {
  return inTransaction(async (tx) => {
    await lockAgent(tx, agentId);
    const [key] = await tx
      .select(keyColumns)
      .from(apiKeys)
      .where(and(eq(apiKeys.id, keyId), eq(apiKeys.agentId, agentId)));
    if (!key) throw notFound("API key");
    // A narrow key must not take down a broader one (e.g. a leaked `keys:manage`-only key revoking the admin key).
    assertHoldsScopes(principal, key.scopes, "revoke");
    if (key.revokedAt) throw conflict("This API key is already revoked");
    if ((await activeKeyCount(tx, agentId)) <= 1) {
      throw conflict("The last active API key cannot be revoked; create another key first");
    }
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(eq(apiKeys.id, keyId))
      .returning(keyColumns);
    await appendEvent(tx, {
      type: "api_key_revoked",
      agentIds: [agentId],
      subjectType: "api_key",
      subjectId: keyId,
      data: { agent_id: agentId, key_id: keyId, name: key.name },
    });
    return row as ApiKeyRow;
  });
}
