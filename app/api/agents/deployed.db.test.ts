import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { agentRoutes, agents } from "@/db/schema";
import { flushMetrics, recordCall, closeRecorder } from "@/lib/metrics/recorder";
import { createAgent, createUser, type AgentFixture, type UserFixture } from "@/test/fixtures/market";
import { addInstance, addScalingEvent, createVersion, deployVersion } from "@/test/fixtures/deployed";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { GET as getAgent } from "./[id]/route";
import { GET as list } from "./route";

setupTestDatabase();

// Every agent of this file has the capability `fleet`, so list queries see only them.
const CAP = "fleet";
let owner: UserFixture;
let deployed: AgentFixture;
const ids: Record<string, string> = {};

async function agent(name: string, opts: { status?: "active" | "offline"; capabilities?: string[] } = {}) {
  const db = await getDb();
  const [row] = await db
    .insert(agents)
    .values({ name, capabilities: [CAP, ...(opts.capabilities ?? [])], status: opts.status ?? "active" })
    .returning();
  ids[name] = row!.id;
  return row!.id;
}

beforeAll(async () => {
  closeRecorder();
  const db = await getDb();
  owner = await createUser(db);
  deployed = await createAgent(db, { name: "Deployed", ownerUserId: owner.user.id });
  await db
    .update(agents)
    .set({ capabilities: [CAP] })
    .where(eq(agents.id, deployed.agent.id));
  ids.Deployed = deployed.agent.id;
  const id = deployed.agent.id;
  const v1 = await createVersion(db, id, "1.0.0", { tags: ["Vision"] });
  const v2 = await createVersion(db, id, "2.0.0", { tags: ["beta"] });
  await deployVersion(db, id, v1.id, "dev");
  await deployVersion(db, id, v2.id, "prod", {
    config: {
      auto_scaling: { enabled: true, min_instances: 2, max_instances: 5, target_utilization: 0.7 },
      security: {
        vpc_config: { subnet_ids: ["subnet-1"], security_group_ids: ["sg-1", "sg-2"] },
        iam_role_arn: "arn:aws:iam::123456789012:role/agent",
      },
    },
  });
  await addInstance(db, id, v2.id, "prod", "healthy");
  await addInstance(db, id, v2.id, "prod", "healthy");
  await addInstance(db, id, v2.id, "prod", "stopped");
  await addInstance(db, id, v1.id, "dev", "unhealthy");
  for (let i = 0; i < 22; i++)
    await addScalingEvent(db, id, v2.id, "prod", i % 5, (i % 5) + 1, new Date(Date.UTC(2026, 0, 1, 0, i)));
  // Last hour: 4 calls in prod (one failing), 1 in dev.
  const at = new Date(Date.now() - 3_600_000);
  for (const [environment, ms, outcome] of [
    ["prod", 10, "ok"],
    ["prod", 20, "ok"],
    ["prod", 30, "ok"],
    ["prod", 100, "error"],
    ["dev", 50, "ok"],
  ] as const) {
    const versionId = environment === "prod" ? v2.id : v1.id;
    recordCall({ agentId: id, environment, versionId, latencyMs: ms, outcome, bytesIn: 1, bytesOut: 1, at });
  }
  await flushMetrics();

  // A staging agent whose latest staging deployment failed, after a good one.
  const failing = await agent("failing");
  const f1 = await createVersion(db, failing, "0.1.0");
  const f2 = await createVersion(db, failing, "0.2.0");
  await deployVersion(db, failing, f1.id, "staging");
  await deployVersion(db, failing, f2.id, "staging", { status: "failed" });
  // Never deployed; one offline, one tagged by capability.
  await agent("alpha", { capabilities: ["vision"] });
  await agent("Charlie", { status: "offline" });
  await agent("bravo");
  // The route changed after the agent: last_updated follows the route.
  await db
    .update(agentRoutes)
    .set({ updatedAt: new Date(Date.now() + 60_000) })
    .where(eq(agentRoutes.agentId, failing));
});

