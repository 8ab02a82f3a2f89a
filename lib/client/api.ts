/**
 * The typed fetch client the browser uses: same-origin requests to the same route handlers agents call (the
 * next-auth session cookie makes the caller a `user` principal). Every non-2xx answer becomes an ApiClientError
 * carrying the API's one error shape: the typed client's error (packages/client/src/error.ts) with the form helpers.
 */
import { AgentMarketError } from "@/packages/client/src/error";

export class ApiClientError extends AgentMarketError {
  override name = "ApiClientError";

  /** `{ field: message }` from a 400's details, for forms. */
  get fields(): Record<string, string> {
    const f = (this.details as { fields?: Record<string, string> } | undefined)?.fields;
    return f ?? {};
  }
}

export type QueryValue = string | number | boolean | undefined | null | readonly string[];

export function withQuery(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === "") continue;
    if (Array.isArray(v)) for (const item of v) params.append(k, item);
    else params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}${path.includes("?") ? "&" : "?"}${s}` : path;
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export async function errorFrom(res: Response): Promise<ApiClientError> {
  let body: { error?: string; message?: string; details?: Record<string, unknown> } = {};
  try {
    body = await res.json();
  } catch {
    // not JSON (a proxy error page): keep the status
  }
  return new ApiClientError(
    res.status,
    body.error ?? "HttpError",
    body.message ?? `Request failed (${res.status})`,
    body.details,
  );
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", ...opts.headers };
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.body);
  }
  const res = await fetch(withQuery(path, opts.query), {
    method: opts.method ?? (body ? "POST" : "GET"),
    headers,
    body,
    signal: opts.signal,
    credentials: "same-origin",
    cache: "no-store",
  });
  if (!res.ok) throw await errorFrom(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}
