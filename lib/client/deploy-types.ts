import type { z } from "zod";
import type { deployResponseSchema, deploymentSchema, deploymentSummarySchema } from "@/lib/api/contracts/deployments";
import type { versionSchema } from "@/lib/api/contracts/versions";
import type { deploymentActionResponse } from "@/lib/api/contracts/deployment-actions";
import type { agentMetricsResponse } from "@/lib/api/contracts/metrics";

/* Deployment shapes for the browser, inferred from the API's contracts (type-only imports, as in ./types.ts). */

export type Deployment = z.infer<typeof deploymentSchema>;
export type DeploymentSummary = z.infer<typeof deploymentSummarySchema>;
export type DeploymentPhase = Deployment["phases"][number];
export type Version = z.infer<typeof versionSchema>;
export type DeployResult = z.infer<typeof deployResponseSchema>;
export type Environment = Deployment["environment"];

/** POST .../deployments/{id}/{rollback,promote,abort} (lib/api/contracts/deployment-actions.ts). */
export type DeploymentAction = "rollback" | "promote" | "abort";
export type DeploymentActionResult = z.infer<typeof deploymentActionResponse>;

/** GET /api/agents/{id}/metrics (lib/api/contracts/metrics.ts). */
export type AgentMetrics = z.infer<typeof agentMetricsResponse>;
export type MetricPoint = NonNullable<AgentMetrics["metrics"]["execution_count"]>[number];
export type { Granularity } from "@/lib/metrics/series";
