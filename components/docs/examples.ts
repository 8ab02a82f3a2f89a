import type { OperationDoc } from "./operation";
import { resolve, type JsonSchema } from "./schema-rows";

/**
 * Request and response examples built from the operation's own schemas: an `example` or `default` when the schema
 * has one, else a plausible value of its type and format. So the examples can never drift from what the API
 * validates.
 */
const MAX_DEPTH = 6;

function exampleString(name: string, s: JsonSchema): string {
  if (s.format === "uuid") return "3f2c8a4e-9b1d-4c7a-8e2f-5a6b7c8d9e0f";
  if (s.format === "date-time") return "2026-01-01T12:00:00.000Z";
  if (s.format === "uri" || s.format === "url" || /url$/i.test(name)) return "https://example.com/hook";
  if (s.format === "email" || /email/i.test(name)) return "ada@example.com";
  if (/^(session_?id|sessionId)$/i.test(name)) return "session-2f9c0a1b7d3e4c5f8a6b9c0d1e2f3a4b5c";
  if (/cursor/i.test(name)) return "eyJ0IjoxfQ";
  const base = name ? name.replace(/_/g, " ") : "text";
  const min = s.minLength ?? 0;
  const text = base.length >= min ? base : base.padEnd(min, "x");
  return s.maxLength !== undefined ? text.slice(0, Math.max(s.maxLength, 1)) : text;
}

export function exampleOf(schema: JsonSchema, schemas: Record<string, JsonSchema>, name = "", depth = 0): unknown {
  const s = resolve(schema, schemas) as JsonSchema & { example?: unknown; examples?: unknown[] };
  if (s.example !== undefined) return s.example;
  if (s.examples?.length) return s.examples[0];
  if (s.const !== undefined) return s.const;
  if (s.default !== undefined) return s.default;
  if (s.enum?.length) return s.enum[0];
  const union = s.anyOf ?? s.oneOf;
  if (union?.length) {
    const first = union.find((u) => resolve(u, schemas).type !== "null") ?? union[0]!;
    return exampleOf(first, schemas, name, depth);
  }
  if (s.allOf?.length) {
    return Object.assign({}, ...s.allOf.map((part) => exampleOf(part, schemas, name, depth) as object));
  }
  const type = Array.isArray(s.type) ? (s.type.find((t) => t !== "null") ?? s.type[0]) : s.type;
  if (depth > MAX_DEPTH) return type === "array" ? [] : type === "object" ? {} : null;
  switch (type) {
    case "string":
      return exampleString(name, s);
    case "integer":
    case "number": {
      const v = s.minimum !== undefined ? Math.max(s.minimum, 1) : 1;
      return s.maximum !== undefined ? Math.min(v, s.maximum) : v;
    }
    case "boolean":
      return true;
    case "null":
      return null;
    case "array":
      return s.items ? [exampleOf(s.items, schemas, name.replace(/s$/, ""), depth + 1)] : [];
    default: {
      if (!s.properties) return {};
      return Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, exampleOf(v, schemas, k, depth + 1)]));
    }
  }
}

const BASE = "http://localhost:3000";

/** The path with its path parameters filled, and the required query parameters appended. */
function exampleUrl(op: OperationDoc, schemas: Record<string, JsonSchema>): string {
  let path = op.path;
  const query: string[] = [];
  for (const p of op.parameters ?? []) {
    const value = String(exampleOf(p.schema ?? { type: "string" }, schemas, p.name));
    if (p.in === "path") path = path.replace(`{${p.name}}`, encodeURIComponent(value));
    else if (p.in === "query" && p.required) query.push(`${p.name}=${encodeURIComponent(value)}`);
  }
  return `${BASE}${path}${query.length ? `?${query.join("&")}` : ""}`;
}

export function requestBodyOf(op: OperationDoc, schemas: Record<string, JsonSchema>): unknown {
  const body = op.requestBody?.content?.["application/json"]?.schema;
  return body ? exampleOf(body, schemas) : undefined;
}

const needsKey = (op: OperationDoc) => (op["x-auth"] ?? (op.security?.length ? "required" : "public")) !== "public";
const streams = (op: OperationDoc) =>
  Object.values(op.responses).some((r) => Object.keys(r.content ?? {}).includes("text/event-stream"));

/** A curl command for the operation. */
export function curlOf(op: OperationDoc, schemas: Record<string, JsonSchema>): string {
  const lines = [`curl${op.method === "GET" ? "" : ` -X ${op.method}`} '${exampleUrl(op, schemas)}'`];
  if (needsKey(op)) lines.push(`  -H "X-Agent-Key: $AGENT_KEY"`);
  if (streams(op) && op.method === "GET") lines.push(`  -H "Accept: text/event-stream" -N`);
  const body = requestBodyOf(op, schemas);
  if (body !== undefined) {
    lines.push(`  -H "Content-Type: application/json"`);
    lines.push(`  -d '${JSON.stringify(body, null, 2).replace(/'/g, "'\\''")}'`);
  }
  return lines.join(" \\\n");
}

