import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GET as getOpenApiRoute } from "@/app/api/openapi.json/route";
import { call } from "@/test/http";
import { registeredRoutes } from "./contract";
import { INTERNAL_TAG, documentedRoutes, openApiDocument } from "./openapi";

const ROOT = path.resolve(__dirname, "../..");
const API_DIR = path.join(ROOT, "app", "api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
// next-auth's own catch-all handler is not part of our API.
const SKIP = [path.join("auth", "[...nextauth]")];

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(full);
    return e.name === "route.ts" ? [full] : [];
  });
}

/** app/api/jobs/[id]/start/route.ts -> /api/jobs/{id}/start (route groups dropped). */
function apiPath(file: string): string {
  const rel = path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep);
  const parts = rel.filter((p) => !/^\(.*\)$/.test(p)).map((p) => p.replace(/^\[(?:\.\.\.)?(\w+)\]$/, "{$1}"));
  return `/${parts.join("/")}`;
}

function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const m of METHODS) {
    const decl = new RegExp(`export\\s+(?:const|let|async\\s+function|function)\\s+${m}\\b`);
    const reexport = new RegExp(`export\\s*\\{[^}]*\\bas\\s+${m}\\b[^}]*\\}|export\\s*\\{[^}]*\\b${m}\\b[^}]*\\}`);
    if (decl.test(source) || reexport.test(source)) found.add(m);
  }
  return [...found];
}

describe("OpenAPI document", () => {
  const doc = openApiDocument() as any;

  it("is an OpenAPI 3.1 document with the three security schemes and the one error schema", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBeTruthy();
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["AgentKey", "Bearer", "Session"]);
    expect(doc.components.securitySchemes.AgentKey).toMatchObject({
      type: "apiKey",
      in: "header",
      name: "X-Agent-Key",
    });
    expect(doc.components.schemas.Error.required).toEqual(["error", "message"]);
  });

  it("has every registered public route, each with responses, an operationId and its auth", () => {
    const ids = new Set<string>();
    for (const r of documentedRoutes()) {
      const op = doc.paths[r.path]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.path} missing from the document`).toBeDefined();
      expect(Object.keys(op.responses).length).toBeGreaterThan(1);
      expect(op.responses[String(r.status ?? 200)]).toBeDefined();
      expect(op.responses["500"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Error" });
      if (r.params) expect(op.responses["404"]).toBeDefined();
      if (r.body) expect(op.requestBody.content["application/json"].schema).toBeDefined();
      if (r.auth === "public") expect(op.security).toEqual([]);
      else expect(op.security.length).toBeGreaterThanOrEqual(3);
      expect(ids.has(op.operationId), `duplicate operationId ${op.operationId}`).toBe(false);
      ids.add(op.operationId);
      // every {param} of the path is declared
      for (const name of r.path.match(/\{(\w+)\}/g) ?? []) {
        const p = name.slice(1, -1);
        expect(
          op.parameters?.some((x: any) => x.in === "path" && x.name === p),
          `${r.path}: path param ${p}`,
        ).toBe(true);
      }
    }
  });

  it("documents the event stream as text/event-stream and leaves internal routes out", () => {
    const events = doc.paths["/api/events"].get;
    expect(Object.keys(events.responses["200"].content)).toEqual(["text/event-stream"]);
    expect(events.parameters.map((p: any) => p.name)).toEqual(
      expect.arrayContaining(["type", "agent", "last_event_id"]),
    );
    for (const r of registeredRoutes().filter((x) => x.tags.includes(INTERNAL_TAG))) {
      expect(doc.paths[r.path]?.[r.method.toLowerCase()]).toBeUndefined();
    }
  });

  it("is served at GET /api/openapi.json", async () => {
    const res = await call(getOpenApiRoute, "/api/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(Object.keys(res.body.paths)).toEqual(Object.keys(doc.paths));
  });
});

describe("route guard", () => {
  it("every app/api/**/route.ts method has a registered contract with the same path and method, and back", () => {
    const registered = new Set(registeredRoutes().map((r) => `${r.method} ${r.path}`));
    const served = new Set<string>();
    const missing: string[] = [];
    // The API, and the discovery documents at /.well-known (the A2A cards).
    for (const file of [...routeFiles(API_DIR), ...routeFiles(path.join(ROOT, "app", ".well-known"))]) {
      const rel = path.relative(API_DIR, path.dirname(file));
      if (SKIP.some((s) => rel === s || rel.startsWith(`${s}${path.sep}`))) continue;
      const methods = exportedMethods(fs.readFileSync(file, "utf8"));
      if (methods.length === 0) missing.push(`(no exported method) ${path.relative(ROOT, file)}`);
      for (const m of methods) {
        const key = `${m} ${apiPath(file)}`;
        served.add(key);
        if (!registered.has(key)) missing.push(`${key}  <- ${path.relative(ROOT, file)} has no contract`);
      }
    }
    const orphans = [...registered].filter((k) => !served.has(k)).map((k) => `${k}  <- contract without a route file`);
    const problems = [...missing, ...orphans];
    expect(
      problems,
      `Routes and contracts disagree (register with defineRoute in lib/api/contracts/<area>.ts, imported from lib/api/contracts/index.ts):\n  ${problems.join("\n  ")}`,
    ).toEqual([]);
  });
});
