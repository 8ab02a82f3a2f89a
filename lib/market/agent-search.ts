import "server-only";
import { arrayContains, count, eq, inArray, ne, not, sql, type SQL } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { agents } from "@/db/schema";
import { unauthorized } from "@/lib/api/errors";
import { keysetList, timeSort, type KeysetSort, type Page } from "@/lib/api/pagination";
import type { Principal } from "@/lib/auth/principal";
import { agentColumns } from "./agents";
import { dataVersion } from "@/lib/events/version";
import { ListCache } from "./list-cache";
import { toCents } from "@/lib/ledger/money";
import { textMatch } from "./search";
import { agentListItemJson, INVOCABLE_KINDS, RUNNABLE_KINDS, type AgentListItemJson } from "./serialize";

export interface AgentSearch {
  q?: string;
  capability?: string | string[];
  category?: string;
  status?: "active" | "busy" | "offline" | "retired";
  owner?: "me";
  runnable?: "true" | "false";
  invocable?: "true" | "false";
  /** Agents that sell at least one active service within the range. */
  min_price?: number;
  max_price?: number;
  sort: "reputation" | "jobs_completed" | "newest" | "price";
  limit: number;
  cursor?: string;
}

// Evaluated per output row only (an index lookup on services_agent_idx), or per candidate when sorting by price.
// `agents.id` is spelled out: drizzle renders a column unqualified in a one-table select list, and inside this
// subquery an unqualified "id" would mean services.id.
const priceFrom = sql<
  string | null
>`(SELECT min(s.price_cents) FROM services s WHERE s.agent_id = agents.id AND s.active)`;
const servicesCount = sql<number>`(SELECT count(*) FROM services s WHERE s.agent_id = agents.id AND s.active)`;
const runtimeKind = sql`coalesce(${agents.runtime}->>'kind', '')`;

const newest = timeSort(agents.createdAt, agents.id, "desc", "asc");

const SORTS: Record<AgentSearch["sort"], KeysetSort> = {
  reputation: { expr: agents.reputation, dir: "desc", cast: (v) => sql`${v}::float8`, id: agents.id, idDir: "asc" },
  jobs_completed: { expr: agents.jobsCompleted, dir: "desc", cast: (v) => sql`${v}::int`, id: agents.id, idDir: "asc" },
  newest,
  price: { expr: priceFrom, dir: "asc", cast: (v) => sql`${v}::bigint`, nullable: true, id: agents.id, idDir: "asc" },
};

function asList(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function filters(principal: Principal | null, q: AgentSearch): SQL[] {
  const where: (SQL | null | undefined)[] = [textMatch(agents.searchVector, q.q)];
  const caps = [...new Set(asList(q.capability))];
  if (caps.length) where.push(arrayContains(agents.capabilities, caps));
  if (q.category) where.push(eq(agents.category, q.category));
  if (q.owner === "me") {
    if (!principal) throw unauthorized("owner=me needs an API key or a session");
    where.push(principal.kind === "user" ? eq(agents.ownerUserId, principal.userId) : eq(agents.id, principal.agentId));
  }
  // Retired agents leave the catalogue, but their owner still sees them under owner=me.
  if (q.status) where.push(eq(agents.status, q.status));
  else if (q.owner !== "me") where.push(ne(agents.status, "retired"));
  if (q.runnable) {
    const runnable = inArray(runtimeKind, [...RUNNABLE_KINDS]);
    where.push(q.runnable === "true" ? runnable : not(runnable));
  }
  if (q.min_price !== undefined || q.max_price !== undefined) {
    where.push(sql`EXISTS (SELECT 1 FROM services s WHERE s.agent_id = ${agents.id} AND s.active
      AND s.price_cents >= ${toCents(q.min_price ?? 0)} AND s.price_cents <= ${toCents(q.max_price ?? 1_000_000)})`);
  }
  if (q.invocable) {
    const invocable = inArray(runtimeKind, [...INVOCABLE_KINDS]);
    where.push(q.invocable === "true" ? invocable : not(invocable));
  }
  return where.filter((w): w is SQL => !!w);
}

/** GET /api/agents: one query for the page (with price_from and services_count) and one count. */
export async function searchAgents(principal: Principal | null, q: AgentSearch): Promise<Page<AgentListItemJson>> {
  const db = await getDb();
  // owner=me depends on the caller; everything else is the same public list for everyone.
  if (q.owner === "me") return search(db, principal, q);
  return cache.get(db, JSON.stringify(q), await dataVersion(), () => search(db, null, q));
}

const cache = new ListCache<Page<AgentListItemJson>>();

async function search(db: Db, principal: Principal | null, q: AgentSearch): Promise<Page<AgentListItemJson>> {
  const { data, next_cursor, total } = await keysetList(
    SORTS[q.sort],
    q,
    filters(principal, q),
    {
      rows: (where, order, take) =>
        db
          .select({ ...agentColumns, priceFrom, servicesCount, createdAtMicros: newest.key })
          .from(agents)
          .where(where)
          .orderBy(...order)
          .limit(take),
      count: async (where) => (await db.select({ n: count() }).from(agents).where(where))[0]?.n ?? 0,
    },
    (last) => [
      q.sort === "reputation"
        ? last.reputation
        : q.sort === "jobs_completed"
          ? last.jobsCompleted
          : q.sort === "newest"
            ? last.createdAtMicros
            : last.priceFrom === null
              ? null
              : Number(last.priceFrom),
      last.id,
    ],
  );
  return { data: data.map(agentListItemJson), next_cursor, total };
}
