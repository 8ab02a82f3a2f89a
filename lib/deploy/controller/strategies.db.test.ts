import fs from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as deployRoute } from "@/app/api/agents/deploy/route";
import { POST as invokeRoute } from "@/app/api/agents/invoke/route";
import { getDb } from "@/db/client";
import { deploymentInstances, events, messages } from "@/db/schema";
import { setupTestDatabase } from "@/test/db";
import {
  createVersion,
  DEPLOY_AGENTS_DIR,
  ownedAgent,
  routeOf,
  settled,
  startDeployment,
  setupTestController,
  invokeDeployed,
  callStream,
} from "@/test/fixtures/deployments";
import { b64, deployRequest } from "@/test/fixtures/deploy";
import { waitFor } from "@/test/fixtures/runtime";
import { call } from "@/test/http";

/*
 * Every strategy end to end on the local host: real bubblewrap sandboxes of the test agents, the real job queue,
 * calls through the invocation endpoint and its router.
 */

setupTestDatabase();
const controller = setupTestController();

async function live(t: { agent: { id: string } }, version: { id: string }) {
  const id = await startDeployment({ agentId: t.agent.id, versionId: version.id, strategy: "initial" });
  expect((await settled(id)).status).toBe("deployed");
}

async function instancesOf(agentId: string) {
  const db = await getDb();
  return db
    .select()
    .from(deploymentInstances)
    .where(and(eq(deploymentInstances.agentId, agentId)));
}

describe("initial deployment", () => {
  it("validates, provisions a sandboxed instance, checks its health and sends it all traffic", async () => {
    const t = await ownedAgent();
    const v1 = await createVersion(t.agent.id, "steady");
    const id = await startDeployment({ agentId: t.agent.id, versionId: v1.id, strategy: "initial" });
    const d = await settled(id);
    expect(d.status).toBe("deployed");
    expect(d.progress).toBe(100);
    expect(d.phases.map((p) => [p.name, p.status])).toEqual([
      ["validate", "completed"],
      ["package", "completed"],
      ["provision", "completed"],
      ["health_check", "completed"],
      ["shift_traffic", "completed"],
      ["observe", "completed"],
      ["complete", "completed"],
    ]);
    expect(d.phases.find((p) => p.name === "health_check")?.logs.join("\n")).toMatch(
      /1 instance\(s\) healthy on \/health/,
    );
    const route = await routeOf(t.agent.id);
    expect(route?.weights).toEqual([{ version_id: v1.id, weight: 100 }]);
    expect(route?.liveVersionId).toBe(v1.id);
    const live = (await instancesOf(t.agent.id)).filter((i) => i.status === "healthy");
    expect(live).toHaveLength(1);
    expect(live[0]?.node).toBe(controller.current.instances.node);

    const r = await invokeDeployed(t, "hello");
    expect(r.status).toBe(200);
    expect(r.body.response).toBe(`steady ${v1.version}: hello`);
    expect(r.headers.get("x-agent-version")).toBe(v1.version);

    // The invoke API goes through the same router for a deployed agent.
    const invoked = await call(invokeRoute, "/api/agents/invoke", {
      key: t.strangerKey,
      body: { agentId: t.agent.id, prompt: "hi" },
    });
    expect(invoked.status).toBe(200);
    expect(invoked.body.response).toBe(`steady ${v1.version}: hi`);
    // An environment without a deployment is a 404; an agent without any deployment too.
    const staging = await invokeDeployed(t, "x", { query: { environment: "staging" } });
    expect(staging.status).toBe(404);
    const bare = await ownedAgent();
    expect((await invokeDeployed(bare, "x")).status).toBe(404);
  });
});

describe("an uploaded bundle", () => {
  it("deployed through POST /api/agents/deploy runs in the sandbox and answers through the router", async () => {
    const t = await ownedAgent();
    // A single-file bundle: the test agent's program, as the owner would upload it.
    const source = `${fs.readFileSync(path.join(DEPLOY_AGENTS_DIR, "lib/agent.mjs"), "utf8").replace("export function serve", "function serve")}\nserve("steady");\n`;
    const res = await call(deployRoute, "/api/agents/deploy", {
      headers: t.owner.headers,
      body: deployRequest(t.agent, {
        version: "2.0.0",
        code: { source_code: b64(source), entrypoint: "server.mjs" },
        config: { environment: "prod" },
      }),
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: "deploying" });
    const d = await settled(res.body.deployment_id);
    expect(d.status).toBe("deployed");
    const r = await invokeDeployed(t, "from a bundle");
    expect(r.status).toBe(200);
    expect(r.body.response).toBe("steady 2.0.0: from a bundle");
  });
});

