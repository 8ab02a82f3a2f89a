import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { createVersion } from "@/test/fixtures/deployed";
import { createAgent, createUser } from "@/test/fixtures/market";
import { setupTestDatabase } from "@/test/db";
import { bucketColumns, type RollupScope } from "./rollup-queries";
import { METRIC_NAMES, seriesJson, type MetricName } from "./series";
import { seriesJsonInDb } from "./series-sql";

setupTestDatabase();

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 23, 0);

/** A new agent's first version, and the scope of its calls in `environment` for `minutes` from T0. */
async function versionScope(
  db: Awaited<ReturnType<typeof getDb>>,
  environment: RollupScope["environment"],
  minutes: number,
) {
  const { user } = await createUser(db);
  const { agent } = await createAgent(db, { ownerUserId: user.id });
  const version = await createVersion(db, agent.id, "1.0.0");
  const scope: RollupScope = {
    agentId: agent.id,
    environment,
    versionId: version.id,
    from: T0,
    to: T0 + minutes * MIN,
  };
  return { agent, version, scope };
}

describe("seriesJsonInDb", () => {
  it("writes exactly the text the column path writes, for figures that round on ties, tiny and large values", async () => {
    const db = await getDb();
    const { agent, version, scope } = await versionScope(db, "prod", 120);
    // Two hours across midnight, a bucket every minute but a few: calls 0 (usage only), 128 and 640 with one failure
    // (1/128 = 0.0078125 and 1/640 round on a tie at six digits), tiny and huge utilizations and latencies, stored
    // percentiles that are histogram bounds and round to the microsecond.
    await db.execute(sql`INSERT INTO call_rollups (agent_id, environment, version_id, bucket_start, calls, errors,
        timeouts, latency_sum_ms, hist, p50_ms, p95_ms, p99_ms, resource_samples, cpu_utilization_sum,
        memory_utilization_sum, memory_bytes_max, disk_bytes_max)
      SELECT ${agent.id}, 'prod', ${version.id}, ${new Date(T0).toISOString()}::timestamptz + m * interval '1 minute',
        c, CASE WHEN c > 0 THEN m % 2 ELSE 0 END, CASE WHEN c > 0 AND m % 5 = 0 THEN 1 ELSE 0 END,
        c * (3 + m * 7919 % 1000), array_fill(0, ARRAY[120]), 1.12 ^ (m % 118), 1.12 ^ ((m + 20) % 118),
        1.12 ^ ((m + 40) % 118), m % 4, (m % 4) * (CASE WHEN m % 3 = 0 THEN 0.0000071 ELSE 1.0 / 3 END),
        (m % 4) * 0.7 + m * 1e-9, m * 1234567, m * 99
      FROM generate_series(0, 119) m, LATERAL (SELECT CASE m % 11 WHEN 0 THEN 0 WHEN 1 THEN 128 WHEN 2 THEN 640
        WHEN 3 THEN 3 ELSE 1 + m * 37 % 997 END AS c) x
      WHERE m % 17 <> 5`);

    const selections: ReadonlySet<MetricName>[] = [
      new Set(METRIC_NAMES),
      new Set(["error_rate", "throughput"] as const),
    ];
    for (const select of selections) {
      const window = [1.12 ** 30, 1.12 ** 40, 1.12 ** 50] as const;
      const expected = seriesJson(
        await bucketColumns(db, "call_rollups", scope, false, true),
        "1m",
        select,
        new Map(),
        window,
      );
      // Over the slice threshold: written in slices, joined.
      const long = { ...scope, from: T0 - 30 * 1440 * MIN };
      for (const s of [scope, long]) {
        const text = await seriesJsonInDb(db, "call_rollups", s, "1m", select, Promise.resolve(window));
        expect(text).toBe(expected);
      }
      const value = JSON.parse(`{${expected}}`);
      expect(JSON.stringify(value)).toBe(`{${expected}}`);
      expect(Object.keys(value.metrics)).toEqual(METRIC_NAMES.filter((n) => select.has(n)));
    }
    const all = JSON.parse(
      `{${seriesJson(await bucketColumns(db, "call_rollups", scope, false, true), "1m", new Set(METRIC_NAMES), new Map(), null)}}`,
    );
    // The figures the test is about are in the answer: the ties, the tiny utilization, the midnight.
    expect(all.metrics.error_rate.map((p: { value: number }) => p.value)).toEqual(
      expect.arrayContaining([0.007813, 0.001563]),
    );
    expect(all.metrics.resource_usage.some((p: { cpu: number }) => p.cpu === 0.000007)).toBe(true);
    expect(
      all.metrics.execution_count.some((p: { timestamp: string }) => p.timestamp === "2026-01-06T00:00:00.000Z"),
    ).toBe(true);
    expect(all.metrics.execution_count.length).toBe(120 - 7);
  });

  it("writes empty series and a summary without calls for a window without rows", async () => {
    const db = await getDb();
    const { scope } = await versionScope(db, "dev", 60);
    const text = await seriesJsonInDb(db, "call_rollups", scope, "1m", new Set(METRIC_NAMES), Promise.resolve(null));
    expect(text).toBe(
      seriesJson(
        await bucketColumns(db, "call_rollups", scope, false, true),
        "1m",
        new Set(METRIC_NAMES),
        new Map(),
        null,
      ),
    );
    expect(JSON.parse(`{${text}}`).summary).toMatchObject({ total_executions: 0, success_rate: null, uptime: null });
  });
});
