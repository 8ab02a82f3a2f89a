import "server-only";
import { and, asc, count, eq, ne, notInArray, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { agentSecrets } from "@/db/schema";
import { badRequest } from "@/lib/api/errors";
import { MAX_SECRETS_PER_AGENT } from "../env-policy";
import { decryptSecret, encryptSecret, keyRing, maskOf } from "./crypto";

/** What anyone (the owner included) ever sees of a secret. */
export interface SecretInfo {
  name: string;
  masked: string;
  created_at: string;
  updated_at: string;
}

const infoColumns = {
  name: agentSecrets.name,
  masked: agentSecrets.masked,
  createdAt: agentSecrets.createdAt,
  updatedAt: agentSecrets.updatedAt,
};

const toInfo = (r: { name: string; masked: string; createdAt: Date; updatedAt: Date }): SecretInfo => ({
  name: r.name,
  masked: r.masked,
  created_at: r.createdAt.toISOString(),
  updated_at: r.updatedAt.toISOString(),
});

/**
 * Sets (inserts or replaces) an agent's variables, encrypted. Names must already be checked (env-policy).
 * Runs in the caller's transaction, after the agent row is locked or written, so the limit holds under races.
 */
export async function setSecrets(tx: Queryable, agentId: string, vars: Record<string, string>): Promise<SecretInfo[]> {
  const names = Object.keys(vars);
  if (names.length === 0) return [];
  const [others] = await tx
    .select({ n: count() })
    .from(agentSecrets)
    .where(and(eq(agentSecrets.agentId, agentId), notInArray(agentSecrets.name, names)));
  if ((others?.n ?? 0) + names.length > MAX_SECRETS_PER_AGENT) {
    throw badRequest(`An agent may have at most ${MAX_SECRETS_PER_AGENT} variables`, {
      limit: MAX_SECRETS_PER_AGENT,
    });
  }
  const ring = keyRing();
  const out: SecretInfo[] = [];
  for (const name of names.sort()) {
    const value = vars[name] as string;
    const { ciphertext, keyId } = encryptSecret(agentId, name, value, ring);
    const masked = maskOf(value);
    const [row] = await tx
      .insert(agentSecrets)
      .values({ agentId, name, ciphertext, keyId, masked })
      .onConflictDoUpdate({
        target: [agentSecrets.agentId, agentSecrets.name],
        set: { ciphertext, keyId, masked, updatedAt: sql`now()` },
      })
      .returning(infoColumns);
    if (row) out.push(toInfo(row));
  }
  return out;
}

export async function deleteSecret(tx: Queryable, agentId: string, name: string): Promise<boolean> {
  const rows = await tx
    .delete(agentSecrets)
    .where(and(eq(agentSecrets.agentId, agentId), eq(agentSecrets.name, name)))
    .returning({ name: agentSecrets.name });
  return rows.length > 0;
}

export async function listSecrets(db: Queryable, agentId: string): Promise<SecretInfo[]> {
  const rows = await db
    .select(infoColumns)
    .from(agentSecrets)
    .where(eq(agentSecrets.agentId, agentId))
    .orderBy(asc(agentSecrets.name));
  return rows.map(toInfo);
}

/** The plaintext values, for the host that starts the agent's process only. */
export async function secretValues(db: Queryable, agentId: string): Promise<Record<string, string>> {
  const rows = await db.select().from(agentSecrets).where(eq(agentSecrets.agentId, agentId));
  if (rows.length === 0) return {};
  const ring = keyRing();
  return Object.fromEntries(rows.map((r) => [r.name, decryptSecret(r.agentId, r.name, r, ring)]));
}

/**
 * Re-encrypts every value not under the current key (`npm run secrets:rotate`). Each row is updated only if it
 * is unchanged since it was read, so a concurrent write is never overwritten with an older value.
 */
export async function rotateSecrets(db: Queryable): Promise<{ rotated: number; current: string }> {
  const ring = keyRing();
  const rows = await db.select().from(agentSecrets).where(ne(agentSecrets.keyId, ring.current.id));
  let rotated = 0;
  for (const r of rows) {
    const value = decryptSecret(r.agentId, r.name, r, ring);
    const next = encryptSecret(r.agentId, r.name, value, ring);
    const done = await db
      .update(agentSecrets)
      .set({ ciphertext: next.ciphertext, keyId: next.keyId })
      .where(
        and(
          eq(agentSecrets.agentId, r.agentId),
          eq(agentSecrets.name, r.name),
          eq(agentSecrets.ciphertext, r.ciphertext),
        ),
      )
      .returning({ name: agentSecrets.name });
    rotated += done.length;
  }
  return { rotated, current: ring.current.id };
}
