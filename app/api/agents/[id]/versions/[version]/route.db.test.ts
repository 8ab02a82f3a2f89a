import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { agentRoutes, deployments, events } from "@/db/schema";
import { POST as deployRoute } from "@/app/api/agents/deploy/route";
import { DEFAULT_DEPLOYMENT_CONFIG as defaults } from "@/lib/deploy/types";
import { setupTestDatabase } from "@/test/db";
import { AGENT_SOURCE, b64, deployRequest, markLive } from "@/test/fixtures/deploy";
import { createAgent, createUser } from "@/test/fixtures/market";
import { call, type CallOptions } from "@/test/http";
import { GET as listVersionsRoute } from "../route";
import { GET as getVersionRoute, PUT as putVersionRoute } from "./route";

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

const code = (marker: string) => ({ source_code: b64(`${AGENT_SOURCE}// ${marker}\n`), entrypoint: "index.mjs" });

function put(agentId: string, version: string, body: unknown, opts: CallOptions) {
  return call(putVersionRoute, `/api/agents/${agentId}/versions/${version}`, {
    ...opts,
    method: "PUT",
    params: { id: agentId, version },
    body,
  });
}

/** An owned agent with 1.0.0 live in `environment`. */
async function deployedAgent(environment = "prod") {
  const owner = await createUser(db());
  const a = await createAgent(db(), { ownerUserId: owner.user.id });
  const res = await call(deployRoute, "/api/agents/deploy", {
    key: a.key,
    body: deployRequest(a.agent, { code: code("1.0.0"), config: { environment } }),
  });
  expect(res.status).toBe(202);
  await markLive(db(), res.body.deployment_id);
  return { ...a, owner, first: res.body };
}

describe("PUT /api/agents/{id}/versions/{version}", () => {
  it("rolls a new version out with a canary, from the environment's settings", async () => {
    const a = await deployedAgent();
    const res = await put(
      a.agent.id,
      "1.1.0",
      {
        deployment_strategy: "canary",
        canary_config: { traffic_percentage: 20, duration: 5, success_criteria: { error_rate_threshold: 0.02 } },
        rollback_config: { rollback_triggers: { health_check_failures: 2 } },
        agent_code: code("1.1.0"),
      },
      { headers: a.owner.headers },
    );
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      agent_id: a.agent.id,
      status: "deploying",
      strategy: "canary",
      environment: "prod",
      host: "local",
      version: "1.1.0",
      previous_version: "1.0.0",
      current_phase: "validate",
      progress: 0,
      traffic: [{ version: "1.0.0", weight: 100 }],
    });
    expect(res.body.health.overall_status).toBe("degraded");
    const [dep] = await db().select().from(deployments).where(eq(deployments.id, res.body.deployment_id));
    expect(dep!.config).toMatchObject({
      strategy: "canary",
      canary: {
        ...defaults.canary,
        traffic_percentage: 20,
        duration: 5,
        success_criteria: { ...defaults.canary.success_criteria, error_rate_threshold: 0.02 },
      },
      rollback: {
        ...defaults.rollback,
        rollback_triggers: { ...defaults.rollback.rollback_triggers, health_check_failures: 2 },
      },
      health_check: { interval: 30 },
    });
    const [route] = await db().select().from(agentRoutes).where(eq(agentRoutes.agentId, a.agent.id));
    expect(route!.activeDeploymentId).toBe(res.body.deployment_id);
    expect(route!.config).toMatchObject({ strategy: "canary" });
    const evs = await db().select().from(events).where(eq(events.subjectId, res.body.deployment_id));
    expect(evs.map((e) => e.type)).toEqual(["deployment_started"]);

    // One rollout at a time.
    const again = await put(a.agent.id, "1.2.0", { agent_code: code("1.2.0") }, { key: a.key });
    expect(again.status).toBe(409);
    expect(again.body.details.deployment_id).toBe(res.body.deployment_id);
  });

  it("is immutable: other code under a version is 409; an existing version rolls out without its code", async () => {
    const a = await deployedAgent();
    expect((await put(a.agent.id, "1.0.0", { agent_code: code("other") }, { key: a.key })).status).toBe(409);
    // The live version itself: nothing to roll out.
    const live = await put(a.agent.id, "1.0.0", {}, { key: a.key });
    expect(live.status).toBe(409);
    expect(live.body.message).toContain("already live");
    const unknown = await put(a.agent.id, "9.9.9", {}, { key: a.key });
    expect(unknown.status).toBe(422);

    // 2.0.0 is published on staging, then rolled out to prod without sending its code again.
    const staging = await call(deployRoute, "/api/agents/deploy", {
      key: a.key,
      body: deployRequest(a.agent, { version: "2.0.0", code: code("2.0.0"), config: { environment: "staging" } }),
    });
    expect(staging.status).toBe(202);
    const res = await put(
      a.agent.id,
      "2.0.0",
      { deployment_strategy: "blue_green", deployment_config: { environment: "prod" } },
      { key: a.key },
    );
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ version: "2.0.0", previous_version: "1.0.0", strategy: "blue_green" });
  });

  it("updates only deployed environments, on their host, with the agent:update scope", async () => {
    const a = await deployedAgent("dev");
    // The only environment is the default.
    const ok = await put(a.agent.id, "1.0.1", { agent_code: code("1.0.1") }, { key: a.key });
    expect(ok.status).toBe(202);
    expect(ok.body.environment).toBe("dev");
    const notThere = await put(
      a.agent.id,
      "1.0.2",
      { agent_code: code("1.0.2"), deployment_config: { environment: "staging" } },
      { key: a.key },
    );
    expect(notThere.status).toBe(409);
    expect(notThere.body.message).toContain("POST /api/agents/deploy");
    const otherHost = await put(
      a.agent.id,
      "1.0.2",
      { agent_code: code("1.0.2"), deployment_config: { environment: "dev", host: "fargate" } },
      { key: a.key },
    );
    expect(otherHost.status).toBe(422);
    expect((await put(a.agent.id, "not-semver", {}, { key: a.key })).status).toBe(400);
    expect((await put(a.agent.id, "1.0.2", { deployment_strategy: "initial" }, { key: a.key })).status).toBe(400);

    const deployOnly = await createAgent(db(), { ownerUserId: a.owner.user.id, scopes: ["agent:deploy"] });
    const denied = await put(deployOnly.agent.id, "1.0.0", {}, { key: deployOnly.key });
    expect(denied.status).toBe(403);
    expect(denied.body.details.missing_scopes).toEqual(["agent:update"]);
    const stranger = await createUser(db());
    expect((await put(a.agent.id, "1.0.3", { agent_code: code("x") }, { headers: stranger.headers })).status).toBe(403);
  });
});

