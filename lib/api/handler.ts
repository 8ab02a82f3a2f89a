import "server-only";
import { z } from "zod";
import { resolvePrincipal } from "@/lib/auth/resolve";
import type { Principal } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { isJsonContentType, readBodyText, readJsonBody } from "./body";
import {
  beginIdempotent,
  finishIdempotent,
  readIdempotencyKey,
  takesIdempotencyKey,
  type IdempotentRequest,
} from "./idempotency";
import { assertNoNul } from "./input-guards";
import { enforceRateLimit, type RateLimitGrant } from "./rate-limit";
import type { AuthMode, RouteContract } from "./contract";
import {
  ApiError,
  badRequest,
  errorResponse,
  forbidden,
  internalErrorResponse,
  notFound,
  unauthorized,
  unsupportedMediaType,
} from "./errors";

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

export interface ApiContext<B, Q, P, Auth> {
  req: Request;
  principal: Auth extends "required" ? Principal : Principal | null;
  body: Infer<B>;
  query: Infer<Q>;
  params: Infer<P>;
}

type NextCtx = { params?: Promise<Record<string, string | string[]>> };

/** Flattens zod issues into `{ "field.path": "message" }` for the error's details. */
export function issuesToDetails(error: z.ZodError): Record<string, unknown> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[issue.path.join(".") || "(root)"] = issue.message;
  return { fields };
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "Invalid request";
  const at = issue.path.join(".");
  return at ? `${at}: ${issue.message}` : issue.message;
}

function queryObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    out[key] = all.length === 1 ? (all[0] as string) : all;
  }
  return out;
}

/** 403 naming the scopes the contract needs and the caller's key lacks (also the MCP tools' rule). */
export function assertScopes(contract: Pick<RouteContract, "scopes">, principal: Principal): void {
  const missing = (contract.scopes ?? []).filter((s) => !principal.scopes.includes(s));
  if (missing.length)
    throw forbidden(`This API key lacks the scope ${missing.join(", ")}`, { missing_scopes: missing });
}

/** A route handler as Next calls it, carrying its contract (non-enumerable) so tests can check its answers. */
export type RouteHandler = ((req: Request, nextCtx?: NextCtx) => Promise<Response>) & {
  readonly contract: RouteContract;
};

/**
 * The one wrapper every route handler goes through: resolves the caller, checks scopes, validates params,
 * query and body with the contract's schemas, and turns every thrown error into the one error format.
 * A handler returns a Response, or a value that is sent as JSON with the contract's status.
 */
export function withApi<
  B extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  P extends z.ZodType | undefined,
  A extends AuthMode,
>(contract: RouteContract<B, Q, P, A>, handler: (ctx: ApiContext<B, Q, P, A>) => Promise<unknown>): RouteHandler {
  const route = async (req: Request, nextCtx?: NextCtx): Promise<Response> => {
    let limit: RateLimitGrant | null = null;
    let idempotent: IdempotentRequest | null = null;
    try {
      let params: unknown = undefined;
      if (contract.params) {
        const raw = (await nextCtx?.params) ?? {};
        assertNoNul(raw, "path");
        const parsed = contract.params.safeParse(raw);
        // A malformed id names nothing that exists: 404, as for an id that is simply unknown.
        if (!parsed.success) throw notFound("Resource");
        params = parsed.data;
      }

      let principal: Principal | null = null;
      if (contract.auth !== "public") {
        principal = await resolvePrincipal(req);
        if (!principal && contract.auth === "required") throw unauthorized();
      }
      if (principal) assertScopes(contract, principal);

      // Rate limit (lib/api/rate-limit.ts): counted before the input is read, so malformed requests count too.
      if (contract.rateLimit) limit = await enforceRateLimit(contract.rateLimit, req, principal);

      let query: unknown = undefined;
      if (contract.query) {
        const raw = queryObject(new URL(req.url));
        assertNoNul(raw, "query");
        const parsed = contract.query.safeParse(raw);
        if (!parsed.success) throw badRequest(firstIssue(parsed.error), issuesToDetails(parsed.error));
        query = parsed.data;
      }

      const key = principal && takesIdempotencyKey(contract) ? readIdempotencyKey(req) : null;

      let body: unknown = undefined;
      let raw: unknown = undefined;
      if (contract.body) {
        raw = await readJsonBody(req, contract.maxBodyBytes?.() ?? env().MAX_BODY_BYTES);
        assertNoNul(raw, "body");
        const parsed = contract.body.safeParse(raw ?? {});
        if (!parsed.success) throw badRequest(firstIssue(parsed.error), issuesToDetails(parsed.error));
        body = parsed.data;
      } else if (req.method !== "GET" && req.method !== "HEAD" && req.headers.has("content-type")) {
        // A route that takes no body still refuses a form or text body: no cross-site request skips the preflight.
        if (!isJsonContentType(req.headers.get("content-type"))) throw unsupportedMediaType();
      }

      // Idempotency-Key (lib/api/idempotency.ts): claimed once the request is valid, so a refused one keeps nothing.
      if (principal && key) {
        // A route that reads its own body (MCP) has it hashed as sent: a clone's copy, the handler reads the original.
        if (!contract.body)
          raw = (await readBodyText(req.clone(), contract.maxBodyBytes?.() ?? env().MAX_BODY_BYTES)) ?? null;
        const begun = await beginIdempotent(principal, key, req, raw ?? null);
        if ("replay" in begun) return limit ? limit.settle(begun.replay) : begun.replay;
        idempotent = begun.run;
      }

      const result = await handler({ req, principal, body, query, params } as ApiContext<B, Q, P, A>);
      const status = contract.status ?? 200;
      const res =
        result instanceof Response
          ? result
          : status === 204
            ? new Response(null, { status })
            : Response.json(result, { status });
      const kept = idempotent ? await finishIdempotent(idempotent, res) : res;
      return limit ? limit.settle(kept) : kept;
    } catch (err) {
      limit?.abandon();
      const res = toErrorResponse(err, contract);
      return idempotent ? finishIdempotent(idempotent, res) : res;
    }
  };
  return Object.defineProperty(route, "contract", { value: contract, enumerable: false }) as RouteHandler;
}

export function toErrorResponse(err: unknown, contract?: { method: string; path: string }): Response {
  if (err instanceof ApiError) return errorResponse(err);
  // Invalid input that slipped past validation into the database is still a 400: SQLSTATE class 22 is "data
  // exception" (malformed text for a uuid or timestamp, a value out of range, a string too long, a bad encoding),
  // which only a value the client chose can cause, e.g. the contents of a forged cursor.
  const code =
    (err as { code?: string; cause?: { code?: string } })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  if (typeof code === "string" && code.startsWith("22")) {
    // Inputs are checked before they reach a query (lib/api/input-guards.ts, the contracts, lib/api/pagination.ts),
    // so reaching this net means a check is missing somewhere: the client still gets its 400, and we get a line.
    log().warn({ err, route: `${contract?.method ?? ""} ${contract?.path ?? ""}` }, "data exception answered as 400");
    return errorResponse(badRequest("A value in the request is out of range or malformed"));
  }
  log().error({ err, route: `${contract?.method ?? ""} ${contract?.path ?? ""}` }, "request failed");
  return internalErrorResponse();
}
