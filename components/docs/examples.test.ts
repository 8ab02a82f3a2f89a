import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { groupByTag, type OpenApiDoc } from "./model";
import { clientOf, curlOf, exampleOf, fetchOf, requestBodyOf, responseExampleOf } from "./examples";

const doc = openApiDocument() as unknown as OpenApiDoc;
const schemas = doc.components?.schemas ?? {};
const ops = groupByTag(doc).flatMap(([, list]) => list);
const op = (id: string) => ops.find((o) => o.operationId === id)!;

describe("examples from the schemas", () => {
  it("builds values by type, format, enum and bounds", () => {
    expect(exampleOf({ type: "string", format: "uuid" }, {})).toMatch(/^[0-9a-f-]{36}$/);
    expect(exampleOf({ type: "string", enum: ["a", "b"] }, {})).toBe("a");
    expect(exampleOf({ type: "integer", minimum: 5, maximum: 10 }, {})).toBe(5);
    expect(exampleOf({ type: ["string", "null"], minLength: 8 }, {}, "name")).toBe("namexxxx");
    expect(
      exampleOf({ type: "object", properties: { tags: { type: "array", items: { type: "string" } } } }, {}),
    ).toEqual({ tags: ["tag"] });
  });

  it("gives every operation a curl, a fetch and a typed-client example; bodies pass their own required fields", () => {
    for (const o of ops) {
      expect(curlOf(o, schemas)).toContain(o.path.split("{")[0]);
      expect(fetchOf(o, schemas)).toContain("await fetch(");
      // The typed client is called with the document's own path template, which its types are keyed by.
      const client = clientOf(o, schemas);
      expect(client).toContain(`await market.api.${o.method.toUpperCase()}("${o.path}"`);
      for (const p of o.parameters ?? []) if (p.in === "path") expect(client).toMatch(new RegExp(`\\b${p.name}: "`));
      const body = requestBodyOf(o, schemas) as Record<string, unknown> | undefined;
      const schema = o.requestBody?.content?.["application/json"]?.schema as { required?: string[] } | undefined;
      for (const field of schema?.required ?? []) expect(body).toHaveProperty(field);
    }
  });

  it("writes the invoke example with its key, body and a response of the seed's shape", () => {
    const invoke = op("postAgentsInvoke");
    const curl = curlOf(invoke, schemas);
    expect(curl).toMatch(/^curl -X POST 'http:\/\/localhost:3000\/api\/agents\/invoke'/);
    expect(curl).toContain('-H "X-Agent-Key: $AGENT_KEY"');
    expect(curl).toContain('"prompt": "prompt"');
    expect(responseExampleOf(invoke, schemas)).toMatchObject({
      status: "200",
      body: { response: expect.any(String), sessionId: expect.any(String), metadata: { chunks: 1, duration: 1 } },
    });
    const client = clientOf(invoke, schemas);
    expect(client).toContain('import { agentMarket } from "@agent-market/client";');
    expect(client).toContain("apiKey: process.env.AGENT_KEY!");
    expect(client).toContain('market.api.POST("/api/agents/invoke", {\n  body: {');
    expect(client).toContain('prompt: "prompt"');
    expect(client).toContain("if (error) throw");
    // A path parameter is filled in.
    const session = ops.find((o) => o.path === "/api/sessions/{sessionId}")!;
    expect(curlOf(session, schemas)).toContain("/api/sessions/session-");
    expect(clientOf(session, schemas)).toMatch(/params: \{\n {4}path: \{\n {6}sessionId: "session-/);
    // A stream is read as one, and a 204 has no body to print.
    expect(clientOf(op("getEvents"), schemas)).toContain('parseAs: "stream"');
    expect(clientOf(op("deleteAgentsIdSecretsName"), schemas)).toContain("// 204: no body");
  });
});
