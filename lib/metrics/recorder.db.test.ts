import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { agentVersions, callRollups, callRollupsHourly } from "@/db/schema";
import { createAgent } from "@/test/fixtures/market";
import { setupTestDatabase } from "@/test/db";
import { bucketUpperMs, bucketOf, emptyHistogram, quantile, record } from "./histogram";
import { flushMetrics, recordCall, recorderHealth, recordUsage, closeRecorder, versionWindowStats } from "./recorder";

setupTestDatabase();

let agentId: string;
let versionId: string;
const environment = "prod" as const;

beforeAll(async () => {
  const db = await getDb();
  agentId = (await createAgent(db)).agent.id;
  const [v] = await db
    .insert(agentVersions)
    .values({
      agentId,
      version: "1.0.0",
      source: "artifact",
      artifact: "text-stats",
      entrypoint: "server.mjs",
      configuration: { memory_limit: 128, timeout: 30, concurrent_executions: 10 },
      codeDigest: "test",
    })
    .returning();
  versionId = v!.id;
});
afterEach(() => closeRecorder());

async function minuteRow(at: Date) {
  const db = await getDb();
  const [r] = await db
    .select()
    .from(callRollups)
    .where(and(eq(callRollups.versionId, versionId), eq(callRollups.bucketStart, at)));
  return r;
}

describe("metrics recorder", () => {
  it("merges flushes of the same minute inside the database: counts add, histograms add, percentiles follow", async () => {
    const at = new Date("2026-01-01T10:15:20Z");
    const minute = new Date("2026-01-01T10:15:00Z");
    const expected = emptyHistogram();
    // Two flushes of one minute (as two processes would): 90 fast calls, then 10 slow ones and 2 failures.
    for (let i = 0; i < 90; i++) {
      recordCall({ agentId, environment, versionId, latencyMs: 5, outcome: "ok", bytesIn: 10, bytesOut: 20, at });
      record(expected, 5);
    }
    await flushMetrics();
    expect(recorderHealth()).toMatchObject({ last_error: null, pending_buckets: 0 });
    expect((await minuteRow(minute))!.p99Ms).toBe(bucketUpperMs(bucketOf(5)));
    for (let i = 0; i < 10; i++) {
      const outcome = i < 1 ? "error" : i < 2 ? "timeout" : "ok";
      recordCall({ agentId, environment, versionId, latencyMs: 400, outcome, bytesIn: 1, bytesOut: 2, at });
      record(expected, 400);
    }
    recordUsage({
      agentId,
      environment,
      versionId,
      cpuUtilization: 0.25,
      memoryUtilization: 0.5,
      memoryBytes: 64 << 20,
      diskBytes: 1000,
      at,
    });
    await flushMetrics();

    const row = (await minuteRow(minute))!;
    expect(row).toMatchObject({ calls: 100, errors: 1, timeouts: 1, bytesIn: 910, bytesOut: 1820 });
    expect(row.latencySumMs).toBe(90 * 5 + 10 * 400);
    expect(row.hist).toEqual(expected);
    expect(row.p50Ms).toBeCloseTo(quantile(expected, 0.5)!, 6);
    expect(row.p95Ms).toBeCloseTo(quantile(expected, 0.95)!, 6);
    expect(row.p95Ms).toBeGreaterThan(300);
    expect(row.resourceSamples).toBe(1);
    expect(row.memoryBytesMax).toBe(64 << 20);

    const db = await getDb();
    const [hour] = await db
      .select()
      .from(callRollupsHourly)
      .where(
        and(
          eq(callRollupsHourly.versionId, versionId),
          eq(callRollupsHourly.bucketStart, new Date("2026-01-01T10:00:00Z")),
        ),
      );
    expect(hour).toMatchObject({ calls: 100, errors: 1, timeouts: 1 });
    expect(hour!.hist).toEqual(expected);
  });

  it("adds up a version's calls since a moment for rollout decisions, including what is still buffered", async () => {
    const since = new Date(Date.now() - 1000);
    for (let i = 0; i < 20; i++) {
      recordCall({
        agentId,
        environment,
        versionId,
        latencyMs: i < 19 ? 10 : 900,
        outcome: i < 5 ? "error" : "ok",
        bytesIn: 1,
        bytesOut: 1,
      });
    }
    const stats = await versionWindowStats({ agentId, environment, versionId, since });
    expect(stats).toMatchObject({ calls: 20, errors: 5, timeouts: 0 });
    expect(stats.p95_ms).toBe(bucketUpperMs(bucketOf(10)));
  });
});
