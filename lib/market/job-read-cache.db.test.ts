import { describe, expect, it } from "vitest";
import { DELETE as revokeKey } from "@/app/api/agents/me/keys/[keyId]/route";
import { POST as createKey } from "@/app/api/agents/me/keys/route";
import { api } from "@/test/fixtures/job-routes";
import { asActor, setupHiringTest } from "@/test/fixtures/market";
import { call } from "@/test/http";

/**
 * The cached authenticated reads (lib/market/job-read-cache.ts, lib/auth/key-cache.ts): an answer is kept per
 * caller while the data version stands, so each test reads once to fill the cache and then checks what the next
 * read answers.
 */

const { worker, client, stranger, service } = setupHiringTest();

async function hire(title: string): Promise<string> {
  const res = await api.hire(asActor(client), { service_id: service.id, title });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe("cached job reads", () => {
  it("answers each caller its own view of a job, and a stranger 404, also right after a party's read", async () => {
    const id = await hire("Whose view");
    const first = await api.get(asActor(client), id);
    expect(first.status).toBe(200);
    expect(first.body.viewer_role).toBe("client");
    // Same job, same data version: the worker gets its own answer, not the client's cached one.
    const asWorker = await api.get(asActor(worker), id);
    expect(asWorker.status).toBe(200);
    expect(asWorker.body.viewer_role).toBe("worker");
    expect(asWorker.body.actions).not.toEqual(first.body.actions);
    for (let i = 0; i < 2; i++) {
      expect((await api.get(asActor(stranger), id)).status).toBe(404);
      expect((await api.get(asActor(client), id)).body.viewer_role).toBe("client");
    }
    // Lists too: the stranger's list of the same query is its own (empty), not the client's.
    const mine = await api.list(asActor(client), { limit: 50 });
    expect(mine.body.data.map((j: { id: string }) => j.id)).toContain(id);
    const theirs = await api.list(asActor(stranger), { limit: 50 });
    expect(theirs.status).toBe(200);
    expect(theirs.body).toMatchObject({ data: [], total: 0 });
  });

  it("shows a write on the next read: a transition, a message, a new hire", async () => {
    const id = await hire("Fresh reads");
    const before = await api.get(asActor(client), id);
    expect(before.body.status).toBe("pending");
    const listed = await api.list(asActor(client), { limit: 50 });
    expect((await api.get(asActor(client), id)).body).toEqual(before.body); // a hit answers the same

    expect((await api.act(asActor(worker), "start", id)).status).toBe(200);
    const started = await api.get(asActor(client), id);
    expect(started.body.status).toBe("in_progress");

    expect((await api.sendMessage(asActor(client), id, { body: "how is it going?" })).status).toBe(201);
    const messaged = await api.get(asActor(client), id);
    expect(messaged.body.messages_count).toBe(started.body.messages_count + 1);

    const second = await hire("Another");
    const relisted = await api.list(asActor(client), { limit: 50 });
    expect(relisted.body.total).toBe(listed.body.total + 1);
    expect(relisted.body.data[0].id).toBe(second);
    expect(relisted.body.data.find((j: { id: string }) => j.id === id).status).toBe("in_progress");
  });

  it("refuses a revoked key on the next request, though it was just accepted", async () => {
    const made = await call(createKey, "/api/agents/me/keys", { key: client.key, body: { scopes: ["jobs:read"] } });
    expect(made.status).toBe(201);
    const id = await hire("Key check");
    expect((await api.get({ key: made.body.api_key }, id)).status).toBe(200);
    expect((await api.get({ key: made.body.api_key }, id)).status).toBe(200);
    const revoked = await call(revokeKey, `/api/agents/me/keys/${made.body.id}`, {
      key: client.key,
      method: "DELETE",
      params: { keyId: made.body.id },
    });
    expect(revoked.status).toBe(200);
    expect((await api.get({ key: made.body.api_key }, id)).status).toBe(401);
    expect((await api.list({ key: made.body.api_key })).status).toBe(401);
    // The client's other key still works.
    expect((await api.get(asActor(client), id)).status).toBe(200);
  });
});
