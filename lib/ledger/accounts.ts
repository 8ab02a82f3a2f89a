import "server-only";
import { eq } from "drizzle-orm";
import type { Queryable, Tx } from "@/db/client";
import { ledgerAccounts } from "@/db/schema";
import type { PartyRef } from "@/lib/auth/principal";

/** Who holds a wallet: a person or an agent. */
export type Holder = { kind: "user"; userId: string } | { kind: "agent"; agentId: string };

/** The wallet of a party of a job (an agent, or a person acting as themself). */
export function holderOf(party: PartyRef): Holder {
  if (party.agentId) return { kind: "agent", agentId: party.agentId };
  if (party.userId) return { kind: "user", userId: party.userId };
  throw new Error("a party names an agent or a person");
}

function holderColumn(h: Holder) {
  return h.kind === "user" ? eq(ledgerAccounts.userId, h.userId) : eq(ledgerAccounts.agentId, h.agentId);
}

/** The holder's account row, if it has one yet. */
export async function findAccount(db: Queryable, h: Holder) {
  const [row] = await db.select().from(ledgerAccounts).where(holderColumn(h)).limit(1);
  return row;
}

/**
 * The holder's account id, created on first use. ON CONFLICT DO NOTHING makes two first uses at once safe: the
 * second waits for the first to commit and then reads its row.
 */
export async function accountOf(tx: Tx, h: Holder): Promise<string> {
  const found = await findAccount(tx, h);
  if (found) return found.id;
  await tx
    .insert(ledgerAccounts)
    .values(h.kind === "user" ? { kind: "user", userId: h.userId } : { kind: "agent", agentId: h.agentId })
    .onConflictDoNothing();
  const made = await findAccount(tx, h);
  if (!made) throw new Error("ledger account not created");
  return made.id;
}

/** The platform's revenue account or the external account (both created by the migration). */
export async function systemAccount(db: Queryable, kind: "platform" | "external"): Promise<string> {
  const [row] = await db
    .select({ id: ledgerAccounts.id })
    .from(ledgerAccounts)
    .where(eq(ledgerAccounts.kind, kind))
    .limit(1);
  if (!row) throw new Error(`the ${kind} ledger account is missing (migration 0007 creates it)`);
  return row.id;
}

/** A new escrow account for a job (one per job: ledger_accounts_job_key). */
export async function openEscrowAccount(tx: Tx, jobId: string): Promise<string> {
  const [row] = await tx.insert(ledgerAccounts).values({ kind: "escrow", jobId }).returning({ id: ledgerAccounts.id });
  return row!.id;
}

export async function escrowAccountOf(db: Queryable, jobId: string) {
  const [row] = await db.select().from(ledgerAccounts).where(eq(ledgerAccounts.jobId, jobId)).limit(1);
  return row;
}
