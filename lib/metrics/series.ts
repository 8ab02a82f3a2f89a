import { emptyHistogram, merge, quantile, type Histogram } from "./histogram";

/**
 * Rollup rows into the series and summary of GET /api/agents/{id}/metrics (seed 003 4.1). Pure functions: the
 * queries (agent-metrics.ts) hand them rows, so the arithmetic is tested without a database.
 *
 * A bucket's percentiles come from the stored p50/p95/p99 of its row when it is made of exactly one row at that
 * row's own resolution (one minute of one version); otherwise from the merged histograms of its rows, so a
 * percentile over any bucket or window is exact to the histogram bucket, never an average of percentiles.
 */

export const GRANULARITIES = { "1m": 60_000, "5m": 300_000, "1h": 3_600_000, "1d": 86_400_000 } as const;
export type Granularity = keyof typeof GRANULARITIES;
export const METRIC_NAMES = ["execution_count", "response_time", "error_rate", "throughput", "resource_usage"] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface RollupRow {
  /** bucket start, epoch ms */
  t: number;
  versionId: string;
  calls: number;
  /** errors and timeouts */
  failures: number;
  latencySumMs: number;
  p50: number;
  p95: number;
  p99: number;
  resourceSamples: number;
  cpuSum: number;
  memorySum: number;
  memoryBytesMax: number;
  diskBytesMax: number;
  /** null when the query left it out: the row stands alone in its bucket and its stored percentiles serve */
  hist: number[] | null;
}

export interface Point {
  timestamp: string;
  value: number;
}
export interface ResponseTimePoint {
  timestamp: string;
  avg: number;
  p50: number;
  p95: number;
  p99: number;
}
export interface ResourcePoint {
  timestamp: string;
  cpu: number;
  memory: number;
  disk: number | null;
  memory_bytes: number;
  disk_bytes: number;
}
export interface Series {
  execution_count?: Point[];
  response_time?: ResponseTimePoint[];
  error_rate?: Point[];
  throughput?: Point[];
  resource_usage?: ResourcePoint[];
}
export interface Summary {
  total_executions: number;
  success_rate: number | null;
  avg_response_time: number | null;
  response_time_p50: number | null;
  response_time_p95: number | null;
  response_time_p99: number | null;
  peak_throughput: number;
  uptime: number | null;
}

/** Merges the histograms of rows (a bucket's, a window's edges, a version's hours). */
export function mergedHistogram(rows: readonly RollupRow[], h: Histogram = emptyHistogram()): Histogram {
  for (const r of rows) {
    if (!r.hist) throw new Error(`rollup row at ${new Date(r.t).toISOString()} has no histogram to merge`);
    merge(h, r.hist);
  }
  return h;
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
/** Milliseconds to the microsecond: a histogram bound printed in full would be 17 digits for nothing. */
const ms = (n: number) => Math.round(n * 1e3) / 1e3;
const msOrNull = (n: number | null) => (n === null ? null : ms(n));

/**
 * The selected series and the summary of rows (in time order) bucketed by `granularity`. `stored`: the rows are at
 * that granularity (minute rows for 1m), so a bucket of one row uses its stored percentiles; other buckets merge
 * their rows' histograms. `hist` is the merged latency histogram of the whole window, built by the caller from
 * whichever rows cover it most cheaply. Buckets without rows are left out (no calls); uptime is the share of
 * buckets with calls in which a call succeeded. One pass, no object per bucket but the points: 30 days of minutes
 * is 43,200 of them.
 */
export function seriesOf(
  rows: readonly RollupRow[],
  granularity: Granularity,
  select: ReadonlySet<MetricName>,
  stored: boolean,
  hist: Histogram,
): { metrics: Series; summary: Summary } {
  const spanMs = GRANULARITIES[granularity];
  const series: Series = {};
  for (const name of METRIC_NAMES) if (select.has(name)) series[name] = [];
  const { execution_count: counts, throughput: rates, error_rate: errors, response_time: latencies } = series;
  const usage = series.resource_usage;
  // The window's totals; `active` buckets had calls, `up` ones a call that succeeded.
  const sum = { calls: 0, failures: 0, latency: 0, active: 0, up: 0, peak: 0 };
  for (let first = 0; first < rows.length;) {
    const t = Math.floor(rows[first]!.t / spanMs) * spanMs;
    let end = first;
    let calls = 0;
    let failures = 0;
    let latency = 0;
    let samples = 0;
    let cpu = 0;
    let memory = 0;
    let memoryMax = 0;
    let diskMax = 0;
    for (; end < rows.length && rows[end]!.t < t + spanMs; end++) {
      const r = rows[end]!;
      calls += r.calls;
      failures += r.failures;
      latency += r.latencySumMs;
      samples += r.resourceSamples;
      cpu += r.cpuSum;
      memory += r.memorySum;
      memoryMax = Math.max(memoryMax, r.memoryBytesMax);
      diskMax = Math.max(diskMax, r.diskBytesMax);
    }
    const timestamp = new Date(t).toISOString();
    const throughput = round6(calls / (spanMs / 1000));
    sum.peak = Math.max(sum.peak, throughput);
    sum.calls += calls;
    sum.failures += failures;
    sum.latency += latency;
    counts?.push({ timestamp, value: calls });
    rates?.push({ timestamp, value: throughput });
    if (calls > 0) {
      sum.active += 1;
      if (failures < calls) sum.up += 1;
      errors?.push({ timestamp, value: round6(failures / calls) });
      if (latencies) {
        const avg = ms(latency / calls);
        const only = end - first === 1 ? rows[first]! : undefined;
        if (stored && only) {
          latencies.push({ timestamp, avg, p50: ms(only.p50), p95: ms(only.p95), p99: ms(only.p99) });
        } else {
          const h = mergedHistogram(rows.slice(first, end).filter((r) => r.calls > 0));
          const q = (p: number) => ms(quantile(h, p) ?? 0);
          latencies.push({ timestamp, avg, p50: q(0.5), p95: q(0.95), p99: q(0.99) });
        }
      }
    }
    if (usage && samples > 0) {
      // No disk quota exists on the hosts to measure against; the bytes are there.
      const point = { timestamp, cpu: round6(cpu / samples), memory: round6(memory / samples), disk: null };
      usage.push({ ...point, memory_bytes: memoryMax, disk_bytes: diskMax });
    }
    first = end;
  }
  return {
    metrics: series,
    summary: {
      total_executions: sum.calls,
      success_rate: sum.calls ? round6(1 - sum.failures / sum.calls) : null,
      avg_response_time: sum.calls ? ms(sum.latency / sum.calls) : null,
      response_time_p50: msOrNull(quantile(hist, 0.5)),
      response_time_p95: msOrNull(quantile(hist, 0.95)),
      response_time_p99: msOrNull(quantile(hist, 0.99)),
      peak_throughput: sum.peak,
      uptime: sum.active ? Math.round((1e6 * sum.up) / sum.active) / 1e4 : null,
    },
  };
}
