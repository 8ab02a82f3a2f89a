import { z } from "zod";
import type { RouteContract } from "@/lib/api/contract";
import { errorBodySchema } from "@/lib/api/errors";

export type Handler = ((req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>) & {
  /** Set by withApi (lib/api/handler.ts): what the route documents. */
  readonly contract?: RouteContract;
};

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** Raw body text (sent as is); wins over `body`. */
  rawBody?: string;
  key?: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
}

export interface CallResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Paths of the fields of `raw` that the parsed value dropped: present in the answer, absent from the document. */
function undocumented(parsed: unknown, raw: unknown, at: string): string[] {
  if (Array.isArray(raw) && Array.isArray(parsed))
    return raw.flatMap((v, i) => undocumented(parsed[i], v, `${at}[${i}]`));
  if (raw && typeof raw === "object" && parsed && typeof parsed === "object" && !Array.isArray(raw)) {
    return Object.entries(raw).flatMap(([k, v]) =>
      k in parsed ? undocumented((parsed as Record<string, unknown>)[k], v, `${at}.${k}`) : [`${at}.${k}`],
    );
  }
  return [];
}

/**
 * Checks a JSON answer against the route's contract: a success against its response schema, an error against
 * the one error format (an event stream: each event's data against the response schema). Throws, naming the
 * route and the differences, when the document does not tell the truth.
 */
export function checkAgainstContract(contract: RouteContract, status: number, body: unknown): void {
  const route = `${contract.method} ${contract.path}`;
  const schema = contract.otherResponses?.[status]?.schema ?? (status >= 400 ? errorBodySchema : contract.response);
  if (!schema) throw new Error(`${route} answered ${status} with JSON, but its contract documents no response`);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new Error(
      `${route} answered ${status} with a body its contract does not describe:\n${z.prettifyError(parsed.error)}`,
    );
  }
  const extra = undocumented(parsed.data, body, "body");
  if (extra.length) {
    throw new Error(`${route} answered ${status} with fields its contract does not document: ${extra.join(", ")}`);
  }
}

/**
 * Calls a Next route handler the way Next does: a Request and a context whose params are a promise. A JSON
 * answer of a withApi route is checked against the route's contract (see checkAgainstContract), so every route
 * test also proves the OpenAPI document.
 */
export async function call<T = any>(handler: Handler, path: string, opts: CallOptions = {}): Promise<CallResult<T>> {
  const url = new URL(path, "http://localhost");
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  const headers = new Headers(opts.headers);
  if (opts.key) headers.set("x-agent-key", opts.key);
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
  const req = new Request(url, { method: opts.method ?? (body !== undefined ? "POST" : "GET"), headers, body });
  const res = await handler(req, { params: Promise.resolve(opts.params ?? {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (SSE, HTML): keep the text
  }
  const json = /^application\/json\b/i.test(res.headers.get("content-type") ?? "");
  if (handler.contract && json) checkAgainstContract(handler.contract, res.status, parsed);
  return { status: res.status, body: parsed as T, headers: res.headers };
}
