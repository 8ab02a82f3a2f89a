import http from "node:http";
import type net from "node:net";
import type { AwsCredentialIdentity } from "@smithy/types";
import type { DeployedRuntimes } from "./agentcore/agent-host";
import { verifyHeaders } from "./agentcore/sigv4-verify";
import { ControlActions, type ControlFaults } from "./agentcore-control/actions";
import { VersionProcesses } from "./agentcore-control/processes";
import { ControlError, REGION, type Runtime } from "./agentcore-control/state";

/**
 * A protocol-faithful stand-in for the Bedrock AgentCore control plane (`bedrock-agentcore-control`), on loopback,
 * for tests and `npm run dev` without AWS. It speaks REST-JSON as the SDK's serializers do:
 *   PUT /runtimes/                                        CreateAgentRuntime (202)
 *   POST /runtimes/                                       ListAgentRuntimes (maxResults, nextToken)
 *   PUT /runtimes/{id}/                                   UpdateAgentRuntime (202)
 *   GET /runtimes/{id}/?version=N                         GetAgentRuntime
 *   PUT /runtimes/{id}/runtime-endpoints/                 CreateAgentRuntimeEndpoint (202)
 *   PUT /runtimes/{id}/runtime-endpoints/{name}/          UpdateAgentRuntimeEndpoint (202)
 *   GET /runtimes/{id}/runtime-endpoints/{name}/          GetAgentRuntimeEndpoint
 * with SigV4 verified for real (signing name bedrock-agentcore), errors as `x-amzn-errortype` + `{ message }`, and
 * faults (throttling, ConflictException, an endpoint that never becomes READY, a version that fails to build).
 * The runtimes it makes are served by the data-plane double (agentcore-server.ts, option `deployed`): each version
 * runs as a real process from its code in the S3 double. agentcore-control/actions.ts holds the operations.
 */

export interface AgentCoreControlOptions {
  credentials: AwsCredentialIdentity | AwsCredentialIdentity[];
  region?: string;
  /** The S3 double's objects (where codeConfiguration.code.s3 points). */
  object(bucket: string, key: string): Buffer | undefined;
  /** Container URI (no tag) -> installed artifact that stands for the image. */
  images?: Record<string, string>;
  /** How long a version builds and an endpoint moves, per step. */
  stepMs?: number;
  startTimeoutMs?: number;
  faults?: Partial<ControlFaults>;
}

export interface AgentCoreControlServer {
  url: string;
  runtimes: Map<string, Runtime>;
  calls: { operation: string; status: number }[];
  /** For the data-plane double: what serves a runtime's endpoint. */
  deployed: DeployedRuntimes;
  setFault(f: Partial<ControlFaults>): void;
  close(): Promise<void>;
}

const ROUTES: [string, RegExp, string][] = [
  ["PUT", /^\/runtimes\/?$/, "CreateAgentRuntime"],
  ["POST", /^\/runtimes\/?$/, "ListAgentRuntimes"],
  ["PUT", /^\/runtimes\/([^/]+)\/runtime-endpoints\/?$/, "CreateAgentRuntimeEndpoint"],
  ["PUT", /^\/runtimes\/([^/]+)\/runtime-endpoints\/([^/]+)\/?$/, "UpdateAgentRuntimeEndpoint"],
  ["GET", /^\/runtimes\/([^/]+)\/runtime-endpoints\/([^/]+)\/?$/, "GetAgentRuntimeEndpoint"],
  ["PUT", /^\/runtimes\/([^/]+)\/?$/, "UpdateAgentRuntime"],
  ["GET", /^\/runtimes\/([^/]+)\/?$/, "GetAgentRuntime"],
];

export async function startAgentCoreControlServer(opts: AgentCoreControlOptions): Promise<AgentCoreControlServer> {
  const region = opts.region ?? REGION;
  const credentials = Array.isArray(opts.credentials) ? opts.credentials : [opts.credentials];
  const faults: ControlFaults = {
    throttle: 0,
    conflict: 0,
    endpointNeverReady: 0,
    failVersions: 0,
    failReason: "Runtime build failed: the entry point could not be found in the code package",
    ...opts.faults,
  };
  const processes = new VersionProcesses({
    object: opts.object,
    images: opts.images ?? {},
    startTimeoutMs: opts.startTimeoutMs ?? 15_000,
  });
  const actions = new ControlActions(faults, processes, (b, k) => !!opts.object(b, k), opts.stepMs ?? 20);
  const calls: AgentCoreControlServer["calls"] = [];

  const dispatch = (operation: string, params: string[], url: URL, body: Record<string, any>) => {
    const [id = "", name = ""] = params.map(decodeURIComponent);
    switch (operation) {
      case "CreateAgentRuntime":
        return actions.createRuntime(body);
      case "ListAgentRuntimes":
        return actions.listRuntimes(body);
      case "UpdateAgentRuntime":
        return actions.updateRuntime(id, body);
      case "GetAgentRuntime":
        return actions.getRuntime(id, url.searchParams.get("version"));
      case "CreateAgentRuntimeEndpoint":
        return actions.createEndpoint(id, body);
      case "UpdateAgentRuntimeEndpoint":
        return actions.updateEndpoint(id, name, body);
      default:
        return actions.getEndpoint(id, name);
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", "http://agentcore-control.local");
        const route = ROUTES.find(([m, re]) => m === req.method && re.test(url.pathname));
        const operation = route?.[2] ?? "Unknown";
        const reply = (status: number, value: unknown, type?: string) => {
          calls.push({ operation, status });
          res.writeHead(status, {
            "content-type": "application/json",
            "x-amzn-requestid": crypto.randomUUID(),
            ...(type ? { "x-amzn-errortype": type } : {}),
          });
          res.end(JSON.stringify(value));
        };
        try {
          const raw = Buffer.concat(chunks);
          const verdict = await verifyHeaders(req, url, raw, region, credentials);
          if (!verdict.ok) throw new ControlError(verdict.type, verdict.message, verdict.status);
          if (!route) throw new ControlError("UnknownOperationException", "Unknown operation", 404);
          if (faults.throttle > 0) {
            faults.throttle--;
            throw new ControlError("ThrottlingException", "Rate exceeded", 429);
          }
          let body: Record<string, any> = {};
          try {
            if (raw.length) body = JSON.parse(raw.toString("utf8"));
          } catch {
            throw new ControlError("SerializationException", "Could not parse the request body", 400);
          }
          const out = dispatch(operation, route[1].exec(url.pathname)!.slice(1), url, body);
          reply(req.method === "PUT" ? 202 : 200, out);
        } catch (err) {
          const e =
            err instanceof ControlError ? err : new ControlError("InternalServerException", "Internal error", 500);
          reply(e.status, { message: e.message }, e.type);
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    runtimes: actions.runtimes,
    calls,
    deployed: {
      has: (arn, qualifier) => actions.serving(arn, qualifier) !== null,
      agentFor: (arn, qualifier) => actions.agentFor(arn, qualifier),
    },
    setFault: (f) => void Object.assign(faults, f),
    async close() {
      actions.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await processes.close();
    },
  };
}