type Item = { id: string; name: string } & Record<string, any>;
async function names(query: Record<string, string | number | undefined>, tags: string[] = []) {
  const url = `/api/agents?${tags.map((t) => `tag=${t}`).join("&")}`;
  const res = await call(list, url, { query: { capability: CAP, limit: 50, ...query } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.data as Item[]).map((a) => a.name);
}

describe("GET /api/agents: deployed agents", () => {
  it("adds version, environment, endpoint, health and the last 24 hours to deployed agents, nulls to the others", async () => {
    const res = await call(list, "/api/agents", { query: { capability: CAP, sort: "name", order: "asc" } });
    expect(res.status).toBe(200);
    const byName = Object.fromEntries((res.body.data as Item[]).map((a) => [a.name, a]));
    expect(byName.Deployed).toMatchObject({
      agent_id: deployed.agent.id,
      version: "2.0.0",
      environment: "prod",
      api_endpoint: `http://localhost/api/agents/${deployed.agent.id}/invocations?environment=prod`,
      health_status: "healthy",
      performance_metrics: { avg_response_time: 40, success_rate: 0.75, total_requests: 4 },
    });
    expect(byName.bravo).toMatchObject({
      agent_id: ids.bravo,
      version: null,
      environment: null,
      api_endpoint: null,
      health_status: null,
      performance_metrics: null,
      last_updated: byName.bravo!.updated_at,
    });
    // The failing agent's route is live on 0.1.0; its route changed after the agent did.
    expect(byName.failing).toMatchObject({ version: "0.1.0", environment: "staging", health_status: "unknown" });
    expect(Date.parse(byName.failing!.last_updated)).toBeGreaterThan(Date.parse(byName.failing!.updated_at));

    const dev = await call(list, "/api/agents", { query: { capability: CAP, environment: "dev" } });
    expect(dev.body.data.map((a: Item) => a.name)).toEqual(["Deployed"]);
    expect(dev.body.data[0]).toMatchObject({
      version: "1.0.0",
      environment: "dev",
      health_status: "unhealthy",
      performance_metrics: { avg_response_time: 50, success_rate: 1, total_requests: 1 },
    });
  });

  it("filters by the deployed statuses (inactive, failed), environment and tags (capabilities or live version tags)", async () => {
    expect(await names({ status: "inactive" })).toEqual(["Charlie"]);
    expect(await names({ status: "failed" })).toEqual(["failing"]);
    expect(await names({ status: "failed", environment: "prod" })).toEqual([]);
    expect(await names({ environment: "staging" })).toEqual(["failing"]);
    expect(await names({ sort: "name", order: "asc" }, ["vision"])).toEqual(["alpha", "Deployed"]);
    // Tags are those of the live version in the environment filtered on: prod runs 2.0.0 (beta), dev 1.0.0 (Vision).
    expect(await names({ environment: "prod" }, ["vision"])).toEqual([]);
    expect(await names({ environment: "prod" }, ["beta"])).toEqual(["Deployed"]);
    expect(await names({}, ["vision", "beta"])).toEqual(["Deployed"]);
    expect(await names({}, ["nothing"])).toEqual([]);
  });

  it("sorts by name, created_at and last_updated both ways, by cursor or by page, each agent once", async () => {
    const all = ["alpha", "bravo", "Charlie", "Deployed", "failing"];
    for (const order of ["asc", "desc"] as const) {
      const expected = order === "asc" ? all : [...all].reverse();
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await call(list, "/api/agents", {
          query: { capability: CAP, sort: "name", order, limit: 2, cursor },
        });
        expect(res.status).toBe(200);
        seen.push(...res.body.data.map((a: Item) => a.name));
        cursor = res.body.next_cursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(expected);

      const paged: string[] = [];
      for (let page = 1; page <= 3; page++) {
        const res = await call(list, "/api/agents", {
          query: { capability: CAP, sort: "name", order, limit: 2, page },
        });
        expect(res.body.pagination).toEqual({ page, limit: 2, total: 5, total_pages: 3 });
        expect(res.body.next_cursor).toBeNull();
        paged.push(...res.body.data.map((a: Item) => a.name));
      }
      expect(paged).toEqual(expected);
    }
    const created = ["Deployed", "failing", "alpha", "Charlie", "bravo"];
    expect(await names({ sort: "created_at", order: "asc" })).toEqual(created);
    expect(await names({ sort: "created_at" })).toEqual([...created].reverse());
    expect((await names({ sort: "last_updated" }))[0]).toBe("failing");
  });

  it("refuses page with cursor, unknown parameters and values with 400", async () => {
    const first = await call(list, "/api/agents", { query: { capability: CAP, sort: "name", limit: 2 } });
    for (const query of [
      { page: 2, cursor: first.body.next_cursor },
      { page: 0 },
      { order: "up" },
      { sort: "popularity" },
      { status: "sleeping" },
      { environment: "qa" },
      { region: "eu" },
      { sort: "created_at", cursor: first.body.next_cursor },
    ]) {
      const res = await call(list, "/api/agents", { query: { capability: CAP, ...query } });
      expect(res.status, JSON.stringify(query)).toBe(400);
    }
  });
});

describe("GET /api/agents/{id}: deployment details", () => {
  const detail = (id: string, who: { key?: string; headers?: Record<string, string> } = {}) =>
    call(getAgent, `/api/agents/${id}`, { params: { id }, ...who });

  it("shows deployment, performance and scaling to everyone and security to the agent and its owner", async () => {
    const id = deployed.agent.id;
    const res = await detail(id, owner);
    expect(res.status).toBe(200);
    expect(res.body.metadata).toMatchObject({
      name: "Deployed",
      version: "2.0.0",
      tags: ["beta"],
      created_by: owner.user.id,
    });
    expect(res.body.deployment).toEqual({
      environment: "prod",
      host: "local",
      region: "local",
      api_endpoint: `http://localhost/api/agents/${id}/invocations?environment=prod`,
      status: "deployed",
      configuration: { memory_limit: 256, timeout: 20, concurrent_executions: 8 },
    });
    expect(res.body.performance).toMatchObject({
      uptime: 100,
      total_requests: 4,
      avg_response_time: 40,
      error_rate: 0.25,
    });
    expect(res.body.scaling).toMatchObject({ current_instances: 2, min_instances: 2, max_instances: 5 });
    const events = res.body.scaling.scaling_events as {
      timestamp: string;
      from_instances: number;
      to_instances: number;
    }[];
    expect(events).toHaveLength(20);
    expect(events[0]).toEqual({
      timestamp: new Date(Date.UTC(2026, 0, 1, 0, 21)).toISOString(),
      action: "scale_up",
      reason: "utilization test 1->2",
      from_instances: 1,
      to_instances: 2,
    });
    expect(events.map((e) => Date.parse(e.timestamp))).toEqual(
      events.map((e) => Date.parse(e.timestamp)).sort((a, b) => b - a),
    );
    expect(res.body.security).toEqual({
      iam_role: "arn:aws:iam::123456789012:role/agent",
      vpc_id: null,
      subnets: ["subnet-1"],
      security_groups: ["sg-1", "sg-2"],
      encryption_status: "encrypted",
    });
    expect((await detail(id, { key: deployed.key })).body.security).not.toBeNull();

    const anonymous = await detail(id);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.security).toBeNull();
    expect(anonymous.body.deployment.environment).toBe("prod");
    const stranger = await createAgent(await getDb());
    expect((await detail(id, { key: stranger.key })).body.security).toBeNull();
    expect(JSON.stringify(res.body)).not.toMatch(/whsec_|agmkt_sk_/);
  });

  it("gives null deployment fields for an agent never deployed", async () => {
    const res = await detail(ids.bravo!);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: ids.bravo,
      agent_id: ids.bravo,
      version: null,
      deployment: null,
      performance: null,
      scaling: null,
      security: null,
      metadata: { name: "bravo", version: null, tags: [CAP] },
    });
  });
});
