import "server-only";
import { and, count, eq, gte, inArray, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { z } from "zod";
import type { Queryable } from "@/db/client";
import { agentRoutes, agentVersions, callRollups, deploymentInstances, deployments } from "@/db/schema";
import type { deploymentSchema, deploymentSummarySchema } from "@/lib/api/contracts/deployments";
import type { versionSchema } from "@/lib/api/contracts/versions";
import { keysetList, timeSort, type Page } from "@/lib/api/pagination";
import { iso } from "@/lib/market/serialize";
import { versionWindowStats } from "@/lib/metrics/recorder";
import type { VersionWithBundle } from "./versions";

/** The JSON of versions and deployments (lib/api/contracts/deployments.ts), with the small reads they need. */

type VersionJson = z.infer<typeof versionSchema>;
type DeploymentSummaryJson = z.infer<typeof deploymentSummarySchema>;
type DeploymentJson = z.infer<typeof deploymentSchema>;
type DeploymentRow = typeof deployments.$inferSelect;

export function versionJson(v: VersionWithBundle): VersionJson {
  return {
    version_id: v.id,
    agent_id: v.agentId,
    version: v.version,
    description: v.description,
    tags: v.tags,
    source: v.source,
    bundle: v.bundleFormat ? { format: v.bundleFormat, size_bytes: v.bundleSize ?? 0 } : null,
    artifact: v.artifact,
    container_image: v.containerImage,
    entrypoint: v.entrypoint,
    runtime: v.runtime,
    dependencies: { python: [], system: [], node: [], ...v.dependencies },
    configuration: v.configuration,
    code_digest: v.codeDigest,
    input_schema: v.inputSchema,
    created_at: iso(v.createdAt),
  };
}

const previous = alias(agentVersions, "previous_version");
const summaryColumns = { d: deployments, version: agentVersions.version, previousVersion: previous.version };
type SummaryRow = { d: DeploymentRow; version: string; previousVersion: string | null };

function summaryJson(r: SummaryRow): DeploymentSummaryJson {
  const d = r.d;
  return {
    deployment_id: d.id,
    agent_id: d.agentId,
    status: d.status,
    progress: d.progress,
    current_phase: d.currentPhase,
    environment: d.environment,
    host: d.host,
    strategy: d.strategy,
    version: r.version,
    previous_version: r.previousVersion,
    reason: d.reason,
    created_at: iso(d.createdAt),
    updated_at: iso(d.updatedAt),
    completed_at: d.completedAt ? iso(d.completedAt) : null,
  };
}

const deploymentSort = timeSort(deployments.createdAt, deployments.id, "desc");

function summaries(db: Queryable) {
  return db
    .select({ ...summaryColumns, key: deploymentSort.key })
    .from(deployments)
    .innerJoin(agentVersions, eq(agentVersions.id, deployments.versionId))
    .leftJoin(previous, eq(previous.id, deployments.previousVersionId));
}

/** Newest first, optionally of one environment or status. */
export async function listDeployments(
  db: Queryable,
  agentId: string,
  q: { limit: number; cursor?: string; environment?: DeploymentRow["environment"]; status?: DeploymentRow["status"] },
): Promise<Page<DeploymentSummaryJson> & { total: number }> {
  const filters: SQL[] = [eq(deployments.agentId, agentId)];
  if (q.environment) filters.push(eq(deployments.environment, q.environment));
  if (q.status) filters.push(eq(deployments.status, q.status));
  const page = await keysetList(
    deploymentSort,
    q,
    filters,
    {
      rows: (where, order, take) =>
        summaries(db)
          .where(where)
          .orderBy(...order)
          .limit(take),
      count: async (where) => (await db.select({ n: count() }).from(deployments).where(where))[0]?.n ?? 0,
    },
    (last) => [last.key, last.d.id],
  );
  return { ...page, data: page.data.map(summaryJson) };
}

const ACTIVE_INSTANCE = ["starting", "healthy", "unhealthy", "draining"] as const;
const WINDOW_S = 300;

/** A deployment as GET /api/agents/{id}/deployments/{deploymentId} shows it (README.md, Deployments), or null when the agent has no such deployment. */
export async function deploymentView(
  db: Queryable,
  agentId: string,
  deploymentId: string,
): Promise<DeploymentJson | null> {
  const [r] = await summaries(db).where(and(eq(deployments.id, deploymentId), eq(deployments.agentId, agentId)));
  if (!r) return null;
  const d = r.d;
  const versionIds = [d.versionId, ...(d.previousVersionId ? [d.previousVersionId] : [])];
  const [instances, calls, [usage], [route]] = await Promise.all([
    db
      .select({ i: deploymentInstances, version: agentVersions.version })
      .from(deploymentInstances)
      .innerJoin(agentVersions, eq(agentVersions.id, deploymentInstances.versionId))
      .where(
        and(
          eq(deploymentInstances.agentId, agentId),
          eq(deploymentInstances.environment, d.environment),
          inArray(deploymentInstances.versionId, versionIds),
          inArray(deploymentInstances.status, [...ACTIVE_INSTANCE]),
        ),
      )
      .orderBy(deploymentInstances.startedAt, deploymentInstances.id),
    versionWindowStats({
      agentId,
      environment: d.environment,
      versionId: d.versionId,
      since: new Date(Date.now() - WINDOW_S * 1000),
    }),
    // Host samples of the same window (the recorder keeps sums and counts per minute).
    db
      .select({
        samples: sql<number>`coalesce(sum(${callRollups.resourceSamples}), 0)`.mapWith(Number),
        cpu: sql<number>`coalesce(sum(${callRollups.cpuUtilizationSum}), 0)`.mapWith(Number),
        memory: sql<number>`coalesce(sum(${callRollups.memoryUtilizationSum}), 0)`.mapWith(Number),
      })
      .from(callRollups)
      .where(
        and(
          eq(callRollups.agentId, agentId),
          eq(callRollups.environment, d.environment),
          eq(callRollups.versionId, d.versionId),
          gte(callRollups.bucketStart, sql`now() - make_interval(secs => ${WINDOW_S})`),
        ),
      ),
    db
      .select({ weights: agentRoutes.weights })
      .from(agentRoutes)
      .where(and(eq(agentRoutes.agentId, agentId), eq(agentRoutes.environment, d.environment))),
  ]);

  const weights = route?.weights ?? [];
  const names = new Map<string, string>([[d.versionId, r.version]]);
  if (d.previousVersionId && r.previousVersion) names.set(d.previousVersionId, r.previousVersion);
  const unknown = weights.map((w) => w.version_id).filter((id) => !names.has(id));
  if (unknown.length) {
    const rows = await db
      .select({ id: agentVersions.id, version: agentVersions.version })
      .from(agentVersions)
      .where(inArray(agentVersions.id, unknown));
    for (const v of rows) names.set(v.id, v.version);
  }

  const healthy = instances.filter((x) => x.i.status === "healthy").length;
  const overall =
    instances.length > 0 && healthy === instances.length
      ? "healthy"
      : healthy > 0 || (instances.length === 0 && d.status === "deploying")
        ? "degraded"
        : "unhealthy";
  const samples = usage?.samples ?? 0;
  return {
    ...summaryJson(r),
    phases: d.phases,
    health: {
      overall_status: overall,
      checks: instances.map(({ i, version }) => ({
        name: `instance ${i.id.slice(0, 8)} (${version})`,
        status: i.status,
        last_check: iso(i.lastCheckAt ?? i.startedAt),
        message: i.lastCheckMessage ?? i.reason ?? "",
      })),
    },
    performance: {
      response_time_p95: calls.p95_ms ?? 0,
      error_rate: calls.calls ? (calls.errors + calls.timeouts) / calls.calls : 0,
      throughput: calls.calls / WINDOW_S,
      cpu_utilization: samples ? Math.min(1, (usage?.cpu ?? 0) / samples) : 0,
      memory_utilization: samples ? Math.min(1, (usage?.memory ?? 0) / samples) : 0,
    },
    traffic: weights.map((w) => ({ version: names.get(w.version_id) ?? w.version_id, weight: w.weight })),
  };
}
