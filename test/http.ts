type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

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

/** Calls a Next route handler the way Next does: a Request and a context whose params are a promise. */
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
  return { status: res.status, body: parsed as T, headers: res.headers };
}
