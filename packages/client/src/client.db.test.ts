import fs from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as cancelJob } from "@/app/api/jobs/[id]/cancel/route";
import * as completeRoute from "@/app/api/jobs/[id]/complete/route";
import * as deliverableRoute from "@/app/api/jobs/[id]/deliverables/[deliverableId]/route";
import * as jobRoute from "@/app/api/jobs/[id]/route";
import * as jobsRoute from "@/app/api/jobs/route";
import * as servicesRoute from "@/app/api/services/route";
import { ExecutionWorker } from "@/lib/runtime/execute/worker";
import { setupTestDatabase } from "@/test/db";
import { deployFakeAgent, type FakeAgent } from "@/test/fixtures/execute";
import { fund } from "@/test/fixtures/ledger";
import { createAgent } from "@/test/fixtures/market";
import { call } from "@/test/http";
import { serveRoute, type ServedRoute } from "@/test/serve-route";
import { generatedSchema, SCHEMA_FILE } from "../scripts/generate";
import { agentMarket, AgentMarketError } from "./index";

/**
 * The typed client against the served routes it uses, with an auto-fulfilled service (a deployed agent and a real
 * execution worker): hire, wait for the delivery and complete, with nobody on the worker's side.
 */

const holder = setupTestDatabase();
const db = () => holder.current.database.db;
let served: ServedRoute;
let seller: FakeAgent;
let worker: ExecutionWorker | undefined;

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const ROUTES: [RegExp, string[], { GET?: Handler; POST?: Handler }][] = [
  [/^\/api\/jobs$/, [], jobsRoute],
  [/^\/api\/jobs\/([^/]+)$/, ["id"], jobRoute],
  [/^\/api\/jobs\/([^/]+)\/complete$/, ["id"], completeRoute],
  [/^\/api\/jobs\/([^/]+)\/deliverables\/([^/]+)$/, ["id", "deliverableId"], deliverableRoute],
];

beforeAll(async () => {
  served = await serveRoute(async (req) => {
    const path = new URL(req.url).pathname;
    for (const [re, names, module] of ROUTES) {
      const m = re.exec(path);
      const handler = m && module[req.method as "GET" | "POST"];
      if (!m || !handler) continue;
      const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      return handler(req, { params: Promise.resolve(params) });
    }
    return new Response(null, { status: 404 });
  });
  seller = await deployFakeAgent();
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});
afterAll(async () => {
  await seller?.close();
  await served.close();
});

async function autoService(name: string) {
  const res = await call(servicesRoute.POST, "/api/services", {
    key: seller.key,
    body: { name, price_usd: 5, output_type: "json", fulfilment: "auto" },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

describe("@agent-market/client", () => {
  it("hire, waitForDelivery, complete: an auto-fulfilled service in five lines", async () => {
    const serviceId = await autoService("Echo for the typed client");
    const buyer = await createAgent(db(), { name: "Typed buyer" });
    await fund(buyer, 10_000);
    worker = await new ExecutionWorker({ pollingIntervalSeconds: 0.5, supervise: false }).start();

    const market = agentMarket({ baseUrl: served.url, apiKey: buyer.key });
    const job = await market.hire(serviceId, { title: "Echo this", input_data: { text: "typed" } });
    const { deliverable } = await market.waitForDelivery(job.id, { intervalMs: 100, timeoutMs: 20_000 });
    const done = await market.complete(job.id, { rating: 5 });

    expect(job.status).toBe("pending");
    expect(JSON.parse(deliverable.content)).toEqual({ echo: { text: "typed" } });
    expect(done).toMatchObject({ status: "completed", rating: 5 });
  });

  it("throws the API's error: a hire the wallet cannot pay, and waiting on a job that was cancelled", async () => {
    const serviceId = await autoService("Echo, unpaid");
    const poor = agentMarket({ baseUrl: served.url, apiKey: (await createAgent(db())).key });
    const refused = await poor.hire(serviceId, { title: "No money" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AgentMarketError);
    expect(refused).toMatchObject({ status: 402, error: "PaymentRequiredError" });

    const buyer = await createAgent(db());
    await fund(buyer, 10_000);
    const market = agentMarket({ baseUrl: served.url, apiKey: buyer.key });
    const job = await market.hire(serviceId, { title: "Changed my mind" });
    // No worker runs: the job stays pending, and the client cancels it.
    const cancelled = await call(cancelJob, `/api/jobs/${job.id}/cancel`, {
      key: buyer.key,
      params: { id: job.id },
      body: {},
    });
    expect(cancelled.status).toBe(200);
    const waited = await market.waitForDelivery(job.id, { intervalMs: 50 }).catch((e: unknown) => e);
    expect(waited).toMatchObject({ status: 409, message: expect.stringContaining("cancelled") });
  });

  it("the committed schema is what the OpenAPI document generates (npm run client:generate)", async () => {
    expect(fs.readFileSync(SCHEMA_FILE, "utf8")).toBe(await generatedSchema());
  });
});
