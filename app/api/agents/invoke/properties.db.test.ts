import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reloadEnv } from "@/lib/env";
import { setAgentCoreClient } from "@/lib/invoke/client";
import { createAgent } from "@/test/fixtures/invoke";
import { allEvents } from "@/test/fixtures/sse";
import { MARKDOWN_ARN, setupAgentCore, TEXT_STATS_ARN } from "@/test/fixtures/agentcore";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { POST } from "./route";

const db = setupTestDatabase();
const agentcore = setupAgentCore();
let caller: { key: string };
let marketplace: { id: string };

beforeAll(async () => {
  process.env.ONBOARDING_AGENT_ARN = MARKDOWN_ARN;
  process.env.MWC_AGENT_ARN = TEXT_STATS_ARN;
  process.env.INVOKE_MAX_CONCURRENT_PER_CALLER = "100";
  reloadEnv();
  setAgentCoreClient(agentcore.client());
  caller = await createAgent(db.current.database.db);
  marketplace = await createAgent(db.current.database.db, {
    runtime: { kind: "agentcore", runtime_arn: MARKDOWN_ARN, transport: "http" },
  });
});
afterAll(() => setAgentCoreClient(undefined));

describe("Feature: backend-agentcore-integration", () => {
  it("Feature: backend-agentcore-integration, Property 9: Backward Compatibility - any valid request to /api/agents/invoke is answered with the existing contract (response and sessionId)", async () => {
    const target = fc.constantFrom("onboarding", "Onboarding", "onboarding-agent", "mwc", "MWCAgent", "marketplace");
    // Prompts the demo agents accept: some non-blank text.
    const prompt = fc.string({ minLength: 1, maxLength: 120 }).filter((p) => /[\p{L}\p{N}]/u.test(p));
    const sessionId = fc.option(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{32,64}$/), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(target, prompt, sessionId, fc.boolean(), async (t, p, sid, stream) => {
        const agentId = t === "marketplace" ? marketplace.id : t;
        // A session belongs to one agent: a generated id that repeats across agents is prefixed apart.
        const sessionKey = t === "marketplace" ? "m" : t.toLowerCase().startsWith("mwc") ? "w" : "o";
        const sent = sid ? `${sessionKey}${sid}` : undefined;
        const body = { agentId, prompt: p, ...(sent ? { sessionId: sent } : {}) };
        if (stream) {
          const res = await POST(
            new Request("http://localhost/api/agents/invoke", {
              method: "POST",
              headers: { "content-type": "application/json", accept: "text/event-stream", "x-agent-key": caller.key },
              body: JSON.stringify(body),
            }),
            { params: Promise.resolve({}) },
          );
          expect(res.status).toBe(200);
          const evs = await allEvents(res);
          const done = evs.at(-1)!;
          expect(done.event).toBe("done");
          const data = done.data as { sessionId: string; metadata: { chunks: number; duration: number } };
          expect(evs.slice(0, -1).every((e) => e.event === "chunk")).toBe(true);
          expect(data.metadata.chunks).toBe(evs.length - 1);
          if (sent) expect(data.sessionId).toBe(sent);
          else expect(data.sessionId.length).toBeGreaterThanOrEqual(33);
          return;
        }
        const res = await call(POST, "/api/agents/invoke", { body, key: caller.key });
        expect(res.status).toBe(200);
        expect(Object.keys(res.body).sort()).toEqual(["metadata", "response", "sessionId"]);
        expect(typeof res.body.response).toBe("string");
        expect(res.body.response.length).toBeGreaterThan(0);
        if (sent) expect(res.body.sessionId).toBe(sent);
        else expect(res.body.sessionId.length).toBeGreaterThanOrEqual(33);
        expect(Number.isInteger(res.body.metadata.chunks)).toBe(true);
        expect(res.body.metadata.chunks).toBeGreaterThan(0);
        expect(Number.isInteger(res.body.metadata.duration)).toBe(true);
        expect(Object.keys(res.body.metadata).sort()).toEqual(["chunks", "duration"]);
      }),
      { numRuns: 100 },
    );
  });
});
