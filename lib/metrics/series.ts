/**
 * Bucketed rollups into the series and summary of GET /api/agents/{id}/metrics (README.md, Deployments). Pure functions: the
 * queries (rollup-queries.ts) hand them columns the database has aggregated, so the arithmetic is tested without one.
 *
 * A bucket's percentiles come from the stored p50/p95/p99 of its row when it is made of exactly one row at that
 * row's own resolution (one minute of one version); otherwise from the merged histograms of its rows, so a
 * percentile over any bucket or window is exact to the histogram bucket, never an average of percentiles.
 */

export const GRANULARITIES = { "1m": 60_000, "5m": 300_000, "1h": 3_600_000, "1d": 86_400_000 } as const;
export type Granularity = keyof typeof GRANULARITIES;
export const METRIC_NAMES = ["execution_count", "response_time", "error_rate", "throughput", "resource_usage"] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** Buckets in time order, one array per figure (index k is the k-th bucket with rows). */
export interface BucketColumns {
  /** bucket start, minutes since the epoch */
  minute: number[];
  calls: number[];
  /** errors and timeouts */
  failures: number[];
  latencyMs: number[];
  /** resource samples; null when resource usage was not asked for (nor the columns below read) */
  samples: number[] | null;
  cpu: number[];
  memory: number[];
  memoryMax: number[];
  diskMax: number[];
  /** a lone row's stored percentiles at its own resolution; null where they come from merged histograms */
  p50: (number | null)[];
  p95: (number | null)[];
  p99: (number | null)[];
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

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
/** Milliseconds to the microsecond: a histogram bound printed in full would be 17 digits for nothing. */
const ms = (n: number) => Math.round(n * 1e3) / 1e3;
const msOrNull = (n: number | null) => (n === null ? null : ms(n));

/** The bucket's start as ISO 8601: the day's part made once per day (Date's formatting is most of a point's cost). */
const isoMinute = (() => {
  const hhmm = Array.from({ length: 1440 }, (_, m) => new Date(m * 60_000).toISOString().slice(10, 16));
  let day = NaN;
  let prefix = "";
  return (minute: number) => {
    const d = Math.floor(minute / 1440);
    if (d !== day) {
      day = d;
      prefix = new Date(d * 86_400_000).toISOString().slice(0, 10);
    }
    return `${prefix}${hhmm[minute - d * 1440]}:00.000Z`;
  };
})();

/** A number as JSON.stringify writes it (a non-finite one as null). */
const num = (n: number | null | undefined) => (typeof n === "number" && Number.isFinite(n) ? `${n}` : "null");

/**
 * The points of one series as JSON text. Points are joined in small batches as they come: a point's string dies
 * young (a minor collection frees it for nothing) instead of 43,200 of them living until the end, which made the
 * garbage collector most of the cost.
 */
class JsonList {
  private readonly chunks: string[] = [];
  private batch: string[] = [];
  add(point: string) {
    this.batch.push(point);
    if (this.batch.length === 256) {
      this.chunks.push(this.batch.join(","));
      this.batch = [];
    }
  }
  get text() {
    if (this.batch.length) this.chunks.push(this.batch.join(","));
    this.batch = [];
    return this.chunks.join(",");
  }
}

/**
 * The selected series and the summary of bucketed columns, as the JSON text `"metrics":{…},"summary":{…}` (the
 * members of the answer's object, or of a `by_version` entry): exactly what JSON.stringify would write for
 * `seriesOf`'s value, written straight from the columns. `merged` holds the percentiles of buckets without stored
 * ones (keyed by their minute); `window` the percentiles of the whole window. Buckets without rows are absent (no
 * calls); uptime is the share of buckets with calls in which a call succeeded. One pass over the columns and no
 * object per point: 30 days of minutes is 43,200 buckets, five series of them a 15 MB answer.
 */
export function seriesJson(
  c: BucketColumns,
  granularity: Granularity,
  select: ReadonlySet<MetricName>,
  merged: ReadonlyMap<number, readonly [number, number, number]>,
  window: readonly [number, number, number] | null,
): string {
  const lists = new Map(METRIC_NAMES.filter((n) => select.has(n)).map((n) => [n, new JsonList()] as const));
  const counts = lists.get("execution_count");
  const rates = lists.get("throughput");
  const errors = lists.get("error_rate");
  const latencies = lists.get("response_time");
  const usage = lists.get("resource_usage");
  const sum: Totals = { calls: 0, failures: 0, latency: 0, active: 0, up: 0, peak: 0 };
  for (let k = 0; k < c.minute.length; k++) {
    const minute = c.minute[k]!;
    const calls = c.calls[k]!;
    const failures = c.failures[k]!;
    const at = `{"timestamp":"${isoMinute(minute)}",`;
    const throughput = throughputOf(calls, granularity);
    sum.peak = Math.max(sum.peak, throughput);
    sum.calls += calls;
    sum.failures += failures;
    sum.latency += c.latencyMs[k]!;
    counts?.add(`${at}"value":${num(calls)}}`);
    rates?.add(`${at}"value":${num(throughput)}}`);
    if (calls > 0) {
      sum.active += 1;
      if (failures < calls) sum.up += 1;
      errors?.add(`${at}"value":${num(round6(failures / calls))}}`);
      if (latencies) {
        const avg = ms(c.latencyMs[k]! / calls);
        const p50 = c.p50[k];
        const q = p50 === null || p50 === undefined ? merged.get(minute) : ([p50, c.p95[k]!, c.p99[k]!] as const);
        if (!q) throw new Error(`bucket at minute ${minute} has neither stored nor merged percentiles`);
        latencies.add(`${at}"avg":${num(avg)},"p50":${num(ms(q[0]))},"p95":${num(ms(q[1]))},"p99":${num(ms(q[2]))}}`);
      }
    }
    const samples = c.samples?.[k] ?? 0;
    if (usage && samples > 0) {
      // No disk quota exists on the hosts to measure against; the bytes are there.
      const cpu = round6(c.cpu[k]! / samples);
      const memory = round6(c.memory[k]! / samples);
      usage.add(
        `${at}"cpu":${num(cpu)},"memory":${num(memory)},"disk":null,"memory_bytes":${num(c.memoryMax[k])},"disk_bytes":${num(c.diskMax[k])}}`,
      );
    }
  }
  return membersJson(
    [...lists].map(([name, list]) => [name, list.text] as const),
    summaryOf(sum, window),
  );
}

/** The window's totals: `active` buckets had calls, `up` ones a call that succeeded; `peak` in calls per second. */
export interface Totals {
  calls: number;
  failures: number;
  latency: number;
  active: number;
  up: number;
  peak: number;
}

export function summaryOf(sum: Totals, window: readonly [number, number, number] | null): Summary {
  return {
    total_executions: sum.calls,
    success_rate: sum.calls ? round6(1 - sum.failures / sum.calls) : null,
    avg_response_time: sum.calls ? ms(sum.latency / sum.calls) : null,
    response_time_p50: msOrNull(window?.[0] ?? null),
    response_time_p95: msOrNull(window?.[1] ?? null),
    response_time_p99: msOrNull(window?.[2] ?? null),
    peak_throughput: sum.peak,
    uptime: sum.active ? Math.round((1e6 * sum.up) / sum.active) / 1e4 : null,
  };
}

/** Calls per second of a bucket of `calls`, as the series and the summary's peak give it. */
export const throughputOf = (calls: number, granularity: Granularity) =>
  round6(calls * (1000 / GRANULARITIES[granularity]));

/** `"metrics":{…},"summary":{…}` of each selected series' points (JSON text, comma-separated) and the summary. */
export function membersJson(series: readonly (readonly [MetricName, string])[], summary: Summary): string {
  const metrics = series.map(([name, points]) => `"${name}":[${points}]`).join(",");
  return `"metrics":{${metrics}},"summary":${JSON.stringify(summary)}`;
}

/** `seriesJson` as a value (for tests and in-process callers; the route sends the text as it is). */
export function seriesOf(...args: Parameters<typeof seriesJson>): { metrics: Series; summary: Summary } {
  return JSON.parse(`{${seriesJson(...args)}}`) as { metrics: Series; summary: Summary };
}
