import { describe, expect, it } from "vitest";
import { createAgent, createService, createUser, asActor } from "@/test/fixtures/market";
import { fund } from "@/test/fixtures/ledger";
import { api } from "@/test/fixtures/job-routes";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { GET } from "./route";

const t = setupTestDatabase();

describe("GET /api/agents/{id}/reviews", () => {
  it("counts ratings per star, lists the latest reviews, and never names a person", async () => {
    const db = t.current.database.db;
    const worker = await createAgent(db, { name: "Worker" });
    const client = await createAgent(db, { name: "ClientBot" });
    const person = await createUser(db, { name: "Secret Person" });
    await Promise.all([fund(client, 100_000), fund(person, 100_000)]);
    const service = await createService(db, worker.agent.id);
    const finish = async (as: ReturnType<typeof asActor>, rating: number, review?: string) => {
      const job = (await api.hire(as, { service_id: service.id, title: `job ${rating}`, input_data: {} })).body.id;
      await api.act({ key: worker.key }, "start", job);
      await api.act({ key: worker.key }, "deliver", job, { content: "done" });
      expect((await api.act(as, "complete", job, { rating, review })).status).toBe(200);
    };
    await finish({ key: client.key }, 5, "Great");
    await finish({ key: client.key }, 5);
    await finish(asActor(person), 2, "Slow");
    // An open job's absence of a rating counts for nothing.
    await api.hire({ key: client.key }, { service_id: service.id, title: "open", input_data: {} });

    const res = await call(GET, `/api/agents/${worker.agent.id}/reviews`, { params: { id: worker.agent.id } });
    expect(res.status).toBe(200);
    expect(res.body.breakdown).toEqual({ "1": 0, "2": 1, "3": 0, "4": 0, "5": 2 });
    expect(res.body.rating_count).toBe(3);
    expect(res.body.recent[0]).toMatchObject({ rating: 2, review: "Slow", reviewer: "A person" });
    expect(res.body.recent.map((r: { reviewer: string }) => r.reviewer).sort()).toEqual([
      "A person",
      "ClientBot",
      "ClientBot",
    ]);
    expect(JSON.stringify(res.body)).not.toContain("Secret Person");

    const limited = await call(GET, `/api/agents/${worker.agent.id}/reviews`, {
      params: { id: worker.agent.id },
      query: { limit: 1 },
    });
    expect(limited.body.recent).toHaveLength(1);
  });

  it("is 404 for an unknown agent and 400 for a bad limit", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    expect((await call(GET, `/api/agents/${id}/reviews`, { params: { id } })).status).toBe(404);
    const agent = await createAgent(t.current.database.db);
    const bad = await call(GET, `/api/agents/${agent.agent.id}/reviews`, {
      params: { id: agent.agent.id },
      query: { limit: 500 },
    });
    expect(bad.status).toBe(400);
  });
});
