import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { events, messages } from "@/db/schema";
import { TRANSITIONS, type JobAction } from "./job-machine";
import { api, validBody } from "@/test/fixtures/job-routes";
import {
  asActor,
  createAgent,
  setupHiringTest,
  createService,
  createUser,
  type AgentFixture,
} from "@/test/fixtures/market";
import { fund } from "@/test/fixtures/ledger";

const { db, worker, client, stranger, service } = setupHiringTest();

async function inboxCount(a: AgentFixture) {
  return (await api.inbox(asActor(a), { limit: 100 })).body.data.length as number;
}

describe("automatic messages", () => {
  it("writes one system message to the other party's inbox for every state change", async () => {
    const id = (await api.hire(asActor(client), { service_id: service.id, title: "Inbox job" })).body.id;
    const expectTo = async (action: JobAction | "hire", subject: string) => {
      const [m] = await db()
        .select()
        .from(messages)
        .where(eq(messages.jobId, id))
        .orderBy(messages.createdAt)
        .then((rows) => rows.slice(-1));
      const recipient = action === "hire" || TRANSITIONS[action as JobAction].role === "client" ? worker : client;
      expect(m).toMatchObject({ kind: "system", recipientAgentId: recipient.agent.id, subject, senderAgentId: null });
    };
    await expectTo("hire", "New job: Inbox job");
    const steps: [JobAction, string][] = [
      ["start", "Job started: Inbox job"],
      ["deliver", "Work delivered: Inbox job"],
      ["request-revision", "Revision requested: Inbox job"],
      ["deliver", "Work delivered: Inbox job"],
      ["complete", "Job completed: Inbox job"],
    ];
    for (const [action, subject] of steps) {
      const who = TRANSITIONS[action].role === "worker" ? worker : client;
      expect((await api.act(asActor(who), action, id, validBody(action))).status).toBe(200);
      await expectTo(action, subject);
    }
    // The revision reason is the message body.
    const revision = await db()
      .select()
      .from(messages)
      .where(and(eq(messages.jobId, id), eq(messages.subject, "Revision requested: Inbox job")));
    expect(revision[0]!.body).toBe("please change it");
    // hire, revision, complete -> worker; start, deliver x2 -> client
    const all = await db().select().from(messages).where(eq(messages.jobId, id));
    expect(all.filter((m) => m.recipientAgentId === worker.agent.id)).toHaveLength(3);
    expect(all.filter((m) => m.recipientAgentId === client.agent.id)).toHaveLength(3);
    const created = await db()
      .select()
      .from(events)
      .where(eq(events.type, "message_created"))
      .then((rows) => rows.filter((e) => e.data.job_id === id));
    expect(created).toHaveLength(6);
    expect(created.every((e) => !("body" in e.data))).toBe(true);
  });

  it("writes a cancellation message to the worker", async () => {
    const id = (await api.hire(asActor(client), { service_id: service.id, title: "To cancel" })).body.id;
    await api.act(asActor(client), "cancel", id, { reason: "budget" });
    const rows = await db().select().from(messages).where(eq(messages.jobId, id));
    expect(rows.map((m) => [m.recipientAgentId, m.subject])).toContainEqual([
      worker.agent.id,
      "Job cancelled: To cancel",
    ]);
  });
});

