"use client";

import { useState } from "react";
import { Select, QuietLabel } from "@/components/ui/field";
import { ErrorState, Skeleton } from "@/components/ui/states";
import { useAgentMetrics, type MetricsWindow } from "@/lib/client/deploy-hooks";
import type { AgentMetrics, MetricPoint } from "@/lib/client/types";
import { LineChart, type ChartSeries } from "./line-chart";
import { versionColor } from "./status";

const WINDOWS: (MetricsWindow & { label: string })[] = [
  { label: "Last hour", minutes: 60, granularity: "1m" },
  { label: "Last 6 hours", minutes: 360, granularity: "5m" },
  { label: "Last day", minutes: 1440, granularity: "5m" },
  { label: "Last 7 days", minutes: 10_080, granularity: "1h" },
];

const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
const pct = (v: number) => `${(v * 100).toFixed(v > 0 && v < 0.1 ? 1 : 0)}%`;
const rps = (v: number) => `${v < 10 ? v.toFixed(2) : Math.round(v)}/s`;

const points = (s: MetricPoint[] | undefined) => (s ?? []).map((p) => ({ t: Date.parse(p.timestamp), v: p.value }));

function latency(m: AgentMetrics["metrics"]): ChartSeries[] {
  const rt = m.response_time ?? [];
  const pick = (k: "p50" | "p95" | "p99") => rt.map((p) => ({ t: Date.parse(p.timestamp), v: p[k] }));
  return [
    { name: "p50", color: "var(--ok)", points: pick("p50") },
    { name: "p95", color: "var(--accent)", points: pick("p95") },
    { name: "p99", color: "var(--warn)", points: pick("p99"), dashed: true },
  ];
}

function Tile({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-lg bg-subtle px-3 py-2">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="font-semibold tabular-nums">{value}</dd>
    </div>
  );
}

/** GET /api/agents/{id}/metrics over a chosen window: latency percentiles, errors, throughput, and per version. */
export function MetricsPanel({ agentId, environments }: { agentId: string; environments: string[] }) {
  const [w, setW] = useState(0);
  const [environment, setEnvironment] = useState<string>("");
  const win = WINDOWS[w]!;
  const { data, error, isPending } = useAgentMetrics(agentId, { ...win, environment: environment || undefined });
  const start = data ? Date.parse(data.time_range.start) : 0;
  const end = data ? Date.parse(data.time_range.end) : 0;
  const chart = (title: string, series: ChartSeries[], format: (v: number) => string) => (
    <LineChart title={title} series={series} start={start} end={end} format={format} />
  );
  const s = data?.summary;
  const versions = data?.by_version ?? [];
  return (
    <section aria-label="Metrics" className="space-y-4" data-testid="metrics">
      <div className="flex flex-col gap-2 sm:flex-row">
        <QuietLabel htmlFor="metrics_window">Window</QuietLabel>
        <Select id="metrics_window" value={w} onChange={(e) => setW(Number(e.target.value))} className="sm:w-52">
          {WINDOWS.map((x, i) => (
            <option key={x.label} value={i}>
              {x.label}
            </option>
          ))}
        </Select>
        <QuietLabel htmlFor="metrics_environment">Environment</QuietLabel>
        <Select
          id="metrics_environment"
          value={environment}
          onChange={(e) => setEnvironment(e.target.value)}
          className="sm:w-52"
        >
          <option value="">All environments</option>
          {environments.map((e) => (
            <option key={e}>{e}</option>
          ))}
        </Select>
      </div>
      {error ? (
        <ErrorState title="Metrics are not available" message={error.message} />
      ) : isPending || !data || !s ? (
        <Skeleton className="h-48" />
      ) : (
        <>
          <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-3 lg:grid-cols-6">
            <Tile label="Calls" value={String(s.total_executions)} />
            <Tile label="Succeeded" value={s.success_rate === null ? "—" : pct(s.success_rate)} />
            <Tile label="p50" value={s.response_time_p50 === null ? "—" : ms(s.response_time_p50)} />
            <Tile label="p95" value={s.response_time_p95 === null ? "—" : ms(s.response_time_p95)} />
            <Tile label="p99" value={s.response_time_p99 === null ? "—" : ms(s.response_time_p99)} />
            <Tile label="Peak throughput" value={rps(s.peak_throughput)} />
          </dl>
          <div className="grid gap-6 *:min-w-0 md:grid-cols-2">
            {chart("Response time", latency(data.metrics), ms)}
            {chart(
              "Error rate",
              [{ name: "failed calls", color: "var(--bad)", points: points(data.metrics.error_rate) }],
              pct,
            )}
            {chart(
              "Throughput",
              [{ name: "calls/s", color: "var(--accent)", points: points(data.metrics.throughput) }],
              rps,
            )}
          </div>
          {versions.length > 1 ? (
            <div>
              <h3 className="mb-2 text-sm font-semibold">By version</h3>
              <div className="grid gap-6 *:min-w-0 md:grid-cols-2">
                {chart(
                  "p95 response time by version",
                  versions.map((v, i) => ({
                    name: v.version,
                    color: versionColor(i),
                    points: (v.metrics.response_time ?? []).map((p) => ({ t: Date.parse(p.timestamp), v: p.p95 })),
                  })),
                  ms,
                )}
                {chart(
                  "Error rate by version",
                  versions.map((v, i) => ({
                    name: v.version,
                    color: versionColor(i),
                    points: points(v.metrics.error_rate),
                  })),
                  pct,
                )}
                {chart(
                  "Throughput by version",
                  versions.map((v, i) => ({
                    name: v.version,
                    color: versionColor(i),
                    points: points(v.metrics.throughput),
                  })),
                  rps,
                )}
              </div>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
