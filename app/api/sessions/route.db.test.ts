import { describe, expect, it } from "vitest";
import { inTransaction } from "@/lib/db";
import { claimSession, recordInvocation } from "@/lib/invoke/sessions";
import { createAgent } from "@/test/fixtures/invoke";
import { generateSessionId } from "@/lib/invoke/transports/session-id";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { GET as getOne } from "./[sessionId]/route";
import { GET } from "./route";

const db = setupTestDatabase();

describe("GET /api/sessions", () => {
  it("pages through the caller's sessions, most recently used first, filtered by agent", async () => {
    const conn = db.current.database.db;
    const me = await createAgent(conn);
    const someoneElse = await createAgent(conn);
    const market = await createAgent(conn);
    const mine: string[] = [];
    for (let i = 0; i < 7; i++) {
      const target = i % 2 ? "config:mwc" : `agent:${market.id}`;
      const { sessionId } = await claimSession(conn, {
        target,
        agentId: i % 2 ? null : market.id,
        requestedAgentId: i % 2 ? "mwc" : market.id,
        caller: { agentId: me.id, userId: null },
        title: `session ${i}`,
      });
      mine.push(sessionId);
      await inTransaction((tx) =>
        recordInvocation(tx, {
          sessionId,
          target,
          transport: "ws",
          outcome: "ok",
          chunks: 1,
          durationMs: 5,
          firstChunkMs: 2,
          answered: true,
          prompt: `prompt ${i}`,
          answer: `answer ${i}`,
        }),
      );
    }
    await claimSession(conn, {
      sessionId: generateSessionId(),
      target: "config:mwc",
      agentId: null,
      requestedAgentId: "mwc",
      caller: { agentId: someoneElse.id, userId: null },
      title: "not mine",
    });

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(GET, "/api/sessions", { key: me.key, query: { limit: 3, cursor } });
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.data.map((s: { session_id: string }) => s.session_id));
      cursor = page.body.next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...mine].reverse());

    const mwc = await call(GET, "/api/sessions", { key: me.key, query: { agent_id: "mwc" } });
    expect(mwc.body.data.map((s: { session_id: string }) => s.session_id)).toEqual(
      mine.filter((_, i) => i % 2).reverse(),
    );
    const byAgent = await call(GET, "/api/sessions", { key: me.key, query: { agent_id: market.id } });
    expect(byAgent.body.data).toHaveLength(4);
    expect(byAgent.body.data[0]).toMatchObject({ agent_id: market.id, invocation_count: 1, title: "session 6" });

    const one = await call(getOne, `/api/sessions/${mine[0]}`, { key: me.key, params: { sessionId: mine[0]! } });
    expect(one.body).toMatchObject({
      session_id: mine[0],
      invocation_count: 1,
      invocations: [{ outcome: "ok", chunks: 1, duration_ms: 5, prompt: "prompt 0", answer: "answer 0" }],
    });
    expect(
      (await call(getOne, `/api/sessions/${mine[0]}`, { key: someoneElse.key, params: { sessionId: mine[0]! } }))
        .status,
    ).toBe(404);
    expect((await call(GET, "/api/sessions", { key: me.key, query: { cursor: "garbage" } })).status).toBe(400);
    expect((await call(GET, "/api/sessions")).status).toBe(401);
  });
});
