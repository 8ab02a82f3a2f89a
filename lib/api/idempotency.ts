import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { and, eq, lte, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { idempotencyKeys } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { principalLabel } from "@/lib/auth/principal";
import { log } from "@/lib/log";
import type { RouteContract } from "./contract";
import { badRequest, conflict, unprocessable } from "./errors";

/**
 * `Idempotency-Key` on every request that changes something, with Stripe's semantics (docs/idempotency.md):
 * kept 24 hours per caller; the same key with the same request replays the first answer (`Idempotent-Replayed:
 * true`); with a different request it is 422; while the first is still running a duplicate gets 409
 * (`idempotency_key_in_use`). The row's primary key (caller, key) decides who runs: the claim is inserted and
 * committed before the handler runs, so two processes cannot both run it. 5xx answers are not kept (the claim is
 * given back, so a retry runs again); 4xx answers are.
 */

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
export const REPLAYED_HEADER = "Idempotent-Replayed";
export const KEEP_HOURS = 24;
/**
 * A claim with no answer after this long belongs to a request whose process died (no request runs this long): a
 * retry with the same request takes it over rather than waiting for the key to expire.
 */
export const STALE_CLAIM_SECONDS = 600;
const KEY_SHAPE = /^[\x20-\x7e]{1,255}$/;
// Per-request headers of the answer that a replay does not repeat.
const NOT_REPLAYED = /^(set-cookie|ratelimit|ratelimit-policy|retry-after|date)$/i;

/**
 * Routes that change something take the header: every method but GET, for callers with credentials (the key is
 * kept per caller; an anonymous request has no caller to keep it for), and not streams (no answer to keep).
 */
export function takesIdempotencyKey(contract: Pick<RouteContract, "method" | "auth" | "stream">): boolean {
  return contract.method !== "GET" && contract.auth !== "public" && !contract.stream;
}

/** The header's value, or null when absent; 400 when it is not 1..255 printable ASCII characters. */
export function readIdempotencyKey(req: Request): string | null {
  const value = req.headers.get(IDEMPOTENCY_HEADER);
  if (value === null) return null;
  if (!KEY_SHAPE.test(value)) {
    throw badRequest(`${IDEMPOTENCY_HEADER} must be 1 to 255 printable ASCII characters`, {
      fields: { [IDEMPOTENCY_HEADER]: "1..255 printable ASCII characters" },
    });
  }
  return value;
}

/** JSON with object keys sorted at every depth: the same value hashes the same however it was written. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

export function requestHash(method: string, url: URL, body: unknown): string {
  const query = [...url.searchParams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("sha256")
    .update(canonicalJson({ method, path: url.pathname, query, body }))
    .digest("hex");
}

export interface IdempotentRequest {
  caller: string;
  key: string;
  claim: string;
}

type Begun = { run: IdempotentRequest } | { replay: Response };

/**
 * Claims the key for this request, or answers for it: the stored answer (replay), 409 while the first request
 * runs, 422 when the key was used for a different request. An expired key is claimed afresh.
 */
export async function beginIdempotent(principal: Principal, key: string, req: Request, body: unknown): Promise<Begun> {
  const url = new URL(req.url);
  const caller = principalLabel(principal);
  const hash = requestHash(req.method, url, body);
  const db = await getDb();
  for (let attempt = 0; attempt < 3; attempt++) {
    const claim = randomUUID();
    const t = idempotencyKeys;
    const won = await db
      .insert(t)
      .values({
        caller,
        key,
        claim,
        requestHash: hash,
        method: req.method,
        path: url.pathname,
        expiresAt: sql`now() + make_interval(hours => ${KEEP_HOURS})`,
      })
      .onConflictDoUpdate({
        target: [t.caller, t.key],
        set: {
          claim,
          requestHash: hash,
          method: req.method,
          path: url.pathname,
          responseStatus: null,
          responseHeaders: null,
          responseBody: null,
          lockedAt: sql`now()`,
          expiresAt: sql`now() + make_interval(hours => ${KEEP_HOURS})`,
        },
        setWhere: sql`${t.expiresAt} <= now() OR (${t.responseStatus} IS NULL AND ${t.requestHash} = ${hash}
          AND ${t.lockedAt} <= now() - make_interval(secs => ${STALE_CLAIM_SECONDS}))`,
      })
      .returning({ claim: t.claim });
    if (won[0]?.claim === claim) return { run: { caller, key, claim } };

    const [held] = await db
      .select()
      .from(t)
      .where(and(eq(t.caller, caller), eq(t.key, key)));
    if (!held) continue; // swept in between: claim again
    if (held.requestHash !== hash) {
      throw unprocessable(`This ${IDEMPOTENCY_HEADER} was already used for a different request`, {
        code: "idempotency_key_reused",
        original_request: { method: held.method, path: held.path },
      });
    }
    if (held.responseStatus === null) {
      throw conflict(`A request with this ${IDEMPOTENCY_HEADER} is still being processed; retry later`, {
        code: "idempotency_key_in_use",
      });
    }
    const headers = new Headers(held.responseHeaders ?? {});
    headers.set(REPLAYED_HEADER, "true");
    const status = held.responseStatus;
    return { replay: new Response(status === 204 ? null : held.responseBody, { status, headers }) };
  }
  throw conflict(`A request with this ${IDEMPOTENCY_HEADER} is still being processed; retry later`, {
    code: "idempotency_key_in_use",
  });
}

/**
 * Keeps the answer for replays and returns it (its body read once, so it is rebuilt). A 5xx, or an answer that is
 * not JSON (a stream), is not kept: the claim is given back and a retry runs the request again.
 */
export async function finishIdempotent(request: IdempotentRequest, res: Response): Promise<Response> {
  const type = res.headers.get("content-type") ?? "";
  const keepable = res.status < 500 && (res.body === null || /^application\/(problem\+)?json\b/i.test(type));
  const db = await getDb();
  const mine = and(
    eq(idempotencyKeys.caller, request.caller),
    eq(idempotencyKeys.key, request.key),
    eq(idempotencyKeys.claim, request.claim),
  );
  try {
    if (!keepable) {
      await db.delete(idempotencyKeys).where(mine);
      return res;
    }
    const text = res.body === null ? null : await res.text();
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (!NOT_REPLAYED.test(name)) headers[name] = value;
    });
    await db
      .update(idempotencyKeys)
      .set({ responseStatus: res.status, responseHeaders: headers, responseBody: text })
      .where(mine);
    return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
  } catch (err) {
    // The answer still goes out; the claim stays until it is stale (STALE_CLAIM_SECONDS), then a retry runs again.
    log().error({ err }, "idempotency: could not keep the answer");
    return res;
  }
}

/** Deletes expired keys (the scheduled sweep, lib/schedules.ts); returns how many. */
export async function sweepIdempotencyKeys(now: Date = new Date()): Promise<number> {
  const db = await getDb();
  const gone = await db
    .delete(idempotencyKeys)
    .where(lte(idempotencyKeys.expiresAt, now))
    .returning({ key: idempotencyKeys.key });
  return gone.length;
}
