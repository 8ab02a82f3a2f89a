import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as invocationsRoute } from "@/app/api/agents/[id]/invocations/route";
import { getDb } from "@/db/client";
import { deploymentInstances } from "@/db/schema";
import { Controller } from "@/lib/deploy/controller";
import { setupTestDatabase } from "@/test/db";
import {
  createVersion,
  ownedAgent,
  routeOf,
  settled,
  startDeployment,
  useDeployAgents,
} from "@/test/fixtures/deployments";
import { setTestEnv } from "@/test/fixtures/runtime";
import { call } from "@/test/http";

/*
 * Every strategy end to end on the local host: real bubblewrap sandboxes of the test agents, the real job queue,
 * calls through the invocation endpoint and its router.
 */

setupTestDatabase();
let controller: Controller;

beforeAll(async () => {
  useDeployAgents();
  controller = await new Controller({ workers: 2, pollingIntervalSeconds: 0.5, supervise: false, leaseSeconds: 10 }).start();
});

afterAll(async () => {
  await controller?.stop();
  setTestEnv({ LOCAL_AGENTS_DIR: undefined });
});

function invoke(t: { agent: { id: string }; key: string }, prompt: string) {
  return call(invocationsRoute, `/api/agents/${t.agent.id}/invocations`, {
    key: t.key,
    params: { id: t.agent.id },
    body: { prompt },
  });
}

async function instancesOf(agentId: string) {
  const db = await getDb();
  return db.select().from(deploymentInstances).where(and(eq(deploymentInstances.agentId, agentId)));
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
    expect(d.phases.find((p) => p.name === "health_check")?.logs.join("\n")).toMatch(/1 instance\(s\) healthy on \/health/);
    const route = await routeOf(t.agent.id);
    expect(route?.weights).toEqual([{ version_id: v1.id, weight: 100 }]);
    expect(route?.liveVersionId).toBe(v1.id);
    const live = (await instancesOf(t.agent.id)).filter((i) => i.status === "healthy");
    expect(live).toHaveLength(1);
    expect(live[0]?.node).toBe(controller.instances.node);

    const r = await invoke(t, "hello");
    expect(r.status).toBe(200);
    expect(r.body.response).toBe(`steady ${v1.version}: hello`);
    expect(r.headers.get("x-agent-version")).toBe(v1.version);
  });
});
