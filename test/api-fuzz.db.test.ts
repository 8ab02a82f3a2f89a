import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { hireJob } from "@/lib/market/jobs";
import { createAgent, createService, createUser, type AgentFixture, type UserFixture } from "@/test/fixtures/market";
import { fund } from "@/test/fixtures/ledger";
import { setupTestDatabase } from "./db";
import { arbitraryFor, mutateAt, type JsonSchema } from "./json-schema-arbitrary";

/**
 * Bad input for every operation of the OpenAPI document: whatever a client sends, the answer is never a 5xx,
 * and every error is the one JSON error format. The generators aim at the classes that once broke the API:
 * NUL bytes (Postgres refuses `\u0000`), forged cursors, deep JSON, unknown fields, malformed percent-encoding,
 * wrong content types and values of the wrong type.
 */

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type Method = "get" | "post" | "put" | "patch" | "delete";

interface Operation {
  method: Method;
  path: string;
  handler: Handler;
  pathParams: string[];
  queryParams: { name: string; schema?: JsonSchema }[];
  bodySchema?: JsonSchema;
  /** A protocol endpoint (MCP, A2A): errors of its transport are JSON-RPC, as its clients expect. */
  jsonRpc: boolean;
}

const root = path.resolve(import.meta.dirname, "..");

/** `app/api/jobs/[id]/route.ts` -> `/api/jobs/{id}` (the catch-all is not an operation of the document). */
function routeFiles(dir = path.join(root, "app/api")): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...routeFiles(full));
    else if (entry.name === "route.ts") out.push(full);
  }
  return out;
}

function openApiPathOf(file: string): string {
  const rel = path.relative(path.join(root, "app"), path.dirname(file)).split(path.sep);
  return "/" + rel.map((s) => s.replace(/^\[(\w+)\]$/, "{$1}")).join("/");
}

async function operations(): Promise<Operation[]> {
  const modules = new Map<string, Record<string, unknown>>();
  // The API, and the discovery documents at /.well-known (the A2A cards).
  const files = [...routeFiles(), ...routeFiles(path.join(root, "app/.well-known"))];
  for (const file of files) modules.set(openApiPathOf(file), (await import(file)) as Record<string, unknown>);
  const doc = openApiDocument() as unknown as {
    paths: Record<string, Record<string, OpenApiOperation>>;
  };
  const ops: Operation[] = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const mod = modules.get(p);
      const handler = mod?.[method.toUpperCase()];
      if (typeof handler !== "function") throw new Error(`No handler for ${method.toUpperCase()} ${p}`);
      const params = op.parameters ?? [];
      const schema = op.requestBody?.content?.["application/json"]?.schema;
      ops.push({
        method: method as Method,
        path: p,
        handler: handler as Handler,
        pathParams: params.filter((x) => x.in === "path").map((x) => x.name),
        queryParams: params.filter((x) => x.in === "query").map((x) => ({ name: x.name, schema: x.schema })),
        bodySchema: schema,
        jsonRpc: op.tags?.includes("protocols") ?? false,
      });
    }
  }
  // Retiring an agent ends its key: the destructive operations go last, so the others meet live callers.
  return ops.sort((a, b) => Number(a.method === "delete") - Number(b.method === "delete"));
}

interface OpenApiOperation {
  tags?: string[];
  parameters?: { in: string; name: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

const NUL = "\u0000";

/** Strings that have broken parsers and databases before. */
const nastyString = fc.oneof(
  fc.string(),
  fc.string().map((s) => `${s}${NUL}${s}`),
  fc.constantFrom("", " ", NUL, "%FF%FE", "%", "\uD800", "null", "-1", "1e309", "NaN", "'; DROP TABLE jobs; --"),
  fc.constantFrom("2024-13-45T99:99:99Z", "99999-01-01", "00000000-0000-0000-0000-000000000000"),
  fc.integer().map(String),
);

/** A cursor that looks like ours (base64url JSON) with the wrong contents, or not like ours at all. */
const forgedCursor = fc.oneof(
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v)).toString("base64url")),
  fc
    .array(fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null), nastyString), { maxLength: 3 })
    .map((v) => Buffer.from(JSON.stringify(v)).toString("base64url")),
  fc.tuple(nastyString, nastyString).map((v) => Buffer.from(JSON.stringify(v)).toString("base64url")),
  nastyString,
);

/** JSON text nested `depth` levels (as text: fast-check could not print such a value when reporting). */
function deepJson(depth: number): string {
  return '{"a":['.repeat(depth) + "1" + "]}".repeat(depth);
}

const badValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  nastyString,
  fc.array(nastyString, { maxLength: 4 }),
  fc.dictionary(nastyString, nastyString, { maxKeys: 3 }),
);

interface Ids {
  agent: AgentFixture;
  seller: AgentFixture;
  person: UserFixture;
  serviceId: string;
  uuids: string[];
}

const db = setupTestDatabase();
let ops: Operation[] = [];
let ids: Ids;

beforeAll(async () => {
  ops = await operations();
  const d = db.current.database.db;
  const person = await createUser(d);
  const agent = await createAgent(d, { ownerUserId: person.user.id });
  const seller = await createAgent(d);
  const service = await createService(d, seller.agent.id);
  await fund(agent, 1_000_000);
  const job = await hireJob(
    { kind: "agent", agentId: agent.agent.id, keyId: "", scopes: [] },
    { service_id: service.id, title: "fuzzed job", input_data: {} },
  );
  ids = { agent, seller, person, serviceId: service.id, uuids: [agent.agent.id, seller.agent.id, service.id, job.id] };
}, 60_000);

function requestFor(op: Operation, input: FuzzInput): { url: URL; init: RequestInit; params: Record<string, string> } {
  const params: Record<string, string> = {};
  let p = op.path;
  for (const name of op.pathParams) {
    // Next hands route handlers decoded, well-formed strings (a lone surrogate cannot travel in a URL).
    const value = input.pathValue.toWellFormed();
    params[name] = value;
    p = p.replace(`{${name}}`, encodeURIComponent(value));
  }
  const url = new URL(p, "http://localhost");
  for (const [name, value] of Object.entries(input.query)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined && v !== null) url.searchParams.append(name, typeof v === "string" ? v : JSON.stringify(v));
    }
  }
  const headers = new Headers();
  if (input.as === "agent") headers.set("x-agent-key", ids.agent.key);
  if (input.as === "seller") headers.set("x-agent-key", ids.seller.key);
  if (input.as === "person") {
    for (const [k, v] of Object.entries(ids.person.headers)) headers.set(k, v);
    headers.set("origin", "http://localhost");
  }
  const init: RequestInit = { method: op.method.toUpperCase(), headers };
  if (op.method !== "get" && op.method !== "delete" && (op.bodySchema || input.rawBody !== null)) {
    headers.set("content-type", input.contentType);
    init.body = input.rawBody ?? JSON.stringify(input.body);
  }
  return { url, init, params };
}

interface FuzzInput {
  as: "anonymous" | "agent" | "seller" | "person";
  pathValue: string;
  query: Record<string, unknown>;
  contentType: string;
  rawBody: string | null;
  body: unknown;
}

/**
 * A request that is valid by the document (so it reaches the code behind validation), then spoiled in one place:
 * one body value, one query value, the path id, the content type or the raw text.
 */
function fuzzInput(op: Operation): fc.Arbitrary<FuzzInput> {
  const queryArbs: Record<string, fc.Arbitrary<unknown>> = {};
  for (const q of op.queryParams) queryArbs[q.name] = arbitraryFor(q.schema, ids.uuids);
  const validQuery = fc.record(queryArbs, { requiredKeys: [] });
  const validBody = op.bodySchema ? arbitraryFor(op.bodySchema, ids.uuids) : fc.constant(undefined);
  return fc
    .record({
      as: fc.constantFrom("anonymous", "agent", "agent", "agent", "seller", "person", "person"),
      pathValue: fc.oneof(fc.constantFrom(...ids.uuids), fc.uuid(), nastyString),
      query: validQuery,
      contentType: fc.constantFrom(
        ...Array<string>(6).fill("application/json"),
        "application/json; charset=utf-8",
        "text/plain",
        "application/x-www-form-urlencoded",
      ),
      rawBody: fc.option(
        fc.oneof(
          nastyString,
          fc.constant('{"a":'),
          fc.constant(deepJson(40)),
          fc.constant(deepJson(5000)),
          fc.constant("[".repeat(100_000)),
        ),
        { nil: null, freq: 10 },
      ),
      body: validBody,
      spoil: fc.constantFrom("body", "body", "query", "cursor", "unknown-query", "nothing", "nothing", "nothing"),
      pick: fc.nat(),
      bad: badValue,
      cursor: forgedCursor,
      unknownKey: fc.constantFrom("zzz_unknown", "__proto__", "constructor", "is_admin", "page"),
    })
    .map(({ spoil, pick, bad, cursor, unknownKey, ...input }) => {
      if (spoil === "body" && input.body !== undefined) input.body = mutateAt(input.body, pick, bad);
      if (spoil === "query" && op.queryParams.length) {
        const name = op.queryParams[pick % op.queryParams.length]!.name;
        input.query = { ...input.query, [name]: typeof bad === "string" ? bad : JSON.stringify(bad) };
      }
      if (spoil === "cursor") input.query = { ...input.query, cursor };
      if (spoil === "unknown-query") input.query = { ...input.query, [unknownKey]: "1" };
      if (spoil === "body" && input.body && typeof input.body === "object" && pick % 3 === 0) {
        input.body = { ...(input.body as object), [unknownKey]: bad };
      }
      return input;
    });
}

