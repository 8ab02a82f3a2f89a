import { describe, expect, it } from "vitest";
import { apiKeySchema } from "@/lib/api/contracts/agent-keys";
import { pageSchema } from "@/lib/api/pagination";
import { createAgent, createUser } from "@/test/fixtures/market";
import { setupTestDatabase } from "@/test/db";
import { call, type CallOptions } from "@/test/http";
import { DELETE as revokeKey } from "./[keyId]/route";
import { GET as listKeys, POST as createKey } from "./route";

const holder = setupTestDatabase();
const db = () => holder.current.database.db;
const keyPage = pageSchema(apiKeySchema);

const create = (opts: CallOptions) => call(createKey, "/api/agents/me/keys", opts);
const revoke = (keyId: string, opts: CallOptions) =>
  call(revokeKey, `/api/agents/me/keys/${keyId}`, { ...opts, method: "DELETE", params: { keyId } });
const list = async (opts: CallOptions) => {
  const res = await call(listKeys, "/api/agents/me/keys", opts);
  expect(res.status).toBe(200);
  return keyPage.parse(res.body);
};

describe("a key acts on keys only within its own scopes", () => {
  it("cannot create a key with scopes it lacks (403 naming them)", async () => {
    const a = await createAgent(db(), { scopes: ["keys:manage", "jobs:read"] });
    const ok = await create({ key: a.key, body: { scopes: ["jobs:read"] } });
    expect(ok.status).toBe(201);
    const more = await create({ key: a.key, body: { scopes: ["jobs:read", "jobs:write", "invoke"] } });
    expect(more.status).toBe(403);
    expect(more.body.details.scopes).toEqual(["jobs:write", "invoke"]);
    expect(more.body.message).toContain("jobs:write, invoke");
    // Without scopes, a new key gets the creator's own, not every scope.
    const dflt = await create({ key: a.key, body: { name: "default scopes" } });
    expect(dflt.body.scopes).toEqual(["keys:manage", "jobs:read"]);
  });

  it("cannot revoke a key with scopes it lacks (403 naming them), but may revoke narrower keys and itself", async () => {
    const a = await createAgent(db()); // the fixture's key holds every scope
    const manager = await create({ key: a.key, body: { name: "manager", scopes: ["keys:manage"] } });
    const reader = await create({ key: a.key, body: { name: "reader", scopes: ["keys:manage", "jobs:read"] } });
    const all = await list({ key: a.key });
    const admin = all.data.find((k) => k.current)!;

    const up = await revoke(admin.id, { key: manager.body.api_key });
    expect(up.status).toBe(403);
    expect(up.body.error).toBe("AuthorizationError");
    expect(up.body.details.scopes).toContain("agents:write");
    expect(up.body.details.scopes).not.toContain("keys:manage");
    const sideways = await revoke(reader.body.id, { key: manager.body.api_key });
    expect(sideways.status).toBe(403);
    expect(sideways.body.details.scopes).toEqual(["jobs:read"]);
    // Nothing was revoked by the refused calls.
    expect((await list({ key: a.key })).total).toBe(3);

    expect((await revoke(manager.body.id, { key: reader.body.api_key })).status).toBe(200);
    expect((await revoke(reader.body.id, { key: reader.body.api_key })).status).toBe(200);
  });

  it("leaves a person full power over their own agents' keys", async () => {
    const { user, headers } = await createUser(db());
    const a = await createAgent(db(), { ownerUserId: user.id });
    const query = { agent_id: a.agent.id };
    const made = await create({ headers, query, body: { scopes: ["invoke", "agents:write"] } });
    expect(made.status).toBe(201);
    const [first] = (await list({ headers, query })).data;
    expect((await revoke(first!.id, { headers, query })).status).toBe(200);
  });
});

describe("GET /api/agents/me/keys", () => {
  it("pages with limit and cursor, oldest first, with the total", async () => {
    const a = await createAgent(db());
    for (let i = 0; i < 4; i++) expect((await create({ key: a.key, body: { name: `k${i}` } })).status).toBe(201);
    const first = await list({ key: a.key, query: { limit: 2 } });
    expect(first.data.map((k) => k.name)).toEqual(["default", "k0"]);
    expect(first.total).toBe(5);
    expect(first.next_cursor).not.toBeNull();
    const second = await list({ key: a.key, query: { limit: 2, cursor: first.next_cursor! } });
    expect(second.data.map((k) => k.name)).toEqual(["k1", "k2"]);
    const third = await list({ key: a.key, query: { limit: 2, cursor: second.next_cursor! } });
    expect(third.data.map((k) => k.name)).toEqual(["k3"]);
    expect(third.next_cursor).toBeNull();
  });

  it("leaves revoked keys out unless include_revoked=true", async () => {
    const a = await createAgent(db());
    const old = await create({ key: a.key, body: { name: "old" } });
    await create({ key: a.key, body: { name: "new" } });
    expect((await revoke(old.body.id, { key: a.key })).status).toBe(200);

    const active = await list({ key: a.key });
    expect(active.data.map((k) => k.name)).toEqual(["default", "new"]);
    expect(active.total).toBe(2);
    expect(active.data.every((k) => k.revoked_at === null)).toBe(true);

    const everything = await list({ key: a.key, query: { include_revoked: "true" } });
    expect(everything.data.map((k) => k.name)).toEqual(["default", "old", "new"]);
    expect(everything.total).toBe(3);
    expect(everything.data.find((k) => k.name === "old")!.revoked_at).not.toBeNull();
  });

  it("answers a forged cursor or a bad flag with 400", async () => {
    const a = await createAgent(db());
    const forged = [
      "nonsense",
      Buffer.from(JSON.stringify(["2025-13-45 00:00:00+00", "00000000-0000-0000-0000-000000000000"])).toString(
        "base64url",
      ),
      Buffer.from(JSON.stringify(["2025-01-01 00:00:00+00", "not-a-uuid"])).toString("base64url"),
      Buffer.from(JSON.stringify([1, 2])).toString("base64url"),
    ];
    for (const cursor of forged) {
      const res = await call(listKeys, "/api/agents/me/keys", { key: a.key, query: { cursor } });
      expect(res.status, cursor).toBe(400);
      expect(res.body.error).toBe("ValidationError");
    }
    const flag = await call(listKeys, "/api/agents/me/keys", { key: a.key, query: { include_revoked: "yes" } });
    expect(flag.status).toBe(400);
  });
});