describe("blue/green", () => {
  it("starts the new version beside the old, switches all traffic at once with no failed call, then stops the old", async () => {
    const t = await ownedAgent();
    const v1 = await createVersion(t.agent.id, "steady");
    const v2 = await createVersion(t.agent.id, "steady");
    await live(t, v1);
    const stream = callStream(t);
    await waitFor(() => (stream.seen.length >= 10 ? true : undefined), "calls before the switch");
    const id = await startDeployment({ agentId: t.agent.id, versionId: v2.id, strategy: "blue_green" });
    const d = await settled(id);
    expect(d.status).toBe("deployed");
    await waitFor(
      () => (stream.seen.filter((c) => c.at > d.completedAt!.getTime()).length >= 10 ? true : undefined),
      "calls after the switch",
    );
    const seen = await stream.stop();
    expect(seen.filter((c) => c.status !== 200)).toEqual([]);
    expect(seen.some((c) => c.version === v1.version)).toBe(true);
    expect(seen.some((c) => c.version === v2.version)).toBe(true);
    // After the switch nothing goes to the old version.
    const switched = Date.parse(d.phases.find((p) => p.name === "shift_traffic")!.completed_at!);
    expect(seen.filter((c) => c.at > switched + 1000 && c.version !== v2.version)).toEqual([]);
    expect(d.phases.find((p) => p.name === "observe")?.logs.join("\n")).toMatch(/grace period over/);
    expect((await routeOf(t.agent.id))?.liveVersionId).toBe(v2.id);
    await waitFor(
      async () =>
        (await instancesOf(t.agent.id)).some((i) => i.versionId === v1.id && i.status !== "stopped") ? undefined : true,
      "the old version's instances to stop",
    );
  });
});

describe("canary", () => {
  it("rolls back a failing canary within one evaluation interval; every later call goes to the old version", async () => {
    const t = await ownedAgent();
    const v1 = await createVersion(t.agent.id, "steady");
    const v2 = await createVersion(t.agent.id, "failing");
    await live(t, v1);
    const stream = callStream(t);
    const interval = 2;
    const id = await startDeployment({
      agentId: t.agent.id,
      versionId: v2.id,
      strategy: "canary",
      config: {
        evaluation_interval: interval,
        canary: {
          traffic_percentage: 50,
          duration: 5,
          success_criteria: { error_rate_threshold: 0.05, latency_threshold: 2000 },
        },
      },
    });
    const d = await settled(id);
    const during = [...stream.seen];
    expect(d.status).toBe("rolled_back");
    expect(d.reason).toMatch(/^Rolled back automatically: error rate \d+\.\d% over \d+ calls exceeded 10\.0%/);
    // The first failed call is answered within one evaluation interval (plus the step's own time).
    const firstFailure = during.find((c) => c.status !== 200)!.at;
    expect(d.completedAt!.getTime() - firstFailure).toBeLessThan(interval * 1000 + 1500);
    expect((await routeOf(t.agent.id))?.weights).toEqual([{ version_id: v1.id, weight: 100 }]);
    // Later: sent once the rollback committed (seen here) and its notification reached the router (a moment).
    const after = Date.now() + 200;
    await waitFor(() => (stream.seen.filter((c) => c.at > after).length >= 20 ? true : undefined), "calls after");
    const seen = await stream.stop();
    expect(seen.filter((c) => c.at > after && (c.status !== 200 || c.version !== v1.version))).toEqual([]);
    expect(d.phases.at(-1)).toMatchObject({ name: "rollback", status: "completed" });

    // The owner is told: an inbox message and an event, with the reason.
    const db = await getDb();
    const [message] = await db.select().from(messages).where(eq(messages.recipientAgentId, t.agent.id));
    expect(message?.subject).toBe(`Deployment of ${v2.version} to prod was rolled back`);
    expect(message?.body).toContain(d.reason);
    const [event] = await db
      .select()
      .from(events)
      .where(and(eq(events.type, "deployment_rolled_back"), eq(events.subjectId, id)));
    expect(event?.data).toMatchObject({ deployment_id: id, status: "rolled_back", reason: d.reason });
    expect(event?.isPublic).toBe(false);
  });

  it("promotes a healthy canary once its duration passed with its success criteria held", async () => {
    const t = await ownedAgent();
    const v1 = await createVersion(t.agent.id, "steady");
    const v2 = await createVersion(t.agent.id, "steady");
    await live(t, v1);
    const stream = callStream(t);
    const id = await startDeployment({
      agentId: t.agent.id,
      versionId: v2.id,
      strategy: "canary",
      config: {
        canary: {
          traffic_percentage: 30,
          duration: 0.05,
          success_criteria: { error_rate_threshold: 0.05, latency_threshold: 2000 },
        },
      },
    });
    const d = await settled(id);
    expect(d.status).toBe("deployed");
    const canaryStart = Date.parse(d.phases.find((p) => p.name === "shift_traffic")!.completed_at!);
    const promoted = Date.parse(d.phases.find((p) => p.name === "observe")!.completed_at!);
    expect(promoted - canaryStart).toBeGreaterThanOrEqual(3000);
    const seen = await stream.stop();
    const duringCanary = seen.filter((c) => c.at > canaryStart && c.at < promoted);
    expect(duringCanary.some((c) => c.version === v2.version)).toBe(true);
    expect(duringCanary.some((c) => c.version === v1.version)).toBe(true);
    expect(seen.filter((c) => c.status !== 200)).toEqual([]);
    expect(d.phases.find((p) => p.name === "observe")?.logs.join("\n")).toMatch(/held its success criteria/);
    expect((await routeOf(t.agent.id))?.weights).toEqual([{ version_id: v2.id, weight: 100 }]);
  });
});

