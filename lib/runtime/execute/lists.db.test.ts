import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { GET as agentExecutions } from "@/app/api/agents/[id]/executions/route";
import { GET as myExecutions } from "@/app/api/executions/route";
import { getDb } from "@/db/client";
import { agentVersions } from "@/db/schema";
import { executionSchema } from "@/lib/api/contracts/executions";
import { pageSchema } from "@/lib/api/pagination";
import { setupTestDatabase } from "@/test/db";
import { createVersion, deployVersion } from "@/test/fixtures/deployed";
import { deployFakeAgent, type FakeAgent } from "@/test/fixtures/execute";
import { createAgent, createUser } from "@/test/fixtures/market";
import { call } from "@/test/http";
import { POST as executeRoute } from "@/app/api/agents/[id]/execute/route";
import { declaredInputSchema } from "./input-schema";

setupTestDatabase();

const page = pageSchema(executionSchema);
const agents: FakeAgent[] = [];
afterAll(async () => {
  for (const a of agents) await a.close();
});

function executeAs(a: FakeAgent, headers: Record<string, string>, parameters: Record<string, unknown>) {
  return call(executeRoute, `/api/agents/${a.agentId}/execute`, {
    headers,
    params: { id: a.agentId },
    body: { input_data: { parameters } },
  });
}

describe("the runs lists", () => {
  it("GET /api/executions lists the caller's own runs across agents, newest first, filtered and paged", async () => {
    const db = await getDb();
    const [a, b] = [await deployFakeAgent(), await deployFakeAgent()];
    agents.push(a, b);
    const me = await createUser(db);
    const other = await createUser(db);
    for (const [agent, params] of [
      [a, { n: 1 }],
      [b, { mode: "bad" }],
      [a, { n: 3 }],
    ] as const) {
      const res = await executeAs(agent, me.headers, params);
      expect([200, 202], JSON.stringify(res.body)).toContain(res.status);
    }
    expect((await executeAs(a, other.headers, { n: 9 })).status).toBe(200);

    const all = await call(myExecutions, "/api/executions", { headers: me.headers, query: { limit: 2 } });
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    const first = page.parse(all.body);
    expect(first.total).toBe(3);
    expect(first.data.map((e) => e.input)).toEqual([{ n: 3 }, { mode: "bad" }]);
    expect(first.data[1]?.agent_id).toBe(b.agentId);
    const rest = page.parse(
      (
        await call(myExecutions, "/api/executions", {
          headers: me.headers,
          query: { limit: 2, cursor: first.next_cursor ?? "" },
        })
      ).body,
    );
    expect(rest.data.map((e) => e.input)).toEqual([{ n: 1 }]);
    expect(rest.next_cursor).toBeNull();

    const failed = page.parse(
      (await call(myExecutions, "/api/executions", { headers: me.headers, query: { status: "failed" } })).body,
    );
    expect(failed.data.map((e) => [e.status, e.agent_id])).toEqual([["failed", b.agentId]]);
    expect(failed.total).toBe(1);

    // The owner's Runs tab sees everyone's runs of its agent; a stranger only their own.
    const owned = await call(agentExecutions, `/api/agents/${a.agentId}/executions`, {
      key: a.key,
      params: { id: a.agentId },
    });
    expect(page.parse(owned.body).total).toBe(3);
    const theirs = await call(agentExecutions, `/api/agents/${a.agentId}/executions`, {
      headers: other.headers,
      params: { id: a.agentId },
    });
    expect(page.parse(theirs.body).data.map((e) => e.input)).toEqual([{ n: 9 }]);
  });

  it("a bad status or cursor is a 400, not a 500", async () => {
    const me = await createUser(await getDb());
    const bad = await call(myExecutions, "/api/executions", { headers: me.headers, query: { status: "done" } });
    expect(bad.status).toBe(400);
    const cursor = await call(myExecutions, "/api/executions", { headers: me.headers, query: { cursor: "zzz" } });
    expect(cursor.status).toBe(400);
    expect((await call(myExecutions, "/api/executions")).status).toBe(401);
  });
});

describe("declaredInputSchema", () => {
  it("is the live version's, else the newest version that declares one, else null", async () => {
    const db = await getDb();
    const owner = await createUser(db);
    const agent = await createAgent(db, { ownerUserId: owner.user.id });
    expect(await declaredInputSchema(db, agent.agent.id)).toBeNull();
    const schema = (title: string) => ({ type: "object" as const, title, properties: {} });
    const v1 = await createVersion(db, agent.agent.id, "1.0.0", { createdAt: new Date(Date.now() - 60_000) });
    const v2 = await createVersion(db, agent.agent.id, "1.1.0");
    await db
      .update(agentVersions)
      .set({ inputSchema: schema("one") })
      .where(eq(agentVersions.id, v1.id));
    await db
      .update(agentVersions)
      .set({ inputSchema: schema("two") })
      .where(eq(agentVersions.id, v2.id));
    expect((await declaredInputSchema(db, agent.agent.id))?.title).toBe("two");
    await deployVersion(db, agent.agent.id, v1.id, "prod");
    expect((await declaredInputSchema(db, agent.agent.id))?.title).toBe("one");
    await db.update(agentVersions).set({ inputSchema: null }).where(eq(agentVersions.id, v1.id));
    expect((await declaredInputSchema(db, agent.agent.id))?.title).toBe("two");
  });
});
