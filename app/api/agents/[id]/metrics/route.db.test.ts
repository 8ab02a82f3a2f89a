import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import type { Environment } from "@/lib/deploy/types";
import { bucketOf, bucketUpperMs } from "@/lib/metrics/histogram";
import { flushMetrics, recordCall, recordUsage, closeRecorder } from "@/lib/metrics/recorder";
import { createAgent, createUser, type AgentFixture, type UserFixture } from "@/test/fixtures/market";
import { createVersion } from "@/test/fixtures/deployed";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { GET } from "./route";

setupTestDatabase();

interface Sample {
  at: number;
  version: "v1" | "v2";
  environment: Environment;
  ms: number;
  outcome: "ok" | "error" | "timeout";
}

const MIN = 60_000;
const HOUR = 60 * MIN;
// An hour boundary; the calls run from half an hour before it to two hours after.
const T0 = Date.UTC(2026, 0, 5, 10);
const samples: Sample[] = [];
let owner: UserFixture;
let agent: AgentFixture;
const versionIds: Record<"v1" | "v2", string> = { v1: "", v2: "" };

/** What a histogram reports for the nearest-rank q-quantile of these latencies: the upper bound of its bucket (to the µs). */
function exact(list: Sample[], q: number): number | null {
  if (!list.length) return null;
  const sorted = list.map((s) => s.ms).sort((a, b) => a - b);
  const v = sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
  return Math.round(bucketUpperMs(Math.min(bucketOf(v), 118)) * 1000) / 1000;
}

const within = (from: number, to: number, env?: Environment) =>
  samples.filter((s) => s.at >= from && s.at < to && (!env || s.environment === env));

beforeAll(async () => {
  closeRecorder();
  const db = await getDb();
  owner = await createUser(db);
  agent = await createAgent(db, { ownerUserId: owner.user.id });
  versionIds.v1 = (await createVersion(db, agent.agent.id, "1.0.0")).id;
  versionIds.v2 = (await createVersion(db, agent.agent.id, "1.1.0")).id;
  // A deterministic spread of latencies: v1 fast with a slow tail, v2 (a canary from T0+30m to T0+60m) slower.
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let m = -30; m < 120; m++) {
    const minute = T0 + m * MIN;
    for (let i = 0; i < 6; i++) {
      const r = rand();
      samples.push({
        at: minute + i * 7_000,
        version: "v1",
        environment: i === 5 ? "dev" : "prod",
        ms: r < 0.9 ? 5 + r * 40 : 400 + r * 2_000,
        outcome: r < 0.05 ? "error" : r > 0.98 ? "timeout" : "ok",
      });
    }
    if (m >= 30 && m < 60) {
      for (let i = 0; i < 3; i++) {
        samples.push({
          at: minute + 2_000 + i,
          version: "v2",
          environment: "prod",
          ms: 300 + rand() * 900,
          outcome: "ok",
        });
      }
    }
  }
  for (const s of samples) {
    recordCall({
      agentId: agent.agent.id,
      environment: s.environment,
      versionId: versionIds[s.version],
      latencyMs: s.ms,
      outcome: s.outcome,
      bytesIn: 100,
      bytesOut: 200,
      at: new Date(s.at),
    });
  }
  // Host samples for one minute: two of v1 (cpu 0.2 and 0.4).
  for (const cpu of [0.2, 0.4]) {
    recordUsage({
      agentId: agent.agent.id,
      environment: "prod",
      versionId: versionIds.v1,
      cpuUtilization: cpu,
      memoryUtilization: 0.5,
      memoryBytes: cpu * 1e8,
      diskBytes: 4096,
      at: new Date(T0 + 5 * MIN),
    });
  }
  await flushMetrics();
});
afterAll(() => closeRecorder());

const iso = (ms: number) => new Date(ms).toISOString();

function metrics(query: Record<string, string | undefined>, who: { key?: string; headers?: Record<string, string> }) {
  return call(GET, `/api/agents/${agent.agent.id}/metrics`, { params: { id: agent.agent.id }, query, ...who });
}

