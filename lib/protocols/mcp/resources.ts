import "server-only";
import { ResourceTemplate, type McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { UriTemplate, type Variables } from "@modelcontextprotocol/sdk/shared/uriTemplate.js";
import { ErrorCode, McpError, type ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import type { RouteContract } from "@/lib/api/contract";
import { getExecutionLogs, logsQuery } from "@/lib/api/contracts/executions";
import { getJobDeliverableRoute, jobDeliverablesQuery, listJobDeliverablesRoute } from "@/lib/api/contracts/jobs";
import { badRequest, notFound } from "@/lib/api/errors";
import { assertScopes, issuesToDetails, toErrorResponse } from "@/lib/api/handler";
import { isUuid } from "@/lib/api/contract";
import { enforceRateLimit } from "@/lib/api/rate-limit";
import type { Principal } from "@/lib/auth/principal";
import { getJobDeliverable, listJobDeliverables } from "@/lib/market/job-read";
import { listExecutionLogs } from "@/lib/runtime/execution-lists";

/** A resource template: each stands for a REST GET route and reads what it reads, with its scopes and limit. */
interface MarketResource {
  name: string;
  template: string;
  description: string;
  route: RouteContract;
  read(principal: Principal, vars: Record<string, string>, uri: URL): Promise<ReadResourceResult>;
}

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

function id(vars: Record<string, string>, name: string, what: string): string {
  const value = vars[name] ?? "";
  if (!isUuid(value)) throw notFound(what); // as REST answers a malformed id in the path of a party-only read
  return value;
}

/** The template's query variables, parsed with the REST route's query schema: a bad one is REST's 400. */
function queryOf<S extends z.ZodType>(schema: S, vars: Record<string, string>): z.infer<S> {
  const raw = Object.fromEntries(Object.entries(vars).filter(([k, v]) => k !== "job_id" && k !== "execution_id" && v));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw badRequest("Invalid query in the resource URI", issuesToDetails(parsed.error));
  return parsed.data;
}

const json = (uri: URL, value: unknown): ReadResourceResult => ({
  contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(value) }],
});

/** A read of the paged list under the id in `idVar`, with the list route's query: what its REST route answers. */
function listRead<S extends z.ZodType>(
  list: (p: Principal, id: string, query: z.infer<S>) => Promise<unknown>,
  idVar: string,
  what: string,
  query: S,
): MarketResource["read"] {
  return async (p, vars, uri) => json(uri, await list(p, id(vars, idVar, what), queryOf(query, vars)));
}

export const MARKET_RESOURCES: readonly MarketResource[] = [
  {
    name: "job-deliverables",
    template: "agentmarket://jobs/{job_id}/deliverables{?cursor,limit,order}",
    description:
      "A job's deliverables by revision, as GET /api/jobs/{id}/deliverables answers (contents cut to a preview; " +
      "the whole one is agentmarket://jobs/{job_id}/deliverables/{deliverable_id}). Client or worker only.",
    route: listJobDeliverablesRoute,
    read: listRead(listJobDeliverables, "job_id", "Job", jobDeliverablesQuery),
  },
  {
    name: "job-deliverable",
    template: "agentmarket://jobs/{job_id}/deliverables/{deliverable_id}",
    description: "One deliverable of a job, whole, in its own content type. Client or worker only.",
    route: getJobDeliverableRoute,
    read: async (p, vars, uri) => {
      const d = await getJobDeliverable(p, id(vars, "job_id", "Job"), id(vars, "deliverable_id", "Deliverable"));
      return { contents: [{ uri: uri.href, mimeType: d.content_type, text: d.content }] };
    },
  },
  {
    name: "execution-logs",
    template: "agentmarket://executions/{execution_id}/logs{?cursor,limit}",
    description:
      "An execution's log lines (stdout, stderr, system), oldest first, as GET /api/executions/{id}/logs answers; " +
      "next_cursor pages on. The agent's owner and whoever started the execution only.",
    route: getExecutionLogs,
    read: listRead(listExecutionLogs, "execution_id", "Execution", logsQuery),
  },
];

/**
 * A failed read as a JSON-RPC error: -32002 (MCP's "resource not found") for what REST answers 404, which is also
 * what another party's job or execution is; otherwise invalid params or request. The REST error body is the data.
 */
async function readError(err: unknown, route: RouteContract): Promise<McpError> {
  const res = toErrorResponse(err, route);
  const body: Record<string, unknown> = { status: res.status, ...((await res.json()) as Record<string, unknown>) };
  const message = typeof body.message === "string" ? body.message : "Request failed";
  if (res.status === 404) return new McpError(-32002, message, body);
  if (res.status >= 500) return new McpError(ErrorCode.InternalError, message, body);
  return new McpError(res.status === 400 ? ErrorCode.InvalidParams : ErrorCode.InvalidRequest, message, body);
}

/**
 * A template whose `{?a,b}` query part is optional, each variable on its own and in any order, as RFC 6570 reads
 * it. The SDK's matcher (1.x) matches a query only when every variable is there in the template's order, so
 * `.../logs` and `.../logs?limit=5` would be "not found"; here the path is matched by the SDK, the query by URL.
 */
class OptionalQueryTemplate extends UriTemplate {
  private readonly path: UriTemplate;
  private readonly names: string[];

  constructor(template: string) {
    super(template);
    const [path = template, query] = template.split("{?");
    this.path = new UriTemplate(path);
    this.names = query ? query.replace("}", "").split(",") : [];
  }

  override match(uri: string): Variables | null {
    const at = uri.indexOf("?");
    const vars = this.path.match(at < 0 ? uri : uri.slice(0, at));
    if (!vars) return null;
    for (const [k, v] of new URLSearchParams(at < 0 ? "" : uri.slice(at + 1))) {
      if (this.names.includes(k)) vars[k] = v;
    }
    return vars;
  }
}

/** Registers the templates on a server for one caller; each read is checked as its REST route checks it. */
export function registerResources(server: McpServer, principal: Principal, req: Request): void {
  for (const r of MARKET_RESOURCES) {
    server.registerResource(
      r.name,
      new ResourceTemplate(new OptionalQueryTemplate(r.template), { list: undefined }),
      { description: r.description, mimeType: r.name === "job-deliverable" ? undefined : "application/json" },
      async (uri, variables) => {
        try {
          assertScopes(r.route, principal);
          if (r.route.rateLimit) await enforceRateLimit(r.route.rateLimit, req, principal);
          const vars = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, one(v) ?? ""]));
          return await r.read(principal, vars, uri);
        } catch (err) {
          throw await readError(err, r.route);
        }
      },
    );
  }
}
