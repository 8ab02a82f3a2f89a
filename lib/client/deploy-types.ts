import type { z } from "zod";
import type { deployResponseSchema, deploymentSchema, deploymentSummarySchema } from "@/lib/api/contracts/deployments";
import type { versionSchema } from "@/lib/api/contracts/versions";

/* Deployment shapes for the browser, inferred from the API's contracts (type-only imports, as in ./types.ts). */

export type Deployment = z.infer<typeof deploymentSchema>;
export type DeploymentSummary = z.infer<typeof deploymentSummarySchema>;
export type DeploymentStatus = Deployment["status"];
export type DeploymentPhase = Deployment["phases"][number];
export type TrafficSplit = Deployment["traffic"];
export type Version = z.infer<typeof versionSchema>;
export type DeployResult = z.infer<typeof deployResponseSchema>;
export type Environment = Deployment["environment"];

/** POST .../deployments/{id}/{rollback,promote,abort} (lib/api/contracts/deployment-actions.ts). */
export type DeploymentAction = "rollback" | "promote" | "abort";
export interface DeploymentActionResult {
  deployment_id: string;
  agent_id: string;
  environment: Environment;
  status: DeploymentStatus;
  current_phase: string;
  progress: number;
  reason: string | null;
  traffic: { version_id: string; weight: number }[];
}

/** GET /api/agents/{id}/metrics (lib/api/contracts/metrics.ts, seed 003 4.1). */
export interface MetricPoint {
  timestamp: string;
  value: number;
}
export interface LatencyPoint {
  timestamp: string;
  avg: number;
  p50: number;
  p95: number;
  p99: number;
}
export interface MetricSeries {
  execution_count?: MetricPoint[];
  response_time?: LatencyPoint[];
  error_rate?: MetricPoint[];
  throughput?: MetricPoint[];
}
export interface MetricSummary {
  total_executions: number;
  success_rate: number | null;
  avg_response_time: number | null;
  response_time_p50: number | null;
  response_time_p95: number | null;
  response_time_p99: number | null;
  peak_throughput: number;
  uptime: number | null;
}
export interface AgentMetrics {
  agent_id: string;
  time_range: { start: string; end: string; granularity: string };
  environment: Environment | null;
  version: string | null;
  metrics: MetricSeries;
  summary: MetricSummary;
  by_version: { version_id: string; version: string; metrics: MetricSeries; summary: MetricSummary }[];
}
export type Granularity = "1m" | "5m" | "1h" | "1d";