/** The same call with fetch (browser or Node 18+), reading the one error format on failure. */
export function fetchOf(op: OperationDoc, schemas: Record<string, JsonSchema>): string {
  const headers: string[] = [];
  if (needsKey(op)) headers.push(`"X-Agent-Key": process.env.AGENT_KEY`);
  const body = requestBodyOf(op, schemas);
  if (body !== undefined) headers.push(`"Content-Type": "application/json"`);
  const init: string[] = [];
  if (op.method !== "GET") init.push(`  method: "${op.method}",`);
  if (headers.length) init.push(`  headers: { ${headers.join(", ")} },`);
  if (body !== undefined) {
    init.push(`  body: JSON.stringify(${JSON.stringify(body, null, 2).replace(/\n/g, "\n  ")}),`);
  }
  const call = init.length
    ? `fetch("${exampleUrl(op, schemas)}", {\n${init.join("\n")}\n})`
    : `fetch("${exampleUrl(op, schemas)}")`;
  return [
    `const res = await ${call};`,
    `if (!res.ok) {`,
    `  const { error, message, details } = await res.json();`,
    `  throw new Error(\`\${res.status} \${error}: \${message}\`);`,
    `}`,
    op.responses["204"] ? `// 204: no body` : `const data = await res.json();`,
  ].join("\n");
}

/** The literal of an example value, indented to sit at `indent` in the generated code. */
const literal = (value: unknown, indent: string) =>
  JSON.stringify(value, null, 2)
    .replace(/^(\s*)"([A-Za-z_$][\w$]*)":/gm, "$1$2:")
    .replace(/\n/g, `\n${indent}`);

/** Whether every failure of the operation answers the one error format (health checks answer their report). */
function oneErrorFormat(op: OperationDoc, schemas: Record<string, JsonSchema>): boolean {
  return Object.entries(op.responses)
    .filter(([status]) => !status.startsWith("2"))
    .every(([, r]) => {
      const schema = r.content?.["application/json"]?.schema;
      return !schema || resolve(schema, schemas).properties?.error !== undefined;
    });
}

/**
 * The same call with the typed client (packages/client, `@agent-market/client`): `market.api` is openapi-fetch over
 * the OpenAPI document, so the path, its parameters and the body are checked by the compiler.
 */
export function clientOf(op: OperationDoc, schemas: Record<string, JsonSchema>): string {
  const params: Record<string, Record<string, unknown>> = {};
  for (const p of op.parameters ?? []) {
    if (p.in !== "path" && !(p.in === "query" && p.required)) continue;
    const value = exampleOf(p.schema ?? { type: "string" }, schemas, p.name);
    (params[p.in] ??= {})[p.name] = p.in === "path" ? String(value) : value;
  }
  const init: string[] = [];
  if (Object.keys(params).length) init.push(`  params: ${literal(params, "  ")},`);
  const body = requestBodyOf(op, schemas);
  if (body !== undefined) init.push(`  body: ${literal(body, "  ")},`);
  const stream = streams(op) && op.method === "GET";
  if (stream) init.push(`  headers: { accept: "text/event-stream" },`, `  parseAs: "stream",`);
  const call = `market.api.${op.method.toUpperCase()}("${op.path}"${init.length ? `, {\n${init.join("\n")}\n}` : ""})`;
  return [
    `import { agentMarket } from "@agent-market/client";`,
    ``,
    `const market = agentMarket({ baseUrl: "${BASE}", apiKey: process.env.AGENT_KEY! });`,
    `const { data, error, response } = await ${call};`,
    ...(oneErrorFormat(op, schemas)
      ? [
          `// The one error format: { error, message, details }`,
          `if (error) throw new Error(\`\${response.status} \${error.error}: \${error.message}\`);`,
        ]
      : [`if (error) throw new Error(\`\${response.status}: \${JSON.stringify(error)}\`);`]),
    op.responses["204"]
      ? `// 204: no body`
      : stream
        ? `// data: the event stream (a ReadableStream)`
        : `console.log(data);`,
  ].join("\n");
}

/** An example of the first success response's JSON body, if it has one. */
export function responseExampleOf(
  op: OperationDoc,
  schemas: Record<string, JsonSchema>,
): { status: string; body: unknown } | null {
  const status = Object.keys(op.responses)
    .filter((s) => s.startsWith("2"))
    .sort()[0];
  const schema = status ? op.responses[status]?.content?.["application/json"]?.schema : undefined;
  return status && schema ? { status, body: exampleOf(schema, schemas) } : null;
}
