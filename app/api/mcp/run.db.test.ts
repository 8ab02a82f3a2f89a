import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpError, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as servicesRoute from "@/app/api/services/route";
import { executeAsyncSchema } from "@/lib/api/contracts/execute";
import { executionSchema, logLineSchema } from "@/lib/api/contracts/executions";
import { invokeResponse } from "@/lib/api/contracts/invoke";
import { deliverableSchema, jobDetailSchema, jobSchema } from "@/lib/api/contracts/jobs";
import { serviceSchema } from "@/lib/api/contracts/services";
import { pageSchema } from "@/lib/api/pagination";
import { startHostedAgent, type RunningAgent } from "@/test/doubles/agentcore/agent-host";
import { setupFakeAgentsAndWorker, type FakeAgent } from "@/test/fixtures/execute";
import { createExecution } from "@/test/fixtures/invoke";
import { fund } from "@/test/fixtures/ledger";
import { createAgent, type AgentFixture } from "@/test/fixtures/market";
import { waitFor } from "@/test/fixtures/runtime";
import { call } from "@/test/http";
import { setupTestDatabase } from "@/test/db";
import { serveRoute, type ServedRoute } from "@/test/serve-route";
import { POST } from "./route";

/**
 * The MCP tools that run agents (invoke_agent, execute_agent, get_execution) and the resources (a job's
 * deliverables, an execution's logs), through the official SDK client against the served route, with a real
 * execution worker and deployed agent; and an auto-fulfilled service hired and collected with nobody on its side.
 */

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

let served: ServedRoute;
const clients: Client[] = [];
const fakes = setupFakeAgentsAndWorker();

beforeAll(async () => {
  served = await serveRoute({ POST });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await served.close();
});

async function connect(key: string): Promise<Client> {
  const c = new Client({ name: "run-test", version: "1.0.0" });
  clients.push(c);
  const headers = { authorization: `Bearer ${key}` };
  await c.connect(new StreamableHTTPClientTransport(new URL(`${served.url}/api/mcp`), { requestInit: { headers } }));
  return c;
}

async function ok<T>(c: Client, name: string, args: Record<string, unknown>, schema: { parse(v: unknown): T }) {
  const result = (await c.callTool({ name, arguments: args })) as CallToolResult;
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return schema.parse(result.structuredContent);
}

async function failedStatus(c: Client, name: string, args: Record<string, unknown>): Promise<number> {
  const result = (await c.callTool({ name, arguments: args })) as CallToolResult;
  expect(result.isError).toBe(true);
  const [text] = result.content;
  return text?.type === "text" ? (JSON.parse(text.text) as { status: number }).status : 0;
}

async function readJson<T>(c: Client, uri: string, schema: { parse(v: unknown): T }): Promise<T> {
  const { contents } = await c.readResource({ uri });
  const [first] = contents;
  expect(first?.mimeType).toBe("application/json");
  return schema.parse(JSON.parse(String(first && "text" in first ? first.text : "")));
}

const readError = (c: Client, uri: string) =>
  c.readResource({ uri }).then(
    () => {
      throw new Error(`${uri} was readable`);
    },
    (e: unknown) => e as McpError,
  );

const { startWorker, deploy: fakeAgent } = fakes;