describe("inbox", () => {
  it("lists the caller's messages newest first, filters unread and counts unread", async () => {
    const me = await createAgent(db());
    const svc = await createService(db(), me.agent.id);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await api.hire(asActor(client), { service_id: svc.id, title: `j${i}` })).body.id);
    const all = await api.inbox(asActor(me), { limit: 2 });
    expect(all.status).toBe(200);
    expect(all.body.data.map((m: any) => m.subject)).toEqual(["New job: j2", "New job: j1"]);
    expect(all.body.unread_count).toBe(3);
    const rest = await api.inbox(asActor(me), { limit: 2, cursor: all.body.next_cursor });
    expect(rest.body.data.map((m: any) => m.subject)).toEqual(["New job: j0"]);
    expect(rest.body.next_cursor).toBeNull();

    const first = all.body.data[0];
    expect(first).toMatchObject({
      kind: "system",
      read: false,
      sender: null,
      recipient: { kind: "agent", id: me.agent.id },
    });
    // Only the recipient may mark it read; anyone else gets 404.
    expect((await api.read(asActor(stranger), first.id)).status).toBe(404);
    expect((await api.read(asActor(client), first.id)).status).toBe(404);
    const read = await api.read(asActor(me), first.id);
    expect([read.status, read.body.read]).toEqual([200, true]);
    expect((await api.read(asActor(me), first.id)).status).toBe(200);
    const readEvents = await db()
      .select()
      .from(events)
      .where(and(eq(events.type, "message_read"), eq(events.subjectId, first.id)));
    expect(readEvents).toHaveLength(1);

    const unread = await api.inbox(asActor(me), { unread: "true" });
    expect(unread.body.data.map((m: any) => m.subject)).toEqual(["New job: j1", "New job: j0"]);
    expect(unread.body.unread_count).toBe(2);
    expect((await api.inbox(asActor(me))).body.data).toHaveLength(3);
  });

  it("shows a person their own messages and their agents'; they may mark their agents' read", async () => {
    const person = await createUser(db());
    await fund(person, 10_000);
    const bot = await createAgent(db(), { ownerUserId: person.user.id });
    const svc = await createService(db(), bot.agent.id);
    await api.hire(asActor(client), { service_id: svc.id, title: "for the bot" });
    // The person hires as themself: the worker's start will message the person.
    const mine = (await api.hire(asActor(person), { service_id: service.id, title: "for me" })).body.id;
    await api.act(asActor(worker), "start", mine);
    const inbox = await api.inbox(asActor(person));
    expect(inbox.body.data.map((m: any) => [m.subject, m.recipient.kind])).toEqual([
      ["Job started: for me", "user"],
      ["New job: for the bot", "agent"],
    ]);
    expect(inbox.body.unread_count).toBe(2);
    expect((await api.read(asActor(person), inbox.body.data[1].id)).status).toBe(200);
    expect((await api.inbox(asActor(bot))).body.unread_count).toBe(0);
    // The bot does not see its owner's personal messages.
    expect((await api.inbox(asActor(bot))).body.data.map((m: any) => m.subject)).toEqual(["New job: for the bot"]);
  });

  it("requires the inbox scopes", async () => {
    const jobsOnly = await createAgent(db(), { scopes: ["jobs:read", "jobs:write"] });
    expect((await api.inbox(asActor(jobsOnly))).status).toBe(403);
    expect((await api.read(asActor(jobsOnly), "00000000-0000-4000-8000-000000000000")).status).toBe(403);
  });
});

describe("direct messages", () => {
  it("lets either party message the other, and nobody else", async () => {
    const id = (await api.hire(asActor(client), { service_id: service.id, title: "Chat" })).body.id;
    const before = await inboxCount(worker);
    const sent = await api.sendMessage(asActor(client), id, { body: "any update?" });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({
      kind: "direct",
      body: "any update?",
      subject: 'Message about "Chat"',
      sender: { kind: "agent", id: client.agent.id, name: "Client" },
      recipient: { kind: "agent", id: worker.agent.id },
      read: false,
    });
    expect(await inboxCount(worker)).toBe(before + 1);
    const reply = await api.sendMessage(asActor(worker), id, { subject: "Re", body: "soon" });
    expect(reply.body.recipient).toEqual({ kind: "agent", id: client.agent.id, name: "Client" });
    expect((await api.sendMessage(asActor(stranger), id, { body: "hi" })).status).toBe(404);
    expect((await api.sendMessage(asActor(client), id, { body: "" })).status).toBe(400);

    const listed = await api.jobMessages(asActor(worker), id);
    expect(listed.body.data.map((m: any) => m.kind)).toEqual(["system", "direct", "direct"]);
    const paged = await api.jobMessages(asActor(client), id, { limit: 2 });
    const next = await api.jobMessages(asActor(client), id, { limit: 2, cursor: paged.body.next_cursor });
    expect([...paged.body.data, ...next.body.data].map((m: any) => m.id)).toEqual(
      listed.body.data.map((m: any) => m.id),
    );
    expect((await api.jobMessages(asActor(stranger), id)).status).toBe(404);
    const detail = await api.get(asActor(client), id);
    expect(detail.body.messages_count).toBe(3);
    const newest = await api.jobMessages(asActor(client), id, { order: "desc" });
    expect(newest.body.data.map((m: any) => m.body)).toEqual(["soon", "any update?", expect.any(String)]);
    const created = await db().select().from(events).where(eq(events.subjectId, sent.body.id));
    expect(created.map((e) => e.type)).toEqual(["message_created"]);
  });

  it("records a person as the sender when they write for their agent", async () => {
    const person = await createUser(db(), { name: "Pat" });
    const bot = await createAgent(db(), { ownerUserId: person.user.id });
    await fund(bot, 10_000);
    const id = (await api.hire(asActor(bot), { service_id: service.id, title: "P" })).body.id;
    const sent = await api.sendMessage(asActor(person), id, { body: "from Pat" });
    expect(sent.body.sender).toEqual({ kind: "user", id: person.user.id, name: "Pat" });
    expect(sent.body.recipient).toEqual({ kind: "agent", id: worker.agent.id, name: "Worker" });
  });
});
