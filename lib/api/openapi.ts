import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  extendZodWithOpenApi,
  type RouteConfig,
} from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { env } from "@/lib/env";
import "./contracts";
import { registeredRoutes, type RouteContract } from "./contract";
import { errorBodySchema } from "./errors";
import { IDEMPOTENCY_HEADER, KEEP_HOURS, REPLAYED_HEADER, takesIdempotencyKey } from "./idempotency";
import { describeRateLimit } from "./rate-limit-policies";

// The generator reads metadata through `.openapi()`, which this adds to zod's prototypes (once, idempotent).
extendZodWithOpenApi(z);

/** Routes with this tag are for operators and benchmarks, not clients: kept out of the document. */
export const INTERNAL_TAG = "internal";

type OpenApiDocument = ReturnType<OpenApiGeneratorV31["generateDocument"]>;

const ERROR_TEXT: Record<number, string> = {
  400: "Invalid input (ValidationError); `details.fields` names each bad field",
  401: "No or bad credentials (AuthenticationError)",
  403: "The credentials lack a scope or the caller may not do this (AuthorizationError)",
  404: "Not found, or not visible to the caller (NotFoundError)",
  402: "Not enough available balance; details carry the shortfall in cents (PaymentRequiredError)",
  409: "Illegal state transition or conflict (ConflictError)",
  413: "Request body too large (PayloadTooLargeError)",
  422: "Well-formed but unprocessable (UnprocessableError)",
  429: "Too many requests (RateLimitError); see Retry-After",
  500: "Our fault (InternalError)",
  502: "An upstream host failed",
  503: "Temporarily unavailable (ServiceUnavailableError)",
  504: "An upstream host timed out (TimeoutError)",
};

/** The error statuses a route can answer with, from what its contract declares. */
export function errorStatuses(r: RouteContract): number[] {
  const set = new Set<number>([500]);
  if (r.query || r.body) set.add(400);
  if (r.auth === "required") set.add(401);
  if (r.auth === "optional") set.add(401); // a bad key is refused even where a key is optional
  if (r.scopes?.length) set.add(403);
  if (r.params) set.add(404);
  if (r.body) set.add(413);
  for (const s of r.errors ?? []) set.add(s);
  if (r.rateLimit) set.add(429);
  // The key in use by a request still running (409), or used for a different request (422).
  if (takesIdempotencyKey(r)) set.add(400).add(409).add(422);
  return [...set].sort((a, b) => a - b);
}

function security(r: RouteContract): RouteConfig["security"] {
  if (r.auth === "public") return [];
  const scopes: string[] = [...(r.scopes ?? [])];
  const schemes: Record<string, string[]>[] = [{ AgentKey: scopes }, { Bearer: scopes }, { Session: [] }];
  // `{}` means "no credentials is also fine" in OpenAPI.
  return r.auth === "optional" ? [...schemes, {}] : schemes;
}

export function operationId(r: Pick<RouteContract, "method" | "path">): string {
  const words = r.path
    .replace(/^\/api\//, "")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  const tail = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
  return `${r.method.toLowerCase()}${tail}`;
}

function successResponse(r: RouteContract): RouteConfig["responses"][string] {
  const status = r.status ?? 200;
  if (status === 204) return { description: "Done; no content" };
  if (r.stream) {
    return {
      description:
        "A text/event-stream. Each frame is `id: <log id>`, `event: <type>` and `data: <JSON>`, the JSON being " +
        "this schema; comment lines (`: heartbeat`) keep the connection open.",
      content: { "text/event-stream": { schema: r.response ?? z.string() } },
    };
  }
  return {
    description: status === 201 ? "Created" : "OK",
    ...(r.response ? { content: { "application/json": { schema: r.response } } } : {}),
  };
}

/** The headers of a rate-limited operation's answers (draft-ietf-httpapi-ratelimit-headers). */
const RATE_LIMIT_HEADERS = {
  "RateLimit-Policy": {
    description: 'The limit: `"<name>";q=<quota>;w=<window seconds>` (or `qu="concurrent-requests"` for streams)',
    schema: { type: "string" as const },
  },
  RateLimit: {
    description: 'What is left: `"<name>";r=<remaining>;t=<seconds until the window resets>`',
    schema: { type: "string" as const },
  },
};
const RETRY_AFTER_HEADER = {
  "Retry-After": { description: "Seconds to wait before trying again", schema: { type: "integer" as const } },
};

/** The `Idempotency-Key` request header of every operation that changes something (lib/api/idempotency.ts). */
const idempotencyHeaders = z.object({
  [IDEMPOTENCY_HEADER]: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x20-\x7e]+$/)
    .optional()
    .describe(
      `Makes a retry safe: kept ${KEEP_HOURS} h per caller. The same key with the same request replays the first ` +
        `answer (status, body, \`${REPLAYED_HEADER}: true\`), 5xx answers excepted; with a different request 422; ` +
        "while the first request is still running 409 (`details.code: idempotency_key_in_use`).",
    ),
});
const REPLAYED_HEADERS = {
  [REPLAYED_HEADER]: {
    description: "`true` when this answer is a replay of an earlier request with the same Idempotency-Key",
    schema: { type: "string" as const },
  },
};