/** Calls the handler as Next does; a stream that answers 200 is closed after its headers. */
async function send(op: Operation, input: FuzzInput): Promise<{ status: number; type: string; text: string }> {
  const { url, init, params } = requestFor(op, input);
  const res = await op.handler(new Request(url, init), { params: Promise.resolve(params) });
  const type = res.headers.get("content-type") ?? "";
  if (type.includes("text/event-stream")) {
    await res.body?.cancel();
    return { status: res.status, type, text: "" };
  }
  return { status: res.status, type, text: await res.text() };
}

describe("bad input for every operation of the OpenAPI document", () => {
  it("covers every documented operation", () => {
    expect(ops.length).toBeGreaterThan(30);
  });

  it("never answers 5xx, and every error is the one JSON error format", async () => {
    const failures: string[] = [];
    const stats = new Map<string, number>();
    for (const op of ops) {
      const out = await fc.check(
        fc.asyncProperty(fuzzInput(op), async (input) => {
          const res = await send(op, input);
          if (process.env.FUZZ_STATS)
            stats.set(
              `${op.method} ${op.path} ${res.status}`,
              (stats.get(`${op.method} ${op.path} ${res.status}`) ?? 0) + 1,
            );
          const where = `${op.method.toUpperCase()} ${op.path} -> ${res.status} ${res.text.slice(0, 300)}`;
          expect(res.status, where).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.type, where).toContain("application/json");
            const body = JSON.parse(res.text) as { jsonrpc?: unknown; error?: unknown; message?: unknown };
            if (op.jsonRpc && body.jsonrpc === "2.0") {
              expect(body.error, where).toMatchObject({ code: expect.any(Number), message: expect.any(String) });
            } else {
              expect(typeof body.error, where).toBe("string");
              expect(typeof body.message, where).toBe("string");
            }
          }
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 40), endOnFailure: true },
      );
      if (out.failed)
        failures.push(`${op.method.toUpperCase()} ${op.path}: ${String(out.errorInstance ?? "").slice(0, 600)}`);
    }
    if (process.env.FUZZ_STATS)
      console.log(
        [...stats]
          .sort()
          .map(([k, v]) => `${k}: ${v}`)
          .join("\n"),
      );
    expect(failures).toEqual([]);
  }, 600_000);
});

describe("unknown fields", () => {
  it("are refused with a 400 naming them, on every body of the document", async () => {
    const withBody = ops.filter((op) => op.bodySchema);
    expect(withBody.map((op) => `${op.method} ${op.path}`)).toEqual(
      expect.arrayContaining([
        "post /api/jobs",
        "post /api/jobs/{id}/complete",
        "post /api/jobs/{id}/messages",
        "post /api/auth/signup",
        "post /api/agents/invoke",
      ]),
    );
    // A caller of its own: the fuzzing above may have retired the fixtures' agents (DELETE /api/agents/{id}).
    const caller = await createAgent(db.current.database.db);
    let checked = 0;
    for (const op of withBody) {
      const url = new URL(op.path.replace(/\{\w+\}/g, ids.uuids[3]!), "http://localhost");
      const res = await op.handler(
        new Request(url, {
          method: op.method.toUpperCase(),
          headers: { "content-type": "application/json", "x-agent-key": caller.key },
          body: JSON.stringify({ zzz_unknown_field: 1 }),
        }),
        { params: Promise.resolve(Object.fromEntries(op.pathParams.map((p) => [p, ids.uuids[3]!]))) },
      );
      const body = (await res.json()) as { details?: { fields?: Record<string, string> } };
      const where = `${op.method} ${op.path} -> ${res.status} ${JSON.stringify(body)}`;
      if (res.status === 404 || res.status === 403) continue; // refused before the body is read
      expect(res.status, where).toBe(400);
      expect(JSON.stringify(body.details?.fields), where).toContain("zzz_unknown_field");
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(withBody.length - 4);
  });
});
