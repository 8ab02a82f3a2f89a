import net from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb, setDatabase } from "@/db/client";
import { flushMetrics, recordCall, closeRecorder } from "@/lib/metrics/recorder";
import { systemHealth } from "@/lib/metrics/system-health";
import { sandboxSupport } from "@/lib/runtime/sandbox";
import { createAgent, createUser, type UserFixture } from "@/test/fixtures/market";
import { addInstance, createVersion, deployVersion } from "@/test/fixtures/deployed";
import { setTestEnv } from "@/test/fixtures/runtime";
import { openTestDatabase, setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { GET } from "./route";

const holder = setupTestDatabase();
let person: UserFixture;
let listener: net.Server;
let openPort: number;

/** A port nothing listens on: one the OS handed out and that was closed again. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  person = await createUser(await getDb());
  listener = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  openPort = (listener.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  setTestEnv({ AWS_ENDPOINT_URL_BEDROCK_AGENTCORE: undefined, DEPLOY_LOCAL_MAX_INSTANCES: undefined });
});
afterEach(() => closeRecorder());

const health = () => call(GET, "/api/system/health", { headers: person.headers });
// Whatever else is true, a machine without bubblewrap makes the platform degraded: that is what it reports.
const sandboxOk = () => sandboxSupport().available;

describe("GET /api/system/health", () => {
  it("needs credentials and the system:health scope", async () => {
    expect((await call(GET, "/api/system/health")).status).toBe(401);
    const narrow = await createAgent(await getDb(), { scopes: ["jobs:read"] });
    expect((await call(GET, "/api/system/health", { key: narrow.key })).status).toBe(403);
    const agent = await createAgent(await getDb(), { scopes: ["system:health"] });
    expect((await call(GET, "/api/system/health", { key: agent.key })).status).toBe(200);
  });

  it("probes each component: healthy with a reachable AgentCore endpoint, degraded with a closed port", async () => {
    setTestEnv({ AWS_ENDPOINT_URL_BEDROCK_AGENTCORE: `http://127.0.0.1:${openPort}` });
    const up = await health();
    expect(up.status).toBe(200);
    expect(up.body.components.database).toMatchObject({ status: "healthy", driver: holder.current.database.driver });
    expect(up.body.components.database.query_performance).toBeGreaterThanOrEqual(0);
    expect(up.body.components.database.connection_count).toBeGreaterThanOrEqual(1);
    expect(up.body.components.agentcore_service.status).toBe("healthy");
    expect(up.body.components.agentcore_service.response_time).toBeGreaterThanOrEqual(0);
    // Test databases carry pg-boss's schema, as every migrated database the controller has started on.
    expect(up.body.components.queue.status).toBe("healthy");
    expect(up.body.components.sandbox.available).toBe(sandboxOk());
    expect(up.body.overall_status).toBe(sandboxOk() ? "healthy" : "degraded");

    setTestEnv({ AWS_ENDPOINT_URL_BEDROCK_AGENTCORE: `http://127.0.0.1:${await closedPort()}` });
    const down = await health();
    expect(down.status).toBe(200);
    expect(down.body.components.agentcore_service).toMatchObject({ status: "unhealthy", response_time: null });
    expect(down.body.components.agentcore_service.message).toMatch(/unreachable \(ECONNREFUSED\)/);
    expect(down.body.overall_status).toBe("degraded");

    setTestEnv({ AWS_ENDPOINT_URL_BEDROCK_AGENTCORE: undefined });
    expect((await health()).body.components.agentcore_service.status).toBe("not_configured");
  });

  it("reports the metrics recorder degraded after a failed write, and the pg-boss queue when its schema exists", async () => {
    const db = await getDb();
    const agent = await createAgent(db);
    // A version that does not exist: the flush's insert fails on the foreign key and the recorder keeps the bucket.
    recordCall({
      agentId: agent.agent.id,
      environment: "prod",
      versionId: "00000000-0000-4000-8000-000000000000",
      latencyMs: 5,
      outcome: "ok",
      bytesIn: 1,
      bytesOut: 1,
    });
    await flushMetrics();
    const res = await health();
    expect(res.body.components.monitoring).toMatchObject({ status: "degraded", pending_buckets: 1 });
    expect(res.body.components.monitoring.last_error).toBeTruthy();
    expect(res.body.overall_status).toBe("degraded");
    closeRecorder();

    const one = async <T>(q: ReturnType<typeof sql>) => ((await db.execute(q)) as unknown as { rows: T[] }).rows[0]!;
    const queued = await one<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM pgboss.job WHERE state IN ('created', 'retry')`,
    );
    const version = await one<{ v: string }>(sql`SELECT version::text AS v FROM pgboss.version`);
    const withQueue = await health();
    expect(withQueue.body.components.queue).toEqual({
      status: "healthy",
      schema_version: version.v,
      queued_jobs: queued.n,
    });
    expect(withQueue.body.components.monitoring.status).toBe("healthy");
  });

  it("counts capacity: agents, live ones, calls of the last minute, instances against the local limit", async () => {
    setTestEnv({ DEPLOY_LOCAL_MAX_INSTANCES: "7" });
    const db = await getDb();
    const before = (await health()).body.capacity;
    const agent = await createAgent(db);
    const v = await createVersion(db, agent.agent.id, "1.0.0");
    await deployVersion(db, agent.agent.id, v.id, "prod");
    await addInstance(db, agent.agent.id, v.id, "prod", "healthy");
    await addInstance(db, agent.agent.id, v.id, "prod", "starting");
    await addInstance(db, agent.agent.id, v.id, "prod", "stopped");
    const lastMinute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
    for (let i = 0; i < 3; i++) {
      recordCall({
        agentId: agent.agent.id,
        environment: "prod",
        versionId: v.id,
        latencyMs: 5,
        outcome: "ok",
        bytesIn: 1,
        bytesOut: 1,
        at: lastMinute,
      });
    }
    await flushMetrics();
    const res = await health();
    const c = res.body.capacity;
    expect(c.total_agents).toBe(before.total_agents + 1);
    expect(c.active_agents).toBe(before.active_agents + 1);
    // The minute may have turned between the write and the read: then the calls are two minutes old.
    if (Math.floor(Date.now() / 60_000) * 60_000 - 60_000 === lastMinute.getTime()) {
      expect(c.total_executions_per_minute).toBe(3);
    }
    expect(res.body.components.monitoring.log_ingestion_rate).toBeCloseTo(3 / 300, 5);
    expect(c.instances).toEqual({ running: 2, local_running: 2, local_limit: 7 });
    expect(c.sandboxes_available).toBe(sandboxOk() ? 5 : 0);
    expect(c.database_pool.max).toBeGreaterThanOrEqual(1);
    expect(c.resource_utilization.cpu).toBeGreaterThanOrEqual(0);
    expect(c.resource_utilization.memory).toBeGreaterThan(0);
  });

  it("is unhealthy when the database does not answer", async () => {
    const closed = (await openTestDatabase()).database;
    await closed.close();
    setDatabase(closed);
    try {
      const h = await systemHealth();
      expect(h.overall_status).toBe("unhealthy");
      expect(h.components.database).toMatchObject({ status: "unhealthy", query_performance: null });
      expect(h.capacity.total_agents).toBeNull();
    } finally {
      setDatabase(holder.current.database);
    }
  });
});
