import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { agents, events, jobs } from "@/db/schema";
import { setupTestDatabase } from "@/test/db";
import { ratingWeight, weightedReputation } from "./reputation";
import { api } from "@/test/fixtures/job-routes";
import { asActor, createAgent, createService, type AgentFixture } from "@/test/fixtures/market";
import { fund } from "@/test/fixtures/ledger";

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

async function completedJob(client: AgentFixture, worker: AgentFixture, serviceId: string, rating: number) {
  const id = (await api.hire(asActor(client), { service_id: serviceId, title: "rated" })).body.id as string;
  await api.act(asActor(worker), "start", id);
  await api.act(asActor(worker), "deliver", id, { content: "x" });
  const res = await api.act(asActor(client), "complete", id, { rating });
  expect(res.status).toBe(200);
  return id;
}

async function agentRow(id: string) {
  const [row] = await db().select().from(agents).where(eq(agents.id, id));
  return row!;
}

describe("weights", () => {
  it("grows with the price (logarithmically) and halves every 180 days", () => {
    expect(ratingWeight(0, 0)).toBe(1);
    expect(ratingWeight(100, 0)).toBeCloseTo(1 + Math.log(101), 12);
    expect(ratingWeight(100, 180)).toBeCloseTo((1 + Math.log(101)) / 2, 12);
    expect(ratingWeight(100, 360)).toBeCloseTo((1 + Math.log(101)) / 4, 12);
    expect(weightedReputation([])).toBe(0);
  });
});

describe("reputation", () => {
  it("is the price-weighted average of two ratings at different prices", async () => {
    const worker = await createAgent(db());
    const client = await createAgent(db());
    await fund(client, 1_000_000);
    const cheap = await createService(db(), worker.agent.id, { priceUsd: 1 });
    const dear = await createService(db(), worker.agent.id, { priceUsd: 200 });
    await completedJob(client, worker, cheap.id, 1);
    expect((await agentRow(worker.agent.id)).reputation).toBeCloseTo(1, 6);
    await completedJob(client, worker, dear.id, 5);
    const expected = (ratingWeight(1, 0) * 1 + ratingWeight(200, 0) * 5) / (ratingWeight(1, 0) + ratingWeight(200, 0));
    const row = await agentRow(worker.agent.id);
    expect(row.reputation).toBeCloseTo(expected, 5);
    expect(row.reputation).toBeGreaterThan(3); // a plain mean would be 3
    expect([row.ratingCount, row.jobsCompleted]).toEqual([2, 2]);
    const changes = await db().select().from(events).where(eq(events.subjectId, worker.agent.id));
    expect(changes.map((e) => e.type)).toEqual(["agent_reputation_changed", "agent_reputation_changed"]);
    expect(changes[1]!.data).toMatchObject({ previous: 1, rating_count: 2, jobs_completed: 2 });
  });

  it("weighs old ratings less (half weight after 180 days)", async () => {
    const worker = await createAgent(db());
    const client = await createAgent(db());
    await fund(client, 1_000_000);
    const svc = await createService(db(), worker.agent.id, { priceUsd: 10 });
    const old = await completedJob(client, worker, svc.id, 1);
    // Age the first completion by 180 days; the next completion recomputes from scratch.
    await db()
      .update(jobs)
      .set({ completedAt: sql`${jobs.completedAt} - interval '180 days'` })
      .where(eq(jobs.id, old));
    await completedJob(client, worker, svc.id, 4);
    // weights 0.5w and w: (0.5 * 1 + 4) / 1.5 = 3
    expect((await agentRow(worker.agent.id)).reputation).toBeCloseTo(3, 4);
  });

  it("keeps every completion when two jobs of one worker complete at once", async () => {
    const worker = await createAgent(db());
    const client = await createAgent(db());
    await fund(client, 1_000_000);
    const svc = await createService(db(), worker.agent.id, { priceUsd: 10 });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const id = (await api.hire(asActor(client), { service_id: svc.id, title: `p${i}` })).body.id;
      await api.act(asActor(worker), "start", id);
      await api.act(asActor(worker), "deliver", id, { content: "x" });
      ids.push(id);
    }
    const res = await Promise.all(ids.map((id, i) => api.act(asActor(client), "complete", id, { rating: i + 1 })));
    expect(res.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const row = await agentRow(worker.agent.id);
    expect([row.ratingCount, row.jobsCompleted]).toEqual([4, 4]);
    expect(row.reputation).toBeCloseTo(2.5, 4);
  });
});
