import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { hireKeys } from "@/db/schema";
import { principalLabel, type Principal } from "@/lib/auth/principal";

/** Thrown inside a hire's transaction when another hire with the same key committed first: roll back, reuse its job. */
class HireKeyTaken extends Error {}

/** Records the key of a hire in the hire's own transaction; a concurrent hire with the same key waits, then loses. */
export type BindHireKey = (tx: Tx, jobId: string) => Promise<void>;

async function jobOfKey(caller: string, key: string): Promise<string | null> {
  const db = await getDb();
  const [row] = await db
    .select({ jobId: hireKeys.jobId })
    .from(hireKeys)
    .where(and(eq(hireKeys.caller, caller), eq(hireKeys.key, key)))
    .limit(1);
  return row?.jobId ?? null;
}

/**
 * Runs a hire at most once per (caller, key): a retry returns the job id of the first hire. Racing hires with one
 * key both run; the primary key on hire_keys lets the first commit win and the other roll back (its job, escrow and
 * events with it) and answer with the winner's job. Without a key, `hire` simply runs.
 */
export async function hireOnce(
  principal: Principal,
  key: string | undefined,
  hire: (bind: BindHireKey) => Promise<string>,
): Promise<string> {
  if (key === undefined) return hire(async () => {});
  const caller = principalLabel(principal);
  const earlier = await jobOfKey(caller, key);
  if (earlier) return earlier;
  try {
    return await hire(async (tx, jobId) => {
      const [won] = await tx
        .insert(hireKeys)
        .values({ caller, key, jobId })
        .onConflictDoNothing()
        .returning({ jobId: hireKeys.jobId });
      if (!won) throw new HireKeyTaken();
    });
  } catch (err) {
    if (!(err instanceof HireKeyTaken)) throw err;
    const winner = await jobOfKey(caller, key);
    if (!winner) throw new Error("hire key conflict without a committed hire");
    return winner;
  }
}
