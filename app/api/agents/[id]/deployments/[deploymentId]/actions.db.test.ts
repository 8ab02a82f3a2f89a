import { describe, expect, it } from "vitest";
import { POST as abortRoute } from "@/app/api/agents/[id]/deployments/[deploymentId]/abort/route";
import { POST as promoteRoute } from "@/app/api/agents/[id]/deployments/[deploymentId]/promote/route";
import { POST as rollbackRoute } from "@/app/api/agents/[id]/deployments/[deploymentId]/rollback/route";
import { getDb } from "@/db/client";
import { setupTestDatabase } from "@/test/db";
import {
  createVersion,
  deploymentRow,
  ownedAgent,
  routeOf,
  settled,
  startDeployment,
  setupTestController,
  invokeDeployed,
  rolloutInObserve,
} from "@/test/fixtures/deployments";
import { createAgent } from "@/test/fixtures/market";
import { waitFor } from "@/test/fixtures/runtime";
import { call, type CallOptions } from "@/test/http";

/* The owner's actions on a deployment: rollback, promote, abort; who may; when they are refused; racing ones. */

setupTestDatabase();
setupTestController();

const ROUTES = { rollback: rollbackRoute, promote: promoteRoute, abort: abortRoute };

function act(verb: keyof typeof ROUTES, agentId: string, deploymentId: string, opts: CallOptions = {}) {
  return call(ROUTES[verb], `/api/agents/${agentId}/deployments/${deploymentId}/${verb}`, {
    params: { id: agentId, deploymentId },
    body: {},
    ...opts,
  });
}

/** An agent with v1 live and a rollout of v2 waiting in its observe phase (a long canary or grace period). */
function rollingOut(strategy: "canary" | "blue_green") {
  return rolloutInObserve(strategy, {
    grace_period: 300,
    canary: {
      traffic_percentage: 20,
      duration: 5,
      success_criteria: { error_rate_threshold: 0.05, latency_threshold: 2000 },
    },
  });
}

describe("promote", () => {
  it("ends a canary now: it goes live at its next step, which is at once; a second promote is 409", async () => {
    const { t, v2, id } = await rollingOut("canary");
    const r = await act("promote", t.agent.id, id, { headers: t.owner.headers });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ deployment_id: id, status: "deploying" });
    const d = await settled(id, "deployed", 10_000);
    expect(d.phases.find((p) => p.name === "observe")?.logs.join("\n")).toMatch(/promoted early by the owner/);
    expect((await routeOf(t.agent.id))?.weights).toEqual([{ version_id: v2.id, weight: 100 }]);
    const again = await act("promote", t.agent.id, id, { key: t.key });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/deployed: only a canary in progress can be promoted/);
  });
});

describe("abort", () => {
  it("stops a rollout in progress and returns its traffic; then it is final (abort and rollback are 409)", async () => {
    const { t, v1, v2, id } = await rollingOut("blue_green");
    const r = await act("abort", t.agent.id, id, { key: t.key, body: { reason: "wrong build" } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      status: "aborted",
      reason: "wrong build",
      current_phase: "rollback",
      traffic: [{ version_id: v1.id, weight: 100 }],
    });
    const d = await deploymentRow(id);
    expect(d.phases.find((p) => p.name === "observe")?.status).toBe("failed");
    expect((await act("abort", t.agent.id, id, { key: t.key })).status).toBe(409);
    expect((await act("rollback", t.agent.id, id, { key: t.key })).status).toBe(409);
    expect((await act("promote", t.agent.id, id, { key: t.key })).status).toBe(409);
    // The aborted version's instances stop; calls go to v1.
    await waitFor(async () => {
      const db = await getDb();
      const rows = await db.query.deploymentInstances.findMany({ where: (i, { eq }) => eq(i.versionId, v2.id) });
      return rows.every((i) => i.status === "stopped") ? true : undefined;
    }, "the aborted version's instances to stop");
    const answer = await invokeDeployed(t, "x");
    expect(answer.headers.get("x-agent-version")).toBe(v1.version);
  });
});

describe("rollback", () => {
  it("returns the live deployment's traffic to the version before it", async () => {
    const t = await ownedAgent();
    const v1 = await createVersion(t.agent.id, "steady");
    const v2 = await createVersion(t.agent.id, "steady");
    const first = await startDeployment({ agentId: t.agent.id, versionId: v1.id, strategy: "initial" });
    expect((await settled(first)).status).toBe("deployed");
    // The first deployment has no version before it.
    expect((await act("rollback", t.agent.id, first, { key: t.key })).status).toBe(409);
    const id = await startDeployment({ agentId: t.agent.id, versionId: v2.id, strategy: "blue_green" });
    expect((await settled(id)).status).toBe("deployed");
    expect((await deploymentRow(first)).status).toBe("superseded");

    const r = await act("rollback", t.agent.id, id, { headers: t.owner.headers });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "rolled_back", traffic: [{ version_id: v1.id, weight: 100 }] });
    expect((await routeOf(t.agent.id))?.liveVersionId).toBe(v1.id);
    // v1's instances were stopped after the grace period: the route check starts one again.
    const answer = await waitFor(
      async () => {
        const res = await invokeDeployed(t, "back");
        return res.status === 200 ? res : undefined;
      },
      "v1 to answer again",
      20_000,
    );
    expect(answer.headers.get("x-agent-version")).toBe(v1.version);
  });

  it("racing rollbacks and aborts of one rollout: exactly one wins, the others are 409", async () => {
    const { t, v1, id } = await rollingOut("canary");
    const results = await Promise.all(
      (["rollback", "abort", "rollback", "abort"] as const).map((verb) => act(verb, t.agent.id, id, { key: t.key })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    const d = await deploymentRow(id);
    expect(["rolled_back", "aborted"]).toContain(d.status);
    expect(d.phases.filter((p) => p.name === "rollback")).toHaveLength(1);
    expect((await routeOf(t.agent.id))?.weights).toEqual([{ version_id: v1.id, weight: 100 }]);
  });
});

describe("who may act", () => {
  it("only the agent or its owner, with agent:update; another agent's deployment is 404", async () => {
    const { t, id } = await rollingOut("canary");
    const db = await getDb();
    const stranger = await createAgent(db);
    expect((await act("abort", t.agent.id, id, { key: stranger.key })).status).toBe(403);
    const narrow = await createAgent(db, { ownerUserId: t.owner.user.id, scopes: ["agent:execute"] });
    const missing = await act("abort", t.agent.id, id, { key: narrow.key });
    expect(missing.status).toBe(403);
    expect(missing.body.details).toMatchObject({ missing_scopes: ["agent:update"] });
    const other = await ownedAgent();
    expect((await act("abort", other.agent.id, id, { key: other.key })).status).toBe(404);
    expect((await act("abort", t.agent.id, "not-a-uuid", { key: t.key })).status).toBe(404);
    expect((await deploymentRow(id)).status).toBe("deploying");
    expect((await act("abort", t.agent.id, id, { key: t.key })).status).toBe(200);
  });
});
