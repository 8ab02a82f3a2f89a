import { randomBytes } from "node:crypto";
import http from "node:http";
import Stripe from "stripe";

/**
 * A protocol-faithful Stripe API endpoint for the Checkout top-up tests. It speaks what the official `stripe` library
 * sends and reads: form-encoded (`a[b][0][c]=v`) POST bodies, `Authorization: Bearer <secret key>` (401 otherwise),
 * `Idempotency-Key` (a repeated key answers the first response), JSON resources and Stripe's error envelope. It keeps
 * its Checkout Sessions, and `pay()` moves one on as a customer paying would, returning the event Stripe would send.
 * Never used in production: the library is pointed here through STRIPE_API_URL (its host/port/protocol options).
 */

export interface CheckoutSession {
  id: string;
  object: "checkout.session";
  mode: string;
  status: "open" | "complete" | "expired";
  payment_status: "unpaid" | "paid" | "no_payment_required";
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  success_url: string;
  cancel_url: string | null;
  url: string | null;
  livemode: false;
  created: number;
}

export interface StripeCall {
  method: string;
  path: string;
  status: number;
}

export interface StripeServer {
  url: string;
  sessions: Map<string, CheckoutSession>;
  calls: StripeCall[];
  /**
   * The customer pays: a card completes and is paid at once; a bank debit (`async`) completes unpaid and succeeds
   * later (call again with `settle`). Returns the event Stripe would deliver for that step.
   */
  pay(id: string, how?: "card" | "async" | "settle"): StripeEvent;
  close(): Promise<void>;
}

export interface StripeEvent {
  id: string;
  object: "event";
  type: string;
  api_version: string;
  created: number;
  livemode: false;
  pending_webhooks: number;
  request: { id: null; idempotency_key: null };
  data: { object: CheckoutSession };
}

/** A webhook delivery as Stripe makes it: the JSON payload and its Stripe-Signature, made by the library's helper. */
export function signedDelivery(
  event: StripeEvent,
  secret: string,
  timestamp = Math.floor(Date.now() / 1000),
): { payload: string; signature: string } {
  const payload = JSON.stringify(event, null, 2);
  return { payload, signature: Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }) };
}

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString("hex")}`;

/** Parses Stripe's form encoding into nested objects and arrays (numeric keys). */
export function parseStripeForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split(/\[|\]\[|\]/).filter((p) => p !== "");
    let node: Record<string, unknown> = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) {
        node[part] = value;
        return;
      }
      node[part] ??= /^\d+$/.test(path[i + 1]!) ? [] : {};
      node = node[part] as Record<string, unknown>;
    });
  }
  return root;
}

class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

function createSession(form: Record<string, unknown>): CheckoutSession {
  const need = (v: unknown, param: string): string => {
    if (typeof v !== "string" || v === "")
      throw new StripeApiError(400, "invalid_request_error", `Missing required param: ${param}.`, param);
    return v;
  };
  const mode = need(form.mode, "mode");
  const successUrl = need(form.success_url, "success_url");
  const items = form.line_items;
  if (!Array.isArray(items) || items.length === 0) {
    throw new StripeApiError(400, "invalid_request_error", "Missing required param: line_items.", "line_items");
  }
  let amount = 0;
  let currency = "";
  items.forEach((raw: Record<string, Record<string, unknown>>, i) => {
    const price = raw.price_data ?? {};
    const unit = Number(need(price.unit_amount, `line_items[${i}][price_data][unit_amount]`));
    const qty = Number(need(raw.quantity, `line_items[${i}][quantity]`));
    currency = need(price.currency, `line_items[${i}][price_data][currency]`);
    need(
      (price.product_data as Record<string, unknown> | undefined)?.name,
      `line_items[${i}][price_data][product_data][name]`,
    );
    if (!Number.isInteger(unit) || unit < 1 || !Number.isInteger(qty) || qty < 1) {
      throw new StripeApiError(400, "invalid_request_error", "Invalid integer", `line_items[${i}]`);
    }
    amount += unit * qty;
  });
  const sid = id("cs");
  return {
    id: sid,
    object: "checkout.session",
    mode,
    status: "open",
    payment_status: "unpaid",
    amount_total: amount,
    currency,
    client_reference_id: typeof form.client_reference_id === "string" ? form.client_reference_id : null,
    metadata: (form.metadata as Record<string, string> | undefined) ?? {},
    success_url: successUrl,
    cancel_url: typeof form.cancel_url === "string" ? form.cancel_url : null,
    url: `https://checkout.stripe.test/c/pay/${sid}`,
    livemode: false,
    created: Math.floor(Date.now() / 1000),
  };
}

export async function startStripeServer(opts: { secretKey: string }): Promise<StripeServer> {
  const sessions = new Map<string, CheckoutSession>();
  const calls: StripeCall[] = [];
  const idempotent = new Map<string, { status: number; body: string }>();

  const route = (method: string, path: string, body: string): unknown => {
    if (method === "POST" && path === "/v1/checkout/sessions") {
      const s = createSession(parseStripeForm(body));
      sessions.set(s.id, s);
      return s;
    }
    const m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
    if (method === "GET" && m) {
      const s = sessions.get(decodeURIComponent(m[1]!));
      if (!s) throw new StripeApiError(404, "invalid_request_error", `No such checkout.session: '${m[1]}'`, "id");
      return s;
    }
    throw new StripeApiError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      const send = (status: number, text: string) => {
        calls.push({ method: req.method ?? "", path, status });
        res.writeHead(status, { "content-type": "application/json", "request-id": id("req") });
        res.end(text);
      };
      if (req.headers.authorization !== `Bearer ${opts.secretKey}`) {
        const error = { type: "invalid_request_error", message: "Invalid API Key provided" };
        return send(401, JSON.stringify({ error }));
      }
      const key = req.method === "POST" ? req.headers["idempotency-key"] : undefined;
      const replay = typeof key === "string" ? idempotent.get(key) : undefined;
      if (replay) return send(replay.status, replay.body);
      let status = 200;
      let text: string;
      try {
        text = JSON.stringify(route(req.method ?? "GET", path, Buffer.concat(chunks).toString("utf8")));
      } catch (err) {
        if (!(err instanceof StripeApiError)) throw err;
        status = err.status;
        text = JSON.stringify({ error: { type: err.type, message: err.message, param: err.param } });
      }
      if (typeof key === "string") idempotent.set(key, { status, body: text });
      send(status, text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };

  const event = (type: string, s: CheckoutSession): StripeEvent => ({
    id: id("evt"),
    object: "event",
    type,
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object: structuredClone(s) },
  });

  return {
    url: `http://127.0.0.1:${port}`,
    sessions,
    calls,
    pay(sessionId, how = "card") {
      const s = sessions.get(sessionId);
      if (!s) throw new Error(`no session ${sessionId}`);
      if (how === "settle") {
        s.payment_status = "paid";
        return event("checkout.session.async_payment_succeeded", s);
      }
      s.status = "complete";
      s.payment_status = how === "card" ? "paid" : "unpaid";
      return event("checkout.session.completed", s);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
