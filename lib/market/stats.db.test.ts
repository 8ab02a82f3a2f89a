import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { agents, jobs, services, users } from "@/db/schema";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { GET as getGraph } from "@/app/api/graph/route";
import { GET as getStats } from "@/app/api/stats/route";

setupTestDatabase();

const DAY = 86_400_000;
const day = (d: Date) => d.toISOString().slice(0, 10);

describe("GET /api/stats and /api/graph", () => {
  it("report zeros, a null completion rate and 30 empty days on an empty market", async () => {
    const res = await call(getStats, "/api/stats");
    expect(res.status).toBe(200);
    expect(res.body.agents).toEqual({ total: 0, active: 0 });
    expect(res.body.jobs.total).toBe(0);
    expect(res.body.completion_rate).toBeNull();
    expect(res.body.volume).toEqual({ completed_usd: 0, total_usd: 0 });
    expect(res.body.jobs_over_time).toHaveLength(30);
    expect(res.body.jobs_over_time.at(-1).date).toBe(day(new Date()));
    expect(res.body.jobs_over_time[0].date).toBe(day(new Date(Date.now() - 29 * DAY)));
    expect(res.body.jobs_over_time.every((d: any) => d.created === 0 && d.completed === 0)).toBe(true);
    const graph = await call(getGraph, "/api/graph");
    expect(graph.body).toEqual({ nodes: [], edges: [], truncated: false });
  });

  it("count, sum, rank and chart the rows of the market", async () => {
    const db = await getDb();
    const [person] = await db
      .insert(users)
      .values({ email: "secret.person@example.com", name: "Secret Person" })
      .returning();
    const [a, b, c] = await db
      .insert(agents)
      .values([
        { name: "Alpha", category: "coding", reputation: 4.9, ratingCount: 2, jobsCompleted: 2 },
        { name: "Beta", category: "writing", reputation: 4.5, ratingCount: 5, jobsCompleted: 1 },
        { name: "Gamma", category: "data", reputation: 3.0, ratingCount: 3, jobsCompleted: 0, status: "busy" },
        { name: "Delta", category: "data", reputation: 5.0, ratingCount: 9, jobsCompleted: 7, status: "retired" },
      ])
      .returning();
    const [sa, sb] = await db
      .insert(services)
      .values([
        { agentId: a!.id, name: "Review", priceCents: 1000 },
        { agentId: b!.id, name: "Write", priceCents: 250 },
        { agentId: c!.id, name: "Old", priceCents: 100, active: false },
      ])
      .returning();
    const now = Date.now();
    const twoDaysAgo = new Date(now - 2 * DAY);
    const longAgo = new Date(now - 40 * DAY);
    const job = (over: Partial<typeof jobs.$inferInsert>) => ({
      serviceId: sa!.id,
      workerAgentId: a!.id,
      clientAgentId: b!.id,
      title: "t",
      priceCents: 1000,
      ...over,
    });
    await db.insert(jobs).values([
      job({ status: "completed", createdAt: twoDaysAgo, completedAt: new Date(now) }),
      job({ status: "completed", createdAt: longAgo, completedAt: longAgo }),
      job({ status: "cancelled", createdAt: twoDaysAgo }),
      job({ status: "pending", clientAgentId: null, clientUserId: person!.id }),
      job({ status: "failed", serviceId: sb!.id, workerAgentId: b!.id, clientAgentId: c!.id, priceCents: 250 }),
      job({
        status: "in_progress",
        serviceId: sb!.id,
        workerAgentId: b!.id,
        clientAgentId: null,
        clientUserId: person!.id,
        priceCents: 250,
      }),
    ]);

    const { body } = await call(getStats, "/api/stats");
    expect(body.agents).toEqual({ total: 4, active: 2 });
    expect(body.services).toEqual({ total: 3, active: 2 });
    expect(body.jobs.total).toBe(6);
    expect(body.jobs.by_status).toEqual({
      pending: 1,
      in_progress: 1,
      delivered: 0,
      disputed: 0,
      revision_requested: 0,
      completed: 2,
      cancelled: 1,
      failed: 1,
    });
    expect(body.volume).toEqual({ completed_usd: 20, total_usd: 45 });
    expect(body.completion_rate).toBeCloseTo(2 / 4);
    // Alpha has the best live reputation but only 2 ratings; Delta is retired.
    expect(body.top_agents.min_rating_count).toBe(3);
    expect(body.top_agents.by_reputation.map((x: any) => x.name)).toEqual(["Beta", "Gamma"]);
    expect(body.top_agents.by_jobs_completed.map((x: any) => x.name)).toEqual(["Alpha", "Beta"]);
    const series = new Map(body.jobs_over_time.map((x: any) => [x.date, x]));
    expect(series.get(day(twoDaysAgo))).toMatchObject({ created: 2, completed: 0 });
    expect(series.get(day(new Date(now)))).toMatchObject({ created: 3, completed: 1 });
    expect(series.has(day(longAgo))).toBe(false);
    const totals = body.jobs_over_time.reduce((s: number, x: any) => s + x.created, 0);
    expect(totals).toBe(5);

    const graph = await call(getGraph, "/api/graph");
    expect(graph.status).toBe(200);
    const nodes = new Map(graph.body.nodes.map((n: any) => [n.id, n]));
    expect(nodes.size).toBe(5);
    expect(nodes.get(a!.id)).toEqual({
      id: a!.id,
      kind: "agent",
      name: "Alpha",
      category: "coding",
      reputation: 4.9,
      jobs_completed: 2,
    });
    expect(nodes.get("people")).toMatchObject({ kind: "person", reputation: null });
    const edges = new Map(graph.body.edges.map((e: any) => [`${e.source}>${e.target}`, e]));
    expect(edges.get(`${b!.id}>${a!.id}`)).toEqual({
      source: b!.id,
      target: a!.id,
      weight: 3,
      completed: 2,
      volume_usd: 30,
    });
    expect(edges.get(`people>${a!.id}`)).toMatchObject({ weight: 1, volume_usd: 10 });
    expect(edges.get(`people>${b!.id}`)).toMatchObject({ weight: 1, volume_usd: 2.5 });
    expect(edges.get(`${c!.id}>${b!.id}`)).toMatchObject({ weight: 1, completed: 0 });
    expect(edges.size).toBe(4);
    // No person is identifiable from the graph.
    const text = JSON.stringify(graph.body);
    for (const leak of [person!.id, person!.email, person!.name]) expect(text).not.toContain(leak);
  });
});
