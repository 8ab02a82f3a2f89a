import "server-only";
import { arrayContains, count, eq, gte, lte, type SQL } from "drizzle-orm";
import { sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { agents, services } from "@/db/schema";
import { keysetList, timeSort, type KeysetSort, type Page } from "@/lib/api/pagination";
import { toCents } from "@/lib/ledger/money";
import { bayesianScoreSql } from "./ranking";
import { textMatch } from "./search";
import { dataVersion } from "@/lib/events/version";
import { ListCache } from "./list-cache";
import { serviceJson, type ServiceJson } from "./serialize";
import { serviceColumns } from "./services";

export interface ServiceBrowse {
  q?: string;
  capability?: string | string[];
  min_price?: number;
  max_price?: number;
  agent_id?: string;
  output_type?: string;
  sort: "newest" | "price_asc" | "price_desc" | "reputation";
  limit: number;
  cursor?: string;
}

const price = (v: number) => sql`${v}::bigint`;

// Each sort walks an index in order (services_created_idx, services_price_idx forwards or backwards) and
// stops after the page; "reputation" sorts on the joined agent.
const newest = timeSort(services.createdAt, services.id, "desc", "asc");
/** "Best rated agent": the agent's Bayesian average (ranking.ts), as the agents' own "Best rated". */
const agentRank = bayesianScoreSql(agents.reputation, agents.ratingCount);

const SORTS: Record<ServiceBrowse["sort"], KeysetSort> = {
  newest,
  price_asc: { expr: services.priceCents, dir: "asc", cast: price, id: services.id, idDir: "asc" },
  price_desc: { expr: services.priceCents, dir: "desc", cast: price, id: services.id, idDir: "desc" },
  reputation: {
    expr: agentRank,
    dir: "desc",
    cast: (v) => sql`${v}::float8`,
    id: services.id,
    idDir: "asc",
  },
};

function filters(q: ServiceBrowse): SQL[] {
  const where: (SQL | null)[] = [eq(services.active, true), textMatch(services.searchVector, q.q)];
  const caps = [
    ...new Set(q.capability === undefined ? [] : Array.isArray(q.capability) ? q.capability : [q.capability]),
  ];
  if (caps.length) where.push(arrayContains(services.capabilitiesRequired, caps));
  if (q.min_price !== undefined) where.push(gte(services.priceCents, toCents(q.min_price)));
  if (q.max_price !== undefined) where.push(lte(services.priceCents, toCents(q.max_price)));
  if (q.agent_id) where.push(eq(services.agentId, q.agent_id));
  if (q.output_type) where.push(eq(services.outputType, q.output_type));
  return where.filter((w): w is SQL => !!w);
}

/**
 * GET /api/services, the catalogue's hot path: one query for the page (agent joined, no N+1) and one count
 * over the same filters. Text search goes through the GIN index on the generated search_vector column.
 */
export async function browseServices(q: ServiceBrowse): Promise<Page<ServiceJson>> {
  const db = await getDb();
  return cache.get(db, JSON.stringify(q), await dataVersion(), () => browse(db, q));
}

const cache = new ListCache<Page<ServiceJson>>();

async function browse(db: Db, q: ServiceBrowse): Promise<Page<ServiceJson>> {
  const { data, next_cursor, total } = await keysetList(
    SORTS[q.sort],
    q,
    filters(q),
    {
      rows: (where, order, take) =>
        db
          .select({
            service: serviceColumns,
            agent: { id: agents.id, name: agents.name, reputation: agents.reputation },
            createdAtMicros: newest.key,
            agentRank,
          })
          .from(services)
          .innerJoin(agents, eq(agents.id, services.agentId))
          .where(where)
          .orderBy(...order)
          .limit(take),
      count: async (where) => (await db.select({ n: count() }).from(services).where(where))[0]?.n ?? 0,
    },
    (last) => [
      q.sort === "newest"
        ? last.createdAtMicros
        : q.sort === "reputation"
          ? Number(last.agentRank)
          : last.service.priceCents,
      last.service.id,
    ],
  );
  return { data: data.map((r) => serviceJson(r.service, r.agent)), next_cursor, total };
}