describe("GET /api/agents/{id}/versions and /versions/{version}", () => {
  it("lists versions newest first with paging, and shows one", async () => {
    const a = await deployedAgent("dev");
    for (const [v, env] of [
      ["1.1.0", "staging"],
      ["1.2.0", "prod"],
    ] as const) {
      const res = await call(deployRoute, "/api/agents/deploy", {
        key: a.key,
        body: deployRequest(a.agent, { version: v, code: code(v), config: { environment: env } }),
      });
      expect(res.status).toBe(202);
    }
    const list = (query: Record<string, string | number>) =>
      call(listVersionsRoute, `/api/agents/${a.agent.id}/versions`, { key: a.key, params: { id: a.agent.id }, query });
    const first = await list({ limit: 2 });
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(3);
    expect(first.body.data.map((v: { version: string }) => v.version)).toEqual(["1.2.0", "1.1.0"]);
    const second = await list({ limit: 2, cursor: first.body.next_cursor });
    expect(second.body.data.map((v: { version: string }) => v.version)).toEqual(["1.0.0"]);
    expect(second.body.next_cursor).toBeNull();
    expect((await list({ limit: 2, cursor: "garbage" })).status).toBe(400);
    expect((await list({ sort: "name" })).status).toBe(400);

    const one = await call(getVersionRoute, `/api/agents/${a.agent.id}/versions/1.0.0`, {
      headers: a.owner.headers,
      params: { id: a.agent.id, version: "1.0.0" },
    });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      version: "1.0.0",
      source: "bundle",
      bundle: { format: "file" },
      entrypoint: "index.mjs",
      runtime: "node",
      configuration: { memory_limit: 128, timeout: 30, concurrent_executions: 10 },
    });
    expect(one.body.code_digest).toMatch(/^[0-9a-f]{64}$/);
    const missing = await call(getVersionRoute, `/api/agents/${a.agent.id}/versions/4.0.0`, {
      key: a.key,
      params: { id: a.agent.id, version: "4.0.0" },
    });
    expect(missing.status).toBe(404);
    const other = await createAgent(db());
    expect((await call(listVersionsRoute, "/x", { key: other.key, params: { id: a.agent.id } })).status).toBe(403);
  });
});