describe("GET /api/agents/{id}/metrics", () => {
  it("gives minute series from the stored percentiles and merges the minutes two versions share", async () => {
    const from = T0 - 20 * MIN;
    const to = T0 + 110 * MIN;
    const res = await metrics({ start_time: iso(from + 25_000), end_time: iso(to), granularity: "1m" }, owner);
    expect(res.status).toBe(200);
    expect(res.body.time_range).toEqual({ start: iso(from), end: iso(to), granularity: "1m" });
    const rt = res.body.metrics.response_time as { timestamp: string; p50: number; p95: number; p99: number }[];
    expect(rt).toHaveLength(130);
    for (const point of rt) {
      const t = Date.parse(point.timestamp);
      const mine = within(t, t + MIN);
      expect(point, point.timestamp).toMatchObject({
        p50: exact(mine, 0.5),
        p95: exact(mine, 0.95),
        p99: exact(mine, 0.99),
      });
    }
    const all = within(from, to);
    expect(res.body.summary).toMatchObject({
      total_executions: all.length,
      response_time_p50: exact(all, 0.5),
      response_time_p95: exact(all, 0.95),
      response_time_p99: exact(all, 0.99),
    });
    const failures = all.filter((s) => s.outcome !== "ok").length;
    expect(res.body.summary.success_rate).toBeCloseTo(1 - failures / all.length, 5);
    const counts = res.body.metrics.execution_count as { timestamp: string; value: number }[];
    expect(counts.reduce((a, p) => a + p.value, 0)).toBe(all.length);
    const firstThroughput = res.body.metrics.throughput[0];
    expect(firstThroughput.value).toBeCloseTo(within(from, from + MIN).length / 60, 5);
  });

  it("reads a long window at 1m in slices and gives the same buckets, in order, as a short one", async () => {
    // 8 days of minutes: read as two slices meeting at T0, in the middle of the calls.
    const long = await metrics(
      { start_time: iso(T0 - 4 * 24 * HOUR), end_time: iso(T0 + 4 * 24 * HOUR), granularity: "1m" },
      owner,
    );
    const short = await metrics({ start_time: iso(T0 - HOUR), end_time: iso(T0 + 3 * HOUR), granularity: "1m" }, owner);
    expect(long.status).toBe(200);
    expect(long.body.metrics).toEqual(short.body.metrics);
    expect(long.body.metrics.execution_count).toHaveLength(150);
    const all = within(T0 - HOUR, T0 + 3 * HOUR);
    expect(long.body.summary).toMatchObject({ total_executions: all.length, response_time_p95: exact(all, 0.95) });
  });

  it("merges histograms for coarser buckets (5m, hour and day rows) instead of averaging percentiles", async () => {
    const DAY = 24 * HOUR;
    const day = Date.UTC(2026, 0, 5);
    for (const [granularity, span, from, to, buckets] of [
      ["5m", 5 * MIN, T0 - HOUR, T0 + 2 * HOUR, 30],
      ["1h", HOUR, T0 - HOUR, T0 + 2 * HOUR, 3],
      // Three whole days: the buckets and the window's percentiles both come from the day rows.
      ["1d", DAY, day - DAY, day + 2 * DAY, 1],
      // Hours on both sides of a whole day: the window is minute, hour and day rows together.
      ["1h", HOUR, day - 90 * MIN, day + DAY + 10 * HOUR + 45 * MIN, 3],
    ] as const) {
      const res = await metrics({ start_time: iso(from), end_time: iso(to), granularity }, owner);
      expect(res.status).toBe(200);
      const all = within(from, Math.ceil(to / span) * span);
      expect(res.body.summary, `${granularity} window`).toMatchObject({
        total_executions: all.length,
        response_time_p50: exact(all, 0.5),
        response_time_p95: exact(all, 0.95),
        response_time_p99: exact(all, 0.99),
      });
      const rt = res.body.metrics.response_time as { timestamp: string; avg: number; p95: number; p99: number }[];
      expect(rt.length).toBe(buckets);
      for (const point of rt) {
        const t = Date.parse(point.timestamp);
        const mine = within(t, t + span);
        expect(point.p95, `${granularity} ${point.timestamp}`).toBe(exact(mine, 0.95));
        expect(point.p99).toBe(exact(mine, 0.99));
        expect(point.avg).toBeCloseTo(mine.reduce((a, s) => a + s.ms, 0) / mine.length, 0);
      }
      const errors = res.body.metrics.error_rate as { timestamp: string; value: number }[];
      const t = Date.parse(errors[0]!.timestamp);
      const first = within(t, t + span);
      expect(errors[0]!.value).toBeCloseTo(first.filter((s) => s.outcome !== "ok").length / first.length, 5);
    }
  });

  it("gives each version its own series and summary (the canary and its baseline)", async () => {
    const from = T0;
    const to = T0 + 2 * HOUR;
    const res = await metrics(
      { start_time: iso(from), end_time: iso(to), granularity: "1m", environment: "prod" },
      owner,
    );
    expect(res.status).toBe(200);
    expect(res.body.environment).toBe("prod");
    const byVersion = res.body.by_version as {
      version: string;
      version_id: string;
      summary: { total_executions: number; response_time_p95: number };
      metrics: { execution_count: unknown[] };
    }[];
    expect(byVersion.map((v) => v.version)).toEqual(["1.0.0", "1.1.0"]);
    for (const v of byVersion) {
      const mine = within(from, to, "prod").filter((s) => versionIds[s.version] === v.version_id);
      expect(v.summary.total_executions).toBe(mine.length);
      expect(v.summary.response_time_p95).toBe(exact(mine, 0.95));
    }
    expect(byVersion[1]!.metrics.execution_count).toHaveLength(30);
    // The body is JSON text the domain verb wrote (the versions' series by the database): exactly the text
    // JSON.stringify writes for its value, members in the contract's order.
    const url = new URL(`http://localhost/api/agents/${agent.agent.id}/metrics`);
    url.search = new URLSearchParams({ start_time: iso(from), end_time: iso(to), granularity: "1m" }).toString();
    const raw = await GET(new Request(url, { headers: owner.headers }), {
      params: Promise.resolve({ id: agent.agent.id }),
    });
    expect(raw.headers.get("content-type")).toBe("application/json");
    const text = await raw.text();
    expect(text).toBe(JSON.stringify(JSON.parse(text)));
    expect(Object.keys(JSON.parse(text))).toEqual([
      "agent_id",
      "time_range",
      "environment",
      "version",
      "metrics",
      "summary",
      "by_version",
    ]);

    const only = await metrics({ start_time: iso(from), end_time: iso(to), version: "1.1.0" }, owner);
    expect(only.body.summary.total_executions).toBe(90);
    // One version served: the top level is its view, not repeated per version.
    expect(only.body.by_version).toEqual([]);
    const unknown = await metrics({ start_time: iso(from), end_time: iso(to), version: "9.9.9" }, owner);
    expect(unknown.status).toBe(404);
  });

  it("returns only the selected series, resource usage as the mean of the host samples", async () => {
    const res = await metrics(
      { start_time: iso(T0), end_time: iso(T0 + 10 * MIN), granularity: "1m", metrics: "resource_usage,throughput" },
      owner,
    );
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.metrics).sort()).toEqual(["resource_usage", "throughput"]);
    expect(res.body.metrics.resource_usage).toEqual([
      { timestamp: iso(T0 + 5 * MIN), cpu: 0.3, memory: 0.5, disk: null, memory_bytes: 4e7, disk_bytes: 4096 },
    ]);
  });

  it("refuses a missing, reversed, too long or too fine window and unknown parameters with 400", async () => {
    const ok = { start_time: iso(T0), end_time: iso(T0 + HOUR) };
    for (const query of [
      { end_time: ok.end_time },
      { start_time: ok.start_time },
      { start_time: ok.end_time, end_time: ok.start_time },
      { start_time: ok.start_time, end_time: ok.start_time },
      { start_time: iso(T0), end_time: iso(T0 + 91 * 24 * HOUR), granularity: "1d" },
      { start_time: iso(T0), end_time: iso(T0 + 40 * 24 * HOUR), granularity: "1m" },
      { ...ok, granularity: "10m" },
      { ...ok, metrics: "latency" },
      { ...ok, metrics: "throughput," },
      { ...ok, environment: "qa" },
      { ...ok, start_time: "yesterday" },
      { ...ok, page: "2" },
    ]) {
      const res = await metrics(query, owner);
      expect(res.status, JSON.stringify(query)).toBe(400);
    }
    expect((await metrics({ ...ok, granularity: "1d" }, owner)).status).toBe(200);
  });

  it("is for the agent itself and its owner with agent:monitor: 401 without credentials, 403 without the scope, 404 to others", async () => {
    const db = await getDb();
    const q = { start_time: iso(T0), end_time: iso(T0 + HOUR) };
    expect((await metrics(q, {})).status).toBe(401);
    expect((await metrics(q, { key: agent.key })).status).toBe(200);
    const narrow = await createAgent(db, { ownerUserId: owner.user.id, scopes: ["jobs:read"] });
    const self = await call(GET, `/api/agents/${narrow.agent.id}/metrics`, {
      params: { id: narrow.agent.id },
      query: q,
      key: narrow.key,
    });
    expect(self.status).toBe(403);
    const other = await createAgent(db);
    expect((await metrics(q, { key: other.key })).status).toBe(404);
    expect((await metrics(q, await createUser(db))).status).toBe(404);
    const missing = "00000000-0000-4000-8000-000000000000";
    const none = await call(GET, `/api/agents/${missing}/metrics`, { params: { id: missing }, query: q, ...owner });
    expect(none.status).toBe(404);
  });
});
