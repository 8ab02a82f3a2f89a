import { describe, expect, it } from "vitest";
import { METRIC_NAMES, seriesOf, type BucketColumns } from "./series";

const DAY = 1440;
// Two minutes either side of midnight UTC on 2026-01-05, the second of them shared by two rows (no stored percentiles).
const day = Date.UTC(2026, 0, 5) / 60_000;
const columns = (): BucketColumns => ({
  minute: [day - 1, day, day + 1],
  calls: [4, 10, 0],
  failures: [1, 0, 0],
  latencyMs: [40, 300, 0],
  p50: [8, null, null],
  p95: [12, null, null],
  p99: [14, null, null],
  samples: [2, 0, 1],
  cpu: [0.5, 0, 0.25],
  memory: [0.4, 0, 0.1],
  memoryMax: [1000, 0, 2000],
  diskMax: [0, 0, 0],
});

describe("seriesOf", () => {
  it("makes the points from columns: stored or merged percentiles, rates, usage only where sampled", () => {
    const merged = new Map([[day, [20, 30, 40] as const]]);
    const { metrics, summary } = seriesOf(columns(), "1m", new Set(METRIC_NAMES), merged, [10, 30, 40]);
    expect(metrics.execution_count).toEqual([
      { timestamp: "2026-01-04T23:59:00.000Z", value: 4 },
      { timestamp: "2026-01-05T00:00:00.000Z", value: 10 },
      { timestamp: "2026-01-05T00:01:00.000Z", value: 0 },
    ]);
    expect(metrics.response_time).toEqual([
      { timestamp: "2026-01-04T23:59:00.000Z", avg: 10, p50: 8, p95: 12, p99: 14 },
      { timestamp: "2026-01-05T00:00:00.000Z", avg: 30, p50: 20, p95: 30, p99: 40 },
    ]);
    expect(metrics.error_rate?.map((p) => p.value)).toEqual([0.25, 0]);
    expect(metrics.throughput?.[1]).toEqual({ timestamp: "2026-01-05T00:00:00.000Z", value: 0.166667 });
    expect(metrics.resource_usage).toEqual([
      { timestamp: "2026-01-04T23:59:00.000Z", cpu: 0.25, memory: 0.2, disk: null, memory_bytes: 1000, disk_bytes: 0 },
      { timestamp: "2026-01-05T00:01:00.000Z", cpu: 0.25, memory: 0.1, disk: null, memory_bytes: 2000, disk_bytes: 0 },
    ]);
    expect(summary).toEqual({
      total_executions: 14,
      success_rate: 0.928571,
      avg_response_time: 24.286,
      response_time_p50: 10,
      response_time_p95: 30,
      response_time_p99: 40,
      peak_throughput: 0.166667,
      uptime: 100,
    });
  });

  it("gives only the selected series, and refuses a bucket with calls but no percentiles", () => {
    const c = { ...columns(), samples: null };
    const { metrics } = seriesOf(c, "1h", new Set(["execution_count", "resource_usage"] as const), new Map(), null);
    expect(Object.keys(metrics)).toEqual(["execution_count", "resource_usage"]);
    expect(metrics.resource_usage).toEqual([]);
    expect(metrics.execution_count?.[2]?.timestamp).toBe(new Date((day + 1) * 60_000).toISOString());
    expect(() => seriesOf(columns(), "1m", new Set(METRIC_NAMES), new Map(), null)).toThrow(/minute/);
    expect(day % DAY).toBe(0);
  });
});
