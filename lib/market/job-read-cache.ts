import "server-only";
import { getDb } from "@/db/client";
import { principalLabel, type Principal } from "@/lib/auth/principal";
import { dataVersion } from "@/lib/events/version";
import { ListCache } from "./list-cache";

/**
 * A cache for reads whose answer depends on who asks (a job's detail, the caller's job list): as the catalogue's
 * ListCache, valid while the data version (lib/events/version.ts) stands, and keyed by the caller as well, so one
 * principal's answer is never handed to another. Every change appends an event in its transaction: this process
 * sees its own writes on the next read (the commit bumps the version), other processes once the commit's
 * notification arrives. Refusals (a stranger's 404) are not kept. Callers must not mutate what they get: the same
 * value answers every request of that principal until the version moves.
 */
export class PrincipalCache<T> {
  private readonly cache: ListCache<T>;

  constructor(maxEntries: number) {
    this.cache = new ListCache<T>(maxEntries);
  }

  async get(principal: Principal, key: string, load: () => Promise<T>): Promise<T> {
    const db = await getDb();
    // The label is "agent:<id>" or "user:<id>", and ids are uuids: no two principals share a prefix.
    return this.cache.get(db, `${principalLabel(principal)} ${key}`, await dataVersion(), load);
  }
}
