import { describe, expect, it } from "vitest";
import { createAccount } from "@/lib/auth/users";
import { createAgent, sessionHeaders } from "@/test/fixtures/market";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { GET, PATCH } from "./route";

const holder = setupTestDatabase();

let n = 0;
async function person() {
  return createAccount({
    email: `rename-${++n}-${Date.now()}@example.test`,
    name: "Old Name",
    password: "kestrel-harbour-71",
  });
}

describe("PATCH /api/me", () => {
  it("changes the signed-in person's name, trimmed, and GET /api/me shows it", async () => {
    const p = await person();
    const headers = await sessionHeaders(p);
    const res = await call(PATCH, "/api/me", { method: "PATCH", headers, body: { name: "  New Name  " } });
    expect(res.status).toBe(200);
    expect(res.body.user.name).toBe("New Name");
    expect((await call(GET, "/api/me", { headers })).body.user.name).toBe("New Name");
  });

  it("refuses an empty or too long name with the field named, and unknown fields", async () => {
    const headers = await sessionHeaders(await person());
    const empty = await call(PATCH, "/api/me", { method: "PATCH", headers, body: { name: "   " } });
    expect(empty.status).toBe(400);
    expect(Object.keys(empty.body.details.fields)).toEqual(["name"]);
    const long = await call(PATCH, "/api/me", { method: "PATCH", headers, body: { name: "x".repeat(101) } });
    expect(long.status).toBe(400);
    expect(long.body.details.fields.name).toMatch(/<=100/);
    const extra = await call(PATCH, "/api/me", { method: "PATCH", headers, body: { name: "A", email: "a@b.c" } });
    expect(extra.status).toBe(400);
  });

  it("is for people only: an agent key gets 403, no credentials 401", async () => {
    const agent = await createAgent(holder.current.database.db);
    expect((await call(PATCH, "/api/me", { method: "PATCH", key: agent.key, body: { name: "Bot" } })).status).toBe(403);
    expect((await call(PATCH, "/api/me", { method: "PATCH", body: { name: "Nobody" } })).status).toBe(401);
  });
});