describe("MCP: running agents", () => {
  it("lists the run tools with the REST contracts' schemas, and the resource templates", async () => {
    const me = await createAgent(db());
    const c = await connect(me.key);
    const { tools } = await c.listTools();
    const execute = tools.find((t) => t.name === "execute_agent");
    expect(Object.keys(execute?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(["agent_id", "input_data", "execution_options", "execution_id"]),
    );
    expect(Object.keys(execute?.outputSchema?.properties ?? {})).toEqual(
      expect.arrayContaining(["execution_id", "status", "status_url"]),
    );
    const invoke = tools.find((t) => t.name === "invoke_agent");
    expect(invoke?.inputSchema.required).toEqual(expect.arrayContaining(["agentId", "prompt"]));
    expect(tools.find((t) => t.name === "get_execution")?.annotations?.readOnlyHint).toBe(true);
    const { resourceTemplates } = await c.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual([
      "agentmarket://executions/{execution_id}/logs{?cursor,limit}",
      "agentmarket://jobs/{job_id}/deliverables/{deliverable_id}",
      "agentmarket://jobs/{job_id}/deliverables{?cursor,limit,order}",
    ]);
  });

  it("execute_agent answers at once with the id; get_execution follows it to the result; the logs are a resource", async () => {
    const agent = await fakeAgent();
    const c = await connect(agent.key);
    // No worker yet: the answer cannot have waited for the run.
    const queued = await ok(
      c,
      "execute_agent",
      { agent_id: agent.agentId, input_data: { parameters: { text: "hi" } } },
      executeAsyncSchema,
    );
    expect(queued.status).toBe("queued");
    expect(queued.status_url).toBe(`${served.url}/api/agents/${agent.agentId}/executions/${queued.execution_id}`);

    await startWorker();
    const done = await waitFor(async () => {
      const r = await ok(c, "get_execution", { execution_id: queued.execution_id }, executionSchema);
      return r.status === "completed" ? r : undefined;
    }, "the execution to complete");
    expect(done.result.output).toEqual({ echo: { text: "hi" } });

    const logs = await readJson(
      c,
      `agentmarket://executions/${queued.execution_id}/logs?limit=50`,
      pageSchema(logLineSchema),
    );
    expect(logs.data.map((l) => l.line)).toContain("done");

    // Another caller learns nothing of it: REST's 404, as a tool error and as MCP's resource-not-found.
    const stranger = await connect((await createAgent(db())).key);
    expect(await failedStatus(stranger, "get_execution", { execution_id: queued.execution_id })).toBe(404);
    const err = await readError(stranger, `agentmarket://executions/${queued.execution_id}/logs`);
    expect(err).toBeInstanceOf(McpError);
    expect(err.code).toBe(-32002);
    expect(err.data).toMatchObject({ status: 404, error: "NotFoundError" });
    // A bad page size is REST's 400.
    const bad = await readError(c, `agentmarket://executions/${queued.execution_id}/logs?limit=5000`);
    expect(bad.data).toMatchObject({ status: 400, error: "ValidationError" });
  });

  it("execute_agent needs the execute scope, as the REST route does", async () => {
    const agent = await fakeAgent();
    const reader = await createAgent(db(), { scopes: ["jobs:read", "executions:read"] });
    const c = await connect(reader.key);
    expect(await failedStatus(c, "execute_agent", { agent_id: agent.agentId })).toBe(403);
  });

  describe("invoke_agent", () => {
    let hosted: RunningAgent;
    beforeAll(async () => {
      hosted = await startHostedAgent({ artifact: "text-stats" });
    });
    afterAll(async () => hosted?.stop());

    it("answers an invocation with the invoke contract and continues the session", async () => {
      const owner = await createAgent(db());
      const caller = await createAgent(db());
      const executionId = await createExecution(db(), {
        agentId: owner.agent.id,
        startedByAgentId: caller.agent.id,
        endpoint: hosted.origin,
      });
      const c = await connect(caller.key);
      const first = await ok(c, "invoke_agent", { agentId: executionId, prompt: "run words" }, invokeResponse);
      expect(first.response).toMatch(/^turn 1: 2 words/);
      const second = await ok(
        c,
        "invoke_agent",
        { agentId: executionId, prompt: "run words", sessionId: first.sessionId },
        invokeResponse,
      );
      expect(second.response).toMatch(/^turn 2: /);
      expect(second.sessionId).toBe(first.sessionId);
      // Another caller may not invoke it (REST's 404), nor a key without the invoke scope (403).
      const stranger = await connect((await createAgent(db())).key);
      expect(await failedStatus(stranger, "invoke_agent", { agentId: executionId, prompt: "x" })).toBe(404);
      const noScope = await connect((await createAgent(db(), { scopes: ["jobs:read"] })).key);
      expect(await failedStatus(noScope, "invoke_agent", { agentId: executionId, prompt: "x" })).toBe(403);
    });
  });
});

async function autoService(agent: FakeAgent) {
  const res = await call(servicesRoute.POST, "/api/services", {
    key: agent.key,
    body: { name: "Echo, auto", price_usd: 10, output_type: "json", fulfilment: "auto" },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return serviceSchema.parse(res.body);
}

describe("MCP: an auto-fulfilled service, no human in the loop", () => {
  it("hires, follows the job to delivered, reads the deliverable resources and completes", async () => {
    const seller = await fakeAgent();
    const service = await autoService(seller);
    const buyer: AgentFixture = await createAgent(db(), { name: "MCP buyer" });
    await fund(buyer, 10_000);
    await startWorker();
    const c = await connect(buyer.key);

    const job = await ok(
      c,
      "hire_service",
      { service_id: service.id, title: "Echo via MCP", input_data: { text: "mcp" }, max_price: 10 },
      jobSchema,
    );
    const delivered = await waitFor(async () => {
      const j = await ok(c, "get_job", { job_id: job.id }, jobDetailSchema);
      return j.status === "delivered" ? j : undefined;
    }, "the agent's delivery");
    expect(delivered.actions).toContain("complete");

    const list = await readJson(c, `agentmarket://jobs/${job.id}/deliverables`, pageSchema(deliverableSchema));
    expect(list.data).toHaveLength(1);
    const d = list.data[0]!;
    const { contents } = await c.readResource({ uri: `agentmarket://jobs/${job.id}/deliverables/${d.id}` });
    expect(contents[0]?.mimeType).toBe("application/json");
    expect(JSON.parse(String(contents[0] && "text" in contents[0] ? contents[0].text : ""))).toEqual({
      echo: { text: "mcp" },
    });

    const done = await ok(c, "complete_job", { job_id: job.id, rating: 5 }, jobDetailSchema);
    expect(done).toMatchObject({ status: "completed", rating: 5 });

    // The deliverables are the parties' only: another agent gets MCP's resource-not-found; a key without the
    // route's scope REST's 403.
    const stranger = await connect((await createAgent(db())).key);
    expect((await readError(stranger, `agentmarket://jobs/${job.id}/deliverables`)).code).toBe(-32002);
    const noScope = await connect((await createAgent(db(), { scopes: ["invoke"] })).key);
    const denied = await readError(noScope, `agentmarket://jobs/${job.id}/deliverables/${d.id}`);
    expect(denied.data).toMatchObject({ status: 403, error: "AuthorizationError" });
  });
});
