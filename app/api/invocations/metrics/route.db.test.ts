import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as createKeyRoute } from "@/app/api/agents/me/keys/route";
import { agentSessions, invocations } from "@/db/schema";
import { reloadEnv } from "@/lib/env";
import { resolvePrincipal } from "@/lib/auth/resolve";
import { createAgentKey } from "@/lib/market/api-keys";
import { createAgent, createUser } from "@/test/fixtures/market";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { GET } from "./route";

const db = setupTestDatabase();
const conn = () => db.current.database.db;

let n = 0;
/** One session of a caller with `count` invocations of `target` (rows as the invoke service records them). */
async function invocationsOf(
  caller: { agentId?: string; userId?: string },
  target: string,
  count: number,
  outcome = "ok",
): Promise<void> {
  const sessionId = `metrics-test-session-${++n}-${"x".repeat(20)}`;
  await conn()
    .insert(agentSessions)
    .values({ sessionId, target, callerAgentId: caller.agentId ?? null, callerUserId: caller.userId ?? null });
  await conn()
    .insert(invocations)
    .values(
      Array.from({ length: count }, (_, i) => ({
        sessionId,
        target,
        transport: "http" as const,
        outcome,
        chunks: 1,
        durationMs: 100 + i,
        firstChunkMs: 10,
      })),
    );
}

describe("GET /api/invocations/metrics: whose invocations", () => {
  const before = process.env.OPERATOR_EMAILS;
  let a: Awaited<ReturnType<typeof createAgent>>;
  let b: Awaited<ReturnType<typeof createAgent>>;
  let person: Awaited<ReturnType<typeof createUser>>;
  let owned: Awaited<ReturnType<typeof createAgent>>;
  let operator: Awaited<ReturnType<typeof createUser>>;

  beforeAll(async () => {
    a = await createAgent(conn());
    b = await createAgent(conn());
    person = await createUser(conn());
    owned = await createAgent(conn(), { ownerUserId: person.user.id });
    operator = await createUser(conn());
    process.env.OPERATOR_EMAILS = ` other@example.test, ${operator.user.email.toUpperCase()} `;
    reloadEnv();
    await invocationsOf({ agentId: a.agent.id }, "config:onboarding", 3);
    await invocationsOf({ agentId: a.agent.id }, `agent:${b.agent.id}`, 2, "TimeoutError");
    await invocationsOf({ agentId: b.agent.id }, "config:mwc", 5);
    await invocationsOf({ userId: person.user.id }, "config:mwc", 7);
    await invocationsOf({ agentId: owned.agent.id }, "config:onboarding", 11);
  });
  afterAll(() => {
    if (before === undefined) delete process.env.OPERATOR_EMAILS;
    else process.env.OPERATOR_EMAILS = before;
    reloadEnv();
  });

  const metrics = (as: { key?: string; headers?: Record<string, string> }, query = {}) =>
    call(GET, "/api/invocations/metrics", { ...as, query });

  it("shows an agent key its own invocations only", async () => {
    const res = await metrics({ key: a.key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ scope: "own", invocations: 5, ok: 3, errors: 2 });
    expect(res.body.errors_by_type).toEqual({ TimeoutError: 2 });
    expect(res.body.targets.map((t: { target: string }) => t.target).sort()).toEqual(
      ["config:onboarding", `agent:${b.agent.id}`].sort(),
    );
    // The agent it invoked sees none of that as its own.
    expect((await metrics({ key: b.key })).body).toMatchObject({ scope: "own", invocations: 5, errors: 0 });
    // A target filter stays within the caller's own.
    expect((await metrics({ key: b.key }, { target: "config:onboarding" })).body.invocations).toBe(0);
  });

  it("shows a person their own and their agents' invocations", async () => {
    const res = await metrics({ headers: person.headers });
    expect(res.body).toMatchObject({ scope: "own", invocations: 7 + 11 });
    expect((await metrics({ key: owned.key })).body.invocations).toBe(11);
  });

  it("shows an operator every caller's", async () => {
    const res = await metrics({ headers: operator.headers });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ scope: "all", invocations: 3 + 2 + 5 + 7 + 11 });
  });

  it("never gives the operator scope to a key", async () => {
    const asOperator = await resolvePrincipal(new Request("http://localhost/", { headers: operator.headers }));
    expect(asOperator?.scopes).toContain("operator");
    const ownedByOperator = await createAgent(conn(), { ownerUserId: operator.user.id });
    // A key made by an operator with the default scopes: every key scope, not the operator's.
    const { row, key } = await createAgentKey(asOperator!, ownedByOperator.agent.id, { name: "ops" });
    expect(row.scopes).not.toContain("operator");
    expect((await metrics({ key })).body.scope).toBe("own");
    // Nor can a key ask for it.
    const asked = await call(createKeyRoute, "/api/agents/me/keys", {
      key: ownedByOperator.key,
      body: { name: "x", scopes: ["operator"] },
    });
    expect(asked.status).toBe(400);
  });
});
