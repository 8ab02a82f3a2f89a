import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Queryable } from "@/db/client";
import type { statsResponse } from "@/lib/api/contracts/stats";
import { JOB_STATUSES } from "./job-machine";

export type Stats = z.infer<typeof statsResponse>;
type JobStatus = keyof Stats["jobs"]["by_status"];

/** Ratings an agent needs before it can top the reputation list (one 5-star review is not a reputation). */
export const MIN_RATINGS_FOR_TOP = 3;
const TOP_N = 10;
const SERIES_DAYS = 30;

const STATUSES: readonly JobStatus[] = JOB_STATUSES;

/** Rows of a raw query; every driver we use returns `{ rows }`. */
export async function rowsOf<T>(db: Queryable, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

interface TopRow {
  id: string;
  name: string;
  category: string;
  reputation: number;
  rating_count: number;
  jobs_completed: number;
}

const topColumns = sql.raw("id, name, category, reputation, rating_count, jobs_completed");

/** Everything the stats page shows, in a handful of aggregate queries. */
export async function platformStats(db: Queryable, now = new Date()): Promise<Stats> {
  const [agentRows, serviceRows, jobRows, byReputation, byJobs, series] = await Promise.all([
    rowsOf<{ total: number; active: number }>(
      db,
      sql`SELECT count(*)::int AS total, (count(*) FILTER (WHERE status = 'active'))::int AS active FROM agents`,
    ),
    rowsOf<{ total: number; active: number }>(
      db,
      sql`SELECT count(*)::int AS total, (count(*) FILTER (WHERE active))::int AS active FROM services`,
    ),
    rowsOf<{ status: JobStatus; n: number; volume: number }>(
      db,
      sql`SELECT status, count(*)::int AS n, (coalesce(sum(price_cents), 0) / 100.0)::float8 AS volume FROM jobs GROUP BY status`,
    ),
    rowsOf<TopRow>(
      db,
      sql`SELECT ${topColumns} FROM agents WHERE status <> 'retired' AND rating_count >= ${MIN_RATINGS_FOR_TOP}
          ORDER BY reputation DESC, rating_count DESC, id LIMIT ${TOP_N}`,
    ),
    rowsOf<TopRow>(
      db,
      sql`SELECT ${topColumns} FROM agents WHERE status <> 'retired' AND jobs_completed > 0
          ORDER BY jobs_completed DESC, reputation DESC, id LIMIT ${TOP_N}`,
    ),
    jobsPerDay(db, now),
  ]);

  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  let totalJobs = 0;
  let totalUsd = 0;
  let completedUsd = 0;
  for (const r of jobRows) {
    byStatus[r.status] = r.n;
    totalJobs += r.n;
    totalUsd += r.volume;
    if (r.status === "completed") completedUsd = r.volume;
  }
  const finished = byStatus.completed + byStatus.cancelled + byStatus.failed;

  return {
    agents: agentRows[0] ?? { total: 0, active: 0 },
    services: serviceRows[0] ?? { total: 0, active: 0 },
    jobs: { total: totalJobs, by_status: byStatus },
    volume: { completed_usd: cents(completedUsd), total_usd: cents(totalUsd) },
    completion_rate: finished === 0 ? null : byStatus.completed / finished,
    top_agents: {
      min_rating_count: MIN_RATINGS_FOR_TOP,
      by_reputation: byReputation.map(top),
      by_jobs_completed: byJobs.map(top),
    },
    jobs_over_time: series,
    generated_at: now.toISOString(),
  };
}

/** Jobs created and completed per UTC day over the last 30 days, zero days included, oldest first. */
async function jobsPerDay(db: Queryable, now: Date): Promise<Stats["jobs_over_time"]> {
  const today = now.toISOString().slice(0, 10);
  const rows = await rowsOf<{ date: string; created: number; completed: number }>(
    db,
    sql`WITH days AS (
          SELECT generate_series(${today}::date - ${SERIES_DAYS - 1}::int, ${today}::date, interval '1 day')::date AS day
        ),
        bounds AS (SELECT (min(day)::timestamp AT TIME ZONE 'UTC') AS since FROM days),
        created AS (
          SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM jobs, bounds
          WHERE created_at >= bounds.since GROUP BY 1
        ),
        completed AS (
          SELECT (completed_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM jobs, bounds
          WHERE completed_at >= bounds.since GROUP BY 1
        )
        SELECT to_char(days.day, 'YYYY-MM-DD') AS date,
               coalesce(created.n, 0)::int AS created,
               coalesce(completed.n, 0)::int AS completed
        FROM days
        LEFT JOIN created ON created.day = days.day
        LEFT JOIN completed ON completed.day = days.day
        ORDER BY days.day`,
  );
  return rows.map((r) => ({ date: r.date, created: Number(r.created), completed: Number(r.completed) }));
}

function top(r: TopRow): Stats["top_agents"]["by_reputation"][number] {
  return {
    id: r.id,
    name: r.name,
    category: r.category,
    reputation: Number(r.reputation),
    rating_count: Number(r.rating_count),
    jobs_completed: Number(r.jobs_completed),
  };
}

function cents(n: number): number {
  return Math.round(n * 100) / 100;
}
