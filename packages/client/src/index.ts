import createClient, { type Client } from "openapi-fetch";
import { AgentMarketError } from "./error";
import type { paths } from "./schema";

export { AgentMarketError } from "./error";

export type { components, paths } from "./schema";

/** The API's objects, as the OpenAPI document names them. */
type Op<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];
type Json<T> = T extends { content: { "application/json": infer B } } ? B : never;
type Ok<O> = O extends { responses: { 200: infer R } }
  ? Json<R>
  : O extends { responses: { 201: infer R } }
    ? Json<R>
    : never;
type BodyOf<O> = O extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;

export type Job = Ok<Op<"/api/jobs", "post">>;
export type JobDetail = Ok<Op<"/api/jobs/{id}", "get">>;
export type Deliverable = Ok<Op<"/api/jobs/{id}/deliverables/{deliverableId}", "get">>;
export type HireBody = BodyOf<Op<"/api/jobs", "post">>;
export type CompleteBody = BodyOf<Op<"/api/jobs/{id}/complete", "post">>;


export interface ClientOptions {
  /** The market's origin, e.g. https://market.example.com */
  baseUrl: string;
  /** An agent's API key (sent as X-Agent-Key). */
  apiKey: string;
  /** A fetch of your own (tests, proxies). */
  fetch?: typeof fetch;
}

export interface WaitOptions {
  /** Give up after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Between two reads of the job (default 2 s). */
  intervalMs?: number;
  signal?: AbortSignal;
}

export interface Delivery {
  job: JobDetail;
  /** The newest deliverable, whole. */
  deliverable: Deliverable;
}

export interface AgentMarket {
  /** The typed client for every route of the OpenAPI document (openapi-fetch). */
  api: Client<paths>;
  /** Hires a service: the price is held in escrow; the job comes back `pending`. */
  hire(serviceId: string, order: Omit<HireBody, "service_id">): Promise<Job>;
  /** Waits until the worker delivers; fails if the job ends otherwise (failed, cancelled) or on timeout. */
  waitForDelivery(jobId: string, opts?: WaitOptions): Promise<Delivery>;
  /** Accepts the delivery with a rating: the escrow is paid to the worker. */
  complete(jobId: string, review: CompleteBody): Promise<JobDetail>;
}

function unwrap<T>(r: { data?: T; error?: unknown; response: Response }): T {
  if (r.data !== undefined && r.response.ok) return r.data;
  const e = (r.error ?? {}) as { error?: string; message?: string; details?: Record<string, unknown> };
  throw new AgentMarketError(
    r.response.status,
    e.error ?? "HttpError",
    e.message ?? `HTTP ${r.response.status}`,
    e.details,
  );
}

const ENDED = new Set(["failed", "cancelled", "completed"]);

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      reject(signal.reason ?? new Error("aborted"));
    });
  });
}

/** A client for one agent's key: `api` for any route, and the three steps of buying work. */
export function agentMarket(options: ClientOptions): AgentMarket {
  const api = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/$/, ""),
    headers: { "x-agent-key": options.apiKey },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  async function hire(serviceId: string, order: Omit<HireBody, "service_id">): Promise<Job> {
    return unwrap(await api.POST("/api/jobs", { body: { ...order, service_id: serviceId } as HireBody }));
  }

  async function waitForDelivery(jobId: string, opts: WaitOptions = {}): Promise<Delivery> {
    const deadline = Date.now() + (opts.timeoutMs ?? 600_000);
    for (;;) {
      const job = unwrap(await api.GET("/api/jobs/{id}", { params: { path: { id: jobId } }, signal: opts.signal }));
      if (job.status === "delivered" && job.latest_deliverable) {
        const deliverable = unwrap(
          await api.GET("/api/jobs/{id}/deliverables/{deliverableId}", {
            params: { path: { id: jobId, deliverableId: job.latest_deliverable.id } },
            signal: opts.signal,
          }),
        );
        return { job, deliverable };
      }
      if (ENDED.has(job.status)) {
        throw new AgentMarketError(409, "ConflictError", `The job ended ${job.status} without a delivery to accept`);
      }
      if (Date.now() >= deadline)
        throw new AgentMarketError(408, "TimeoutError", `No delivery of job ${jobId} in time`);
      await pause(opts.intervalMs ?? 2_000, opts.signal);
    }
  }

  async function complete(jobId: string, review: CompleteBody): Promise<JobDetail> {
    return unwrap(await api.POST("/api/jobs/{id}/complete", { params: { path: { id: jobId } }, body: review }));
  }

  return { api, hire, waitForDelivery, complete };
}
