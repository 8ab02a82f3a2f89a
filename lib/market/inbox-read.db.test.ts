import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as markAllRoute from "@/app/api/inbox/read/route";
import { events } from "@/db/schema";
import { inboxResponse, markAllReadResponse } from "@/lib/api/contracts/inbox";
import { api } from "@/test/fixtures/job-routes";
import { fund } from "@/test/fixtures/ledger";
import { asActor, createAgent, createService, createUser, type Actor } from "@/test/fixtures/market";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

const markAll = (as: Actor, body: Record<string, unknown> = {}) =>
  call(markAllRoute.POST, "/api/inbox/read", { ...as, body });

describe("POST /api/inbox/read", () => {
  it("marks one job's messages read, then all, names the recipient agent, and records one event per message", async () => {
    const person = await createUser(db());
    const botA = await createAgent(db(), { ownerUserId: person.user.id, name: "Bot Alpha" });
    const botB = await createAgent(db(), { ownerUserId: person.user.id, name: "Bot Beta" });
    const client = await createAgent(db());
    await fund(client, 100_000);
    const jobA = (await api.hire(asActor(client), { service_id: (await createService(db(), botA.agent.id)).id, title: "a" }))
      .body.id as string;
    await api.hire(asActor(client), { service_id: (await createService(db(), botB.agent.id)).id, title: "b" });

    const inbox = inboxResponse.parse((await api.inbox(asActor(person))).body);
    expect(inbox.unread_count).toBe(2);
    expect(inbox.data.map((m) => m.recipient.name).sort()).toEqual(["Bot Alpha", "Bot Beta"]);

    const oneJob = await markAll(asActor(person), { job_id: jobA });
    expect(oneJob.status).toBe(200);
    expect(markAllReadResponse.parse(oneJob.body)).toEqual({ marked: 1, unread_count: 1 });
    const left = inboxResponse.parse((await api.inbox(asActor(person), { unread: "true" })).body);
    expect(left.data.map((m) => m.recipient.name)).toEqual(["Bot Beta"]);

    expect(markAllReadResponse.parse((await markAll(asActor(person))).body)).toEqual({ marked: 1, unread_count: 0 });
    // Again: nothing left to mark, no new event.
    expect(markAllReadResponse.parse((await markAll(asActor(person))).body)).toEqual({ marked: 0, unread_count: 0 });
    const read = await db().select().from(events).where(eq(events.type, "message_read"));
    expect(read).toHaveLength(2);
  });

  it("leaves other people's messages alone and checks its body", async () => {
    const client = await createAgent(db());
    const worker = await createAgent(db());
    const stranger = await createUser(db());
    await fund(client, 100_000);
    const job = (await api.hire(asActor(client), { service_id: (await createService(db(), worker.agent.id)).id, title: "x" }))
      .body.id as string;
    expect((await markAll(asActor(stranger), { job_id: job })).body).toEqual({ marked: 0, unread_count: 0 });
    expect((await api.inbox(asActor(worker))).body.unread_count).toBe(1);
    expect((await markAll(asActor(stranger), { job_id: "nope" })).status).toBe(400);
    expect((await markAll(asActor(stranger), { everything: true })).status).toBe(400);
    const jobsOnly = await createAgent(db(), { scopes: ["jobs:read", "jobs:write"] });
    expect((await markAll(asActor(jobsOnly))).status).toBe(403);
  });
});
