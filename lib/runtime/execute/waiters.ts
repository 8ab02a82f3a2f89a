import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { executions } from "@/db/schema";
import { isTerminal } from "../types";

/**
 * A sync execute waits for its execution to end. An end in this process wakes the waiter at once; an end in
 * another process (another worker) is seen by polling the record.
 */

const waiting = new Map<string, Set<() => void>>();
const POLL_MS = 250;

export function notifyEnded(id: string): void {
  const set = waiting.get(id);
  if (!set) return;
  waiting.delete(id);
  for (const wake of set) wake();
}

/** Resolves true once the execution is final, false when `ms` passed first. */
export async function waitForEnd(id: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  const db = await getDb();
  const final = async () => {
    const [r] = await db.select({ status: executions.status }).from(executions).where(eq(executions.id, id));
    return !r || isTerminal(r.status);
  };
  while (Date.now() < deadline) {
    let wake: () => void = () => {};
    const woken = new Promise<void>((resolve) => (wake = resolve));
    const set = waiting.get(id) ?? new Set();
    set.add(wake);
    waiting.set(id, set);
    if (await final()) {
      set.delete(wake);
      return true;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      woken,
      new Promise<void>((r) => (timer = setTimeout(r, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))))),
    ]);
    clearTimeout(timer);
    set.delete(wake);
    if (set.size === 0 && waiting.get(id) === set) waiting.delete(id);
  }
  return final();
}