describe("rolling", () => {
  it("moves traffic and instances over in steps, judging each step, with no failed call", async () => {
    const t = await ownedAgent();
    const v1 = await createVersion(t.agent.id, "steady");
    const v2 = await createVersion(t.agent.id, "steady");
    const scaling = { enabled: true, min_instances: 2, max_instances: 3, target_utilization: 0.7 };
    const first = await startDeployment({
      agentId: t.agent.id,
      versionId: v1.id,
      strategy: "initial",
      config: { auto_scaling: scaling },
    });
    expect((await settled(first)).status).toBe("deployed");
    expect((await instancesOf(t.agent.id)).filter((i) => i.status === "healthy")).toHaveLength(2);
    const stream = callStream(t);
    const id = await startDeployment({
      agentId: t.agent.id,
      versionId: v2.id,
      strategy: "rolling",
      config: { auto_scaling: scaling, rolling_steps: 2 },
    });
    // Halfway: half the traffic and one instance each.
    const half = [
      { version_id: v2.id, weight: 50 },
      { version_id: v1.id, weight: 50 },
    ];
    await waitFor(
      async () => (isDeepStrictEqual((await routeOf(t.agent.id))?.weights, half) ? true : undefined),
      "the halfway split",
    );
    const d = await settled(id);
    expect(d.status).toBe("deployed");
    const logs = d.phases.find((p) => p.name === "shift_traffic")!.logs.join("\n");
    expect(logs).toMatch(/step 1\/2: 50% of traffic and 1 instance\(s\) on /);
    expect(logs).toMatch(/step 2\/2: 100% of traffic and 2 instance\(s\) on /);
    expect(d.phases.find((p) => p.name === "shift_traffic")!.logs.filter((l) => l.includes("evaluated"))).toHaveLength(
      2,
    );
    const seen = await stream.stop();
    expect(seen.filter((c) => c.status !== 200)).toEqual([]);
    expect((await routeOf(t.agent.id))?.weights).toEqual([{ version_id: v2.id, weight: 100 }]);
    await waitFor(async () => {
      const rows = await instancesOf(t.agent.id);
      const running = (v: string) => rows.filter((i) => i.versionId === v && i.status === "healthy").length;
      return running(v2.id) === 2 && running(v1.id) === 0 ? true : undefined;
    }, "two new instances and no old one");
  });
});
