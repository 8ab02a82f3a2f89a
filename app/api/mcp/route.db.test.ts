import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobDetailSchema, jobSchema } from "@/lib/api/contracts/jobs";
import { serviceSchema } from "@/lib/api/contracts/services";
import { walletSchema } from "@/lib/api/contracts/wallet";
import { errorBodySchema } from "@/lib/api/errors";
import { pageSchema } from "@/lib/api/pagination";
import { MCP_TOOLS } from "@/lib/protocols/mcp/tools";
import { createAgent, setupHiringTest, type AgentFixture } from "@/test/fixtures/market";
import { serveRoute, type ServedRoute } from "@/test/serve-route";
import { POST } from "./route";

const { db, worker, client, service } = setupHiringTest();

let served: ServedRoute;
const clients: Client[] = [];

beforeAll(async () => {
  // As Next serves the route: only POST is exported, other methods are 405; answers are checked against mcpRoute.
  served = await serveRoute({ POST });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await served.close();
});

const endpoint = () => new URL(`${served.url}/api/mcp`);

/** The official SDK client, connected with an agent's key as the bearer token. */
async function connect(as: AgentFixture): Promise<Client> {
  const c = new Client({ name: "route-test", version: "1.0.0" });
  clients.push(c);
  await c.connect(
    new StreamableHTTPClientTransport(endpoint(), { requestInit: { headers: { authorization: `Bearer ${as.key}` } } }),
  );
  return c;
}

/** Calls a tool that must succeed; its structured content, parsed with the REST route's response schema. */
async function ok<T>(c: Client, name: string, args: Record<string, unknown>, schema: { parse(v: unknown): T }) {
  const result = (await c.callTool({ name, arguments: args })) as CallToolResult;
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return schema.parse(result.structuredContent);
}

/** Calls a tool that must fail; the REST error body it carries. */
async function failed(c: Client, name: string, args: Record<string, unknown>) {
  const result = (await c.callTool({ name, arguments: args })) as CallToolResult;
  expect(result.isError).toBe(true);
  const [text] = result.content;
  if (text?.type !== "text") throw new Error("an error result carries its body as text");
  const body = JSON.parse(text.text) as { status: number };
  return { status: body.status, ...errorBodySchema.parse(body) };
}

describe("the MCP server at /api/mcp", () => {
  it("lists every tool with an input and an output schema", async () => {
    const c = await connect(client);
    const { tools } = await c.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(MCP_TOOLS.map((t) => t.name).sort());
    for (const t of tools) {
      expect(t.inputSchema.type, t.name).toBe("object");
      expect(t.outputSchema?.type, t.name).toBe("object");
      expect(t.description, t.name).toBeTruthy();
    }
    const hire = tools.find((t) => t.name === "hire_service");
    expect(Object.keys(hire?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(["service_id", "title", "input_data", "max_price"]),
    );
    expect(hire?.inputSchema.required).toEqual(expect.arrayContaining(["service_id", "title"]));
    expect(hire?.annotations?.readOnlyHint).toBe(false);
    expect(tools.find((t) => t.name === "get_job")?.annotations?.readOnlyHint).toBe(true);
  });

  it("searches, hires, and takes the job through delivery to completion", async () => {
    const buyer = await connect(client);
    const seller = await connect(worker);

    const found = await ok(buyer, "search_services", { agent_id: worker.agent.id }, pageSchema(serviceSchema));
    expect(found.data.map((s) => s.id)).toContain(service.id);

    const job = await ok(
      buyer,
      "hire_service",
      { service_id: service.id, title: "MCP job", input_data: { topic: "mcp" }, max_price: service.priceCents / 100 },
      jobSchema,
    );
    expect(job).toMatchObject({ status: "pending", price_usd: service.priceCents / 100, title: "MCP job" });

    expect(await ok(seller, "start_job", { job_id: job.id }, jobDetailSchema)).toMatchObject({
      status: "in_progress",
    });
    const delivered = await ok(seller, "deliver_job", { job_id: job.id, content: "the report" }, jobDetailSchema);
    expect(delivered).toMatchObject({ status: "delivered", viewer_role: "worker" });

    const seen = await ok(buyer, "get_job", { job_id: job.id }, jobDetailSchema);
    expect(seen).toMatchObject({
      status: "delivered",
      viewer_role: "client",
      actions: expect.arrayContaining(["complete"]),
    });
    expect(seen.latest_deliverable?.content).toBe("the report");

    const done = await ok(buyer, "complete_job", { job_id: job.id, rating: 5 }, jobDetailSchema);
    expect(done).toMatchObject({ status: "completed", rating: 5 });
  });

  it("refuses a hire above max_price before any job exists", async () => {
    const buyer = await connect(client);
    const err = await failed(buyer, "hire_service", {
      service_id: service.id,
      title: "Too dear",
      max_price: service.priceCents / 100 / 2,
    });
    expect(err).toMatchObject({ status: 422, error: "UnprocessableError", details: { reason: "price_above_max" } });
    const mine = await ok(buyer, "list_my_jobs", { role: "client" }, pageSchema(jobSchema));
    expect(mine.data.map((j) => j.title)).not.toContain("Too dear");
  });

  it("hires once per idempotency key, and the wallet shows the price held in escrow", async () => {
    const buyer = await connect(client);
    const before = await ok(buyer, "wallet_balance", {}, walletSchema);
    const hire = { service_id: service.id, title: "Once", idempotency_key: "mcp-once-1" };
    const first = await ok(buyer, "hire_service", hire, jobSchema);
    const retry = await ok(buyer, "hire_service", hire, jobSchema);
    expect(retry.id).toBe(first.id);
    const after = await ok(buyer, "wallet_balance", {}, walletSchema);
    expect(after.held_in_escrow - before.held_in_escrow).toBe(service.priceCents);
    expect(before.available - after.available).toBe(service.priceCents);
  });

  it("refuses a NUL in a tool's arguments as REST refuses it in a body", async () => {
    const buyer = await connect(client);
    const err = await failed(buyer, "send_message", { job_id: service.id, body: "a\u0000b" });
    expect(err).toMatchObject({
      status: 400,
      error: "ValidationError",
      details: { fields: { body: expect.any(String) } },
    });
  });

  it("answers a tool call without the route's scope with the REST scope error", async () => {
    const readOnly = await createAgent(db(), { scopes: ["jobs:read"] });
    const c = await connect(readOnly);
    const err = await failed(c, "hire_service", { service_id: service.id, title: "No scope" });
    expect(err).toEqual({
      status: 403,
      error: "AuthorizationError",
      message: "This API key lacks the scope jobs:write",
      details: { missing_scopes: ["jobs:write"] },
    });
    // What the key may do still works.
    expect((await ok(c, "list_my_jobs", {}, pageSchema(jobSchema))).data).toEqual([]);
  });

  it("answers 401 with WWW-Authenticate without a key, and the SDK client cannot connect", async () => {
    const res = await fetch(endpoint(), {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
    expect(errorBodySchema.parse(await res.json()).error).toBe("AuthenticationError");

    const anonymous = new Client({ name: "route-test", version: "1.0.0" });
    const refused = await anonymous.connect(new StreamableHTTPClientTransport(endpoint())).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StreamableHTTPError);
    expect(refused).toMatchObject({ code: 401, message: expect.stringContaining("AuthenticationError") });
  });
});
