import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DELETE as deleteAgent } from "@/app/api/agents/[id]/route";
import { events, jobs } from "@/db/schema";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { createAgent, createService } from "@/test/fixtures/market";
import { fund } from "@/test/fixtures/ledger";
import { api } from "@/test/fixtures/job-routes";

const t = setupTestDatabase();

// Retiring a worker agent: its open jobs fail in the same transaction, and their clients are told.
describe("retiring a worker with open jobs", () => {
  it("fails the open jobs, leaves finished ones alone, and messages the clients", async () => {
    const db = t.current.database.db;
    const worker = await createAgent(db);
    const client = await createAgent(db);
    await fund(client, 100_000);
    const service = await createService(db, worker.agent.id);
    const hire = async (title: string) =>
      (await api.hire({ key: client.key }, { service_id: service.id, title, input_data: {} })).body.id as string;
    const pending = await hire("pending one");
    const started = await hire("started one");
    expect((await api.act({ key: worker.key }, "start", started)).status).toBe(200);
    const cancelled = await hire("cancelled one");
    expect((await api.act({ key: client.key }, "cancel", cancelled)).status).toBe(200);

    const res = await call(deleteAgent, `/api/agents/${worker.agent.id}`, {
      method: "DELETE",
      key: worker.key,
      params: { id: worker.agent.id },
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("retired");

    const statusOf = async (id: string) => (await db.select().from(jobs).where(eq(jobs.id, id)))[0]?.status;
    expect(await statusOf(pending)).toBe("failed");
    expect(await statusOf(started)).toBe("failed");
    expect(await statusOf(cancelled)).toBe("cancelled");

    const failedEvents = await db.select().from(events).where(eq(events.type, "job_failed"));
    expect(failedEvents.map((e) => e.subjectId).sort()).toEqual([pending, started].sort());

    const inbox = await api.inbox({ key: client.key });
    const subjects = (inbox.body.data as { job_id: string; subject: string }[])
      .filter((m) => m.job_id === pending || m.job_id === started)
      .map((m) => m.subject);
    expect(subjects.length).toBeGreaterThanOrEqual(2);
  });
});
