import "server-only";
import { and, arrayContains, count, eq, inArray, ne, not, sql, type SQL } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { agents } from "@/db/schema";
import { unauthorized } from "@/lib/api/errors";
import {
  epochMicros,
  fromEpochMicros,
  keysetList,
  keysetOrder,
  timeSort,
  type KeysetSort,
  type Page,
  type SortDir,
} from "@/lib/api/pagination";
import type { Principal } from "@/lib/auth/principal";
import type { Environment } from "@/lib/deploy/types";
import { env } from "@/lib/env";
import { agentColumns } from "./agents";
import { deployedAgents, deployedFields } from "./deployed-agents";
import { dataVersion } from "@/lib/events/version";
import { ListCache } from "./list-cache";
import { toCents } from "@/lib/ledger/money";
import { bayesianScoreSql } from "./ranking";
import { textMatch } from "./search";
import {
  agentListItemJson,
  INVOCABLE_KINDS,
  RUNNABLE_KINDS,
  type AgentListBase,
  type AgentListItemJson,
} from "./serialize";

export interface AgentSearch {
  q?: string;
  capability?: string | string[];
  category?: string;
  /** Ours, and the deployments API's `inactive` (offline) and `failed` (the latest deployment failed). */
  status?: "active" | "busy" | "offline" | "retired" | "inactive" | "failed";
  owner?: "me";
  runnable?: "true" | "false";
  invocable?: "true" | "false";
  /** Agents that sell at least one active service (true) or none (false). */
  has_services?: "true" | "false";
  /** Agents that sell at least one active service within the range. */
  min_price?: number;
  max_price?: number;
  /** Agents deployed in this environment (README.md, Deployments). */
  environment?: Environment;
  /** Each a capability of the agent or a tag of its live version. */
  tag?: string | string[];
  sort: "reputation" | "jobs_completed" | "newest" | "price" | "created_at" | "name" | "last_updated";
  order?: SortDir;
  limit: number;
  cursor?: string;
  /** Offset paging (the deployments API's `page`), instead of the cursor. */
  page?: number;
}

export type AgentPage = Page<AgentListItemJson> & {
  pagination?: { page: number; limit: number; total: number; total_pages: number };
};

// Evaluated per output row only (an index lookup on services_agent_idx), or per candidate when sorting by price.
// `agents.id` is spelled out: drizzle renders a column unqualified in a one-table select list, and inside this
// subquery an unqualified "id" would mean services.id.
const priceFrom = sql<
  string | null
>`(SELECT min(s.price_cents) FROM services s WHERE s.agent_id = agents.id AND s.active)`;
const servicesCount = sql<number>`(SELECT count(*) FROM services s WHERE s.agent_id = agents.id AND s.active)`;
const runtimeKind = sql`coalesce(${agents.runtime}->>'kind', '')`;
/** "Best rated": the Bayesian average of the agent's rating (ranking.ts), not the raw average. */
const rankScore = bayesianScoreSql(agents.reputation, agents.ratingCount);

const newest = timeSort(agents.createdAt, agents.id, "desc", "asc");
/** The later of the agent's last change and its routes' (a deployment counts as an update). */
const lastUpdated = sql`greatest(${agents.updatedAt},
  (SELECT max(r.updated_at) FROM agent_routes r WHERE r.agent_id = ${agents.id}))`;
const nameKey = sql<string>`lower(${agents.name})`;

/** The sort of a search: ours keep their direction unless `order` says otherwise; the deployments API's default to desc. */
function sortOf(q: AgentSearch): KeysetSort {
  const id = agents.id;
  switch (q.sort) {
    case "reputation":
      return { expr: rankScore, dir: q.order ?? "desc", cast: (v) => sql`${v}::float8`, id, idDir: "asc" };
    case "jobs_completed":
      return { expr: agents.jobsCompleted, dir: q.order ?? "desc", cast: (v) => sql`${v}::int`, id, idDir: "asc" };
    case "newest":
      return q.order ? timeSort(agents.createdAt, id, q.order, "asc") : newest;
    case "price":
      return {
        expr: priceFrom,
        dir: q.order ?? "asc",
        cast: (v) => sql`${v}::bigint`,
        nullable: true,
        id,
        idDir: "asc",
      };
    case "created_at":
      return timeSort(agents.createdAt, id, q.order ?? "desc");
    case "last_updated":
      return { expr: lastUpdated, dir: q.order ?? "desc", cast: fromEpochMicros, id, idDir: q.order ?? "desc" };
    case "name":
      // A text sort: the cursor's string is compared as it is, `cast` never runs.
      return { expr: nameKey, dir: q.order ?? "desc", cast: () => sql`NULL`, text: true, id, idDir: q.order ?? "desc" };
  }
}

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
  if (q.status === "inactive") where.push(eq(agents.status, "offline"));
  else if (q.status === "failed") where.push(ne(agents.status, "retired"), latestDeploymentFailed(q.environment));
  else if (q.status) where.push(eq(agents.status, q.status));
  else if (q.owner !== "me") where.push(ne(agents.status, "retired"));
  if (q.environment) {
    where.push(
      sql`EXISTS (SELECT 1 FROM agent_routes r WHERE r.agent_id = ${agents.id} AND r.environment = ${q.environment})`,
    );
  }
  const tags = [...new Set(asList(q.tag))];
  if (tags.length) {
    // Capabilities are lower-cased on write; version tags are compared lower-cased too.
    const inEnv = q.environment ? sql`AND r.environment = ${q.environment}` : sql``;
    where.push(sql`(${agents.capabilities} || coalesce((SELECT array_agg(lower(t)) FROM agent_routes r
      JOIN agent_versions v ON v.id = r.live_version_id, unnest(v.tags) t WHERE r.agent_id = ${agents.id} ${inEnv}),
      '{}'::text[])) @> ARRAY[${sql.join(
        tags.map((t) => sql`${t}`),
        sql`, `,
      )}]::text[]`);
  }
  if (q.runnable) {
    const runnable = inArray(runtimeKind, [...RUNNABLE_KINDS]);
    where.push(q.runnable === "true" ? runnable : not(runnable));
  }
  if (q.min_price !== undefined || q.max_price !== undefined) {
    where.push(sql`EXISTS (SELECT 1 FROM services s WHERE s.agent_id = ${agents.id} AND s.active
      AND s.price_cents >= ${toCents(q.min_price ?? 0)} AND s.price_cents <= ${toCents(q.max_price ?? 1_000_000)})`);
  }
  if (q.has_services) {
    const sells = sql`EXISTS (SELECT 1 FROM services s WHERE s.agent_id = ${agents.id} AND s.active)`;
    where.push(q.has_services === "true" ? sells : not(sells));
  }
  if (q.invocable) {
    const invocable = inArray(runtimeKind, [...INVOCABLE_KINDS]);
    where.push(q.invocable === "true" ? invocable : not(invocable));
  }
  return where.filter((w): w is SQL => !!w);
}