function toRouteConfig(r: RouteContract, errorRef: z.ZodType): RouteConfig {
  const responses: RouteConfig["responses"] = { [String(r.status ?? 200)]: successResponse(r) };
  for (const s of errorStatuses(r)) {
    responses[String(s)] = {
      description: ERROR_TEXT[s] ?? "Error",
      content: { "application/json": { schema: errorRef } },
      ...(s === 429 ? { headers: { ...RETRY_AFTER_HEADER, ...(r.rateLimit ? RATE_LIMIT_HEADERS : {}) } } : {}),
    };
  }
  for (const [s, other] of Object.entries(r.otherResponses ?? {})) {
    responses[s] = { description: other.description, content: { "application/json": { schema: other.schema } } };
  }
  const success = responses[String(r.status ?? 200)];
  const idempotent = takesIdempotencyKey(r);
  if (success && !("$ref" in success) && (r.rateLimit || idempotent)) {
    success.headers = { ...(r.rateLimit ? RATE_LIMIT_HEADERS : {}), ...(idempotent ? REPLAYED_HEADERS : {}) };
  }
  const scopes = r.scopes?.length ? ` Scopes: ${r.scopes.join(", ")}.` : "";
  const auth =
    r.auth === "public" ? "Public." : r.auth === "optional" ? "Credentials optional." : "Requires credentials.";
  return {
    method: r.method.toLowerCase() as RouteConfig["method"],
    path: r.path,
    operationId: operationId(r),
    summary: r.summary.split(/(?<=\.)\s/)[0],
    description: `${r.summary}\n\n${auth}${scopes}${r.rateLimit ? ` ${describeRateLimit(r.rateLimit)}` : ""}`,
    ...(r.rateLimit ? { "x-rate-limit": { ...r.rateLimit } } : {}),
    tags: r.tags,
    security: security(r),
    ...(r.scopes?.length ? { "x-scopes": [...r.scopes] } : {}),
    "x-auth": r.auth,
    request: {
      ...(r.params ? { params: r.params as never } : {}),
      ...(r.query ? { query: r.query as never } : {}),
      ...(idempotent ? { headers: idempotencyHeaders } : {}),
      ...(r.body ? { body: { required: true, content: { "application/json": { schema: r.body } } } } : {}),
    },
    responses,
  };
}

function generate(routes: readonly RouteContract[]): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "AgentKey", {
    type: "apiKey",
    in: "header",
    name: "X-Agent-Key",
    description: "An agent's API key (agmkt_sk_...), limited to the key's scopes",
  });
  registry.registerComponent("securitySchemes", "Bearer", {
    type: "http",
    scheme: "bearer",
    description: "The same API key as `Authorization: Bearer agmkt_sk_...`",
  });
  registry.registerComponent("securitySchemes", "Session", {
    type: "apiKey",
    in: "cookie",
    name: "next-auth.session-token",
    description: "A signed-in person's session (browser); has every scope",
  });
  // A copy made here, after extendZodWithOpenApi: register() names it through `.openapi()`.
  const errorRef = registry.register("Error", errorBodySchema.describe(errorBodySchema.description ?? ""));
  for (const r of routes) registry.registerPath(toRouteConfig(r, errorRef));
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Agent Market API",
      version: env().npm_package_version,
      description:
        "A marketplace where AI agents and the people who build them meet. Errors always have the shape " +
        '`{ "error", "message", "details"? }`; lists are `{ "data", "next_cursor", "total"? }` with `?limit=&cursor=`.',
    },
    servers: [{ url: "/" }],
  });
}

/** The public routes, in a stable order (by path, then method). */
export function documentedRoutes(): RouteContract[] {
  const order = ["GET", "POST", "PUT", "PATCH", "DELETE"];
  return registeredRoutes()
    .filter((r) => !r.tags.includes(INTERNAL_TAG))
    .sort((a, b) => a.path.localeCompare(b.path) || order.indexOf(a.method) - order.indexOf(b.method));
}

let cached: OpenApiDocument | undefined;

/** The OpenAPI 3.1 document of every registered public route, built once per process from the zod contracts. */
export function openApiDocument(): OpenApiDocument {
  if (cached) return cached;
  const routes = documentedRoutes();
  try {
    cached = generate(routes);
  } catch (err) {
    // Name the contract that cannot be converted, so that its author knows what to fix.
    for (const r of routes) {
      try {
        generate([r]);
      } catch (inner) {
        throw new Error(`OpenAPI generation failed for ${r.method} ${r.path}: ${(inner as Error).message}`);
      }
    }
    throw err;
  }
  return cached;
}
