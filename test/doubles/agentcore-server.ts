import http, { type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { AwsCredentialIdentity } from "@smithy/types";
import { WebSocketServer } from "ws";
import { parseRuntimePath } from "@/lib/invoke/transports/arn";
import { readNodeBody } from "@/lib/node-body";
import { AgentPool, type DeployedRuntimes, type HostedAgentSpec } from "./agentcore/agent-host";
import { FaultBook, type Fault } from "./agentcore/faults";
import { refuseHttp, refuseUpgrade, sessionIdOf } from "./agentcore/protocol";
import { Relay, type Admitted } from "./agentcore/relay";
import { verifyHeaders, verifyPresigned, type Refusal } from "./agentcore/sigv4-verify";
import { EndpointState, type SessionRecord } from "./agentcore/state";

export type { Fault };

/**
 * A protocol-faithful stand-in for the AWS Bedrock AgentCore data plane, on 127.0.0.1 (tests, benchmarks and
 * `npm run dev` without AWS): `/runtimes/{arn}/ws` (WebSocket, presigned URL or signed headers) and
 * `/runtimes/{arn}/invocations` (POST, SigV4 headers as the SDK sends them). Signatures are verified for real;
 * session ids are validated and kept; the hosted agents are real agent-contract programs (agents/*), each
 * spawned once, to which prompts are relayed. Faults can be injected per runtime or for all.
 * This file admits connections; agentcore/relay.ts carries invocations to the agents (agentcore/agent-host.ts),
 * agentcore/faults.ts holds the faults, agentcore/state.ts the sessions and counts.
 */
export interface AgentCoreServerOptions {
  region?: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentity[];
  /** Runtime ARN -> the agent program that serves it. Several ARNs may share a program (one process). */
  agents: Record<string, HostedAgentSpec>;
  faults?: Fault[];
  /** The clock signatures are checked against (tests move it to see expiry). */
  now?: () => Date;
  /**
   * Start every agent program before answering (default true), so that no invocation pays a cold start (a slow
   * start would trip a client's idle timeout and make it retry). A crashed agent is still started on demand.
   */
  eager?: boolean;
  /** Runtimes created through the control-plane double (agentcore-control-server.ts), served besides `agents`. */
  deployed?: DeployedRuntimes;
}

export interface AgentCoreServer {
  url: string;
  region: string;
  arns: string[];
  sessions: Map<string, SessionRecord>;
  stats: { connections: number; open: number; refused: number; invocations: number };
  /** Every invocation relayed: runtime, session, the endpoint it named (qualifier) and its transport. */
  calls: EndpointState["calls"];
  setFault(fault: Fault): void;
  clearFaults(): void;
  /** Resolves when no client connection (WebSocket or HTTP invocation) is open. */
  waitIdle(): Promise<void>;
  close(): Promise<void>;
}

const MAX_BODY = 10_000_000;

export async function startAgentCoreServer(options: AgentCoreServerOptions): Promise<AgentCoreServer> {
  const region = options.region ?? "us-east-1";
  const credentials = Array.isArray(options.credentials) ? options.credentials : [options.credentials];
  const now = options.now ?? (() => new Date());
  const faults = new FaultBook();
  for (const f of options.faults ?? []) faults.add(f);
  const state = new EndpointState();
  const pool = new AgentPool(options.agents, options.deployed);
  const relay = new Relay(state, pool);
  const unavailable: Refusal = { status: 503, type: "ServiceUnavailableException", message: "Service unavailable" };

  /** Common gate of both paths: route, signature, session id, hosted runtime. */
  const admit = async (
    req: IncomingMessage,
    url: URL,
    body: Buffer,
    action: "ws" | "invocations",
  ): Promise<Admitted | Refusal> => {
    const route = parseRuntimePath(url.pathname);
    if (!route || route.action !== action) {
      return { status: 404, type: "UnknownOperationException", message: "Unknown operation" };
    }
    const verdict = req.headers.authorization
      ? await verifyHeaders(req, url, body, region, credentials, now())
      : await verifyPresigned(req, url, region, credentials, now());
    if (!verdict.ok) return verdict;
    const sessionId = sessionIdOf(req, url);
    if (!sessionId || sessionId.length < 33 || sessionId.length > 256) {
      return {
        status: 400,
        type: "ValidationException",
        message: "runtimeSessionId must be between 33 and 256 characters",
      };
    }
    const qualifier = url.searchParams.get("qualifier") || "DEFAULT";
    if (!options.agents[route.arn] && !options.deployed?.has(route.arn, qualifier)) {
      return { status: 404, type: "ResourceNotFoundException", message: "No agent runtime with this ARN" };
    }
    return { arn: route.arn, sessionId, qualifier };
  };

  /** Both paths past the gate: admitted and opened with the fault to inject, or the (counted) refusal. */
  const open = async (
    req: IncomingMessage,
    url: URL,
    body: Buffer,
    action: "ws" | "invocations",
  ): Promise<{ refusal: Refusal } | { gate: Admitted; fault: Fault | null }> => {
    const gate = await admit(req, url, body, action);
    const fault = "status" in gate ? null : faults.take(gate.arn);
    const refusal = "status" in gate ? gate : fault?.kind === "unavailable" ? unavailable : null;
    if (refusal) {
      state.stats.refused++;
      return { refusal };
    }
    state.opened();
    return { gate: gate as Admitted, fault };
  };

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://agentcore.local");
    void readNodeBody(req, MAX_BODY).then(async (body) => {
      if (req.method !== "POST")
        return refuseHttp(res, { status: 404, type: "UnknownOperationException", message: "Unknown operation" });
      const call = await open(req, url, body, "invocations");
      if ("refusal" in call) return refuseHttp(res, call.refusal);
      res.on("close", () => state.closed());
      await relay.serveInvocation(req, res, body, call.gate, call.fault);
    });
  });

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => {});
    const url = new URL(req.url ?? "/", "http://agentcore.local");
    void open(req, url, Buffer.alloc(0), "ws").then((call) => {
      if ("refusal" in call) return refuseUpgrade(socket, call.refusal);
      wss.handleUpgrade(req, socket, head, (ws) => relay.serveWs(ws, call.gate, call.fault));
    });
  });

  if (options.eager !== false) await pool.startAll();

  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    region,
    arns: Object.keys(options.agents),
    sessions: state.sessions,
    stats: state.stats,
    calls: state.calls,
    setFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    waitIdle: () => state.idle(),
    async close() {
      relay.close();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await pool.stop();
    },
  };
}