/** Agents whose latest deployment (in `environment`, else in any) failed. */
function latestDeploymentFailed(environment: Environment | undefined): SQL {
  return sql`EXISTS (SELECT 1 FROM (SELECT DISTINCT ON (d.environment) d.status FROM deployments d
    WHERE d.agent_id = ${agents.id} ${environment ? sql`AND d.environment = ${environment}` : sql``}
    ORDER BY d.environment, d.created_at DESC, d.id DESC) latest WHERE latest.status = 'failed')`;
}

/**
 * GET /api/agents: one query for the page (with price_from and services_count) and one count, then the
 * deployed-agent fields of the page's agents in two more (lib/market/deployed-agents.ts). `origin` makes
 * `api_endpoint` absolute.
 */
export async function searchAgents(
  principal: Principal | null,
  q: AgentSearch,
  origin: string = defaultOrigin(),
): Promise<AgentPage> {
  const db = await getDb();
  // owner=me depends on the caller; everything else is the same public list for everyone.
  const page =
    q.owner === "me"
      ? await search(db, principal, q)
      : await cache.get(db, JSON.stringify(q), await dataVersion(), () => search(db, null, q));
  const deployed = await deployedAgents(
    db,
    page.data.map((a) => a.id),
    q.environment,
  );
  return {
    ...page,
    data: page.data.map((a) => ({
      ...a,
      ...deployedFields({ id: a.id, updatedAt: a.updated_at }, deployed.get(a.id), origin),
    })),
  };
}

/** Pages without a request (server-rendered pages): the configured public URL, else the development server's. */
function defaultOrigin(): string {
  const url = env().NEXTAUTH_URL;
  return url ? new URL(url).origin : "http://localhost:3000";
}

type BasePage = Omit<AgentPage, "data"> & { data: AgentListBase[] };
const cache = new ListCache<BasePage>();

async function search(db: Db, principal: Principal | null, q: AgentSearch): Promise<BasePage> {
  const sort = sortOf(q);
  const where = filters(principal, q);
  const select = () =>
    db
      .select({
        ...agentColumns,
        priceFrom,
        servicesCount,
        rankScore,
        createdAtMicros: newest.key,
        lastUpdatedMicros: epochMicros(lastUpdated),
        nameKey,
      })
      .from(agents);
  const countAll = async (w: SQL | undefined) => (await db.select({ n: count() }).from(agents).where(w))[0]?.n ?? 0;
  if (q.page !== undefined) {
    // Offset paging (`page`): the same order, a page number instead of a cursor.
    const [rows, total] = await Promise.all([
      select()
        .where(and(...where))
        .orderBy(...keysetOrder(sort))
        .limit(q.limit)
        .offset((q.page - 1) * q.limit),
      countAll(and(...where)),
    ]);
    return {
      data: rows.map(agentListItemJson),
      next_cursor: null,
      total,
      pagination: { page: q.page, limit: q.limit, total, total_pages: Math.ceil(total / q.limit) },
    };
  }
  const { data, next_cursor, total } = await keysetList(
    sort,
    q,
    where,
    {
      rows: (w, order, take) =>
        select()
          .where(w)
          .orderBy(...order)
          .limit(take),
      count: countAll,
    },
    (last) => [cursorValue(q.sort, last), last.id],
  );
  return { data: data.map(agentListItemJson), next_cursor, total };
}

function cursorValue(
  sort: AgentSearch["sort"],
  last: {
    rankScore: number;
    jobsCompleted: number;
    createdAtMicros: number;
    lastUpdatedMicros: number;
    nameKey: string;
    priceFrom: string | number | null;
  },
): number | string | null {
  switch (sort) {
    case "reputation":
      return Number(last.rankScore);
    case "jobs_completed":
      return last.jobsCompleted;
    case "newest":
    case "created_at":
      return last.createdAtMicros;
    case "last_updated":
      return last.lastUpdatedMicros;
    case "name":
      return last.nameKey;
    case "price":
      return last.priceFrom === null ? null : Number(last.priceFrom);
  }
}
