import http, { type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { AwsCredentialIdentity } from "@smithy/types";
import WebSocket, { WebSocketServer } from "ws";
import { parseRuntimePath } from "@/lib/invoke/transports/arn";
import { SESSION_HEADER } from "@/lib/invoke/transports/presign";
import { startHostedAgent, type HostedAgentSpec, type RunningAgent } from "./agentcore/agent-host";
import { BlockSplitter, isChunkBlock, refuseHttp, refuseUpgrade, sessionIdOf, withSession } from "./agentcore/protocol";
import { verifyHeaders, verifyPresigned, type Refusal } from "./agentcore/sigv4-verify";

/**
 * A protocol-faithful stand-in for the AWS Bedrock AgentCore data plane, on 127.0.0.1 (tests, benchmarks and
 * `npm run dev` without AWS): `/runtimes/{arn}/ws` (WebSocket, presigned URL or signed headers) and
 * `/runtimes/{arn}/invocations` (POST, SigV4 headers as the SDK sends them). Signatures are verified for real;
 * session ids are validated and kept; the hosted agents are real agent-contract programs (agents/*), each
 * spawned once, to which prompts are relayed. Faults can be injected per runtime or for all.
 */
export type Fault =
  | { kind: "unavailable"; count?: number; arn?: string }
  /** Accepts and never answers; with `afterChunks`, stalls after relaying that many chunks. */
  | { kind: "timeout"; count?: number; arn?: string; afterChunks?: number }
  | { kind: "drop"; afterChunks: number; count?: number; arn?: string };

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
}

export interface SessionRecord {
  arn: string;
  createdAt: Date;
  lastUsedAt: Date;
  invocations: number;
}

export interface AgentCoreServer {
  url: string;
  region: string;
  arns: string[];
  sessions: Map<string, SessionRecord>;
  stats: { connections: number; open: number; refused: number; invocations: number };
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
  let faults: (Fault & { count: number })[] = [];
  const sessions = new Map<string, SessionRecord>();
  const stats = { connections: 0, open: 0, refused: 0, invocations: 0 };
  const idleWaiters: (() => void)[] = [];
  const running = new Map<string, Promise<RunningAgent>>();
  const upstreamAgent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const liveSockets = new Set<WebSocket>();

  const setFault = (fault: Fault) => void faults.push({ ...fault, count: fault.count ?? 1 });
  for (const f of options.faults ?? []) setFault(f);

  /** Takes the next matching fault for a new connection to `arn` (each one is used `count` times). */
  const takeFault = (arn: string): Fault | null => {
    const f = faults.find((x) => (!x.arn || x.arn === arn) && x.count > 0);
    if (!f) return null;
    f.count -= 1;
    faults = faults.filter((x) => x.count > 0);
    return f;
  };

  const opened = () => {
    stats.connections++;
    stats.open++;
  };
  const closed = () => {
    stats.open--;
    if (stats.open === 0) for (const w of idleWaiters.splice(0)) w();
  };

  const agentFor = (arn: string): Promise<RunningAgent> => {
    const spec = options.agents[arn]!;
    const key = JSON.stringify(spec);
    let p = running.get(key);
    if (!p) {
      p = startHostedAgent(spec);
      running.set(key, p);
      // A crashed agent (`__crash__`) is started again on next use, as AgentCore replaces a failed microVM.
      p.then(
        (a) => a.child.once("exit", () => running.get(key) === p && running.delete(key)),
        () => running.delete(key),
      );
    }
    return p;
  };

  const touchSession = (sessionId: string, arn: string) => {
    const s = sessions.get(sessionId);
    const t = new Date();
    if (s) {
      s.lastUsedAt = t;
      s.invocations++;
    } else sessions.set(sessionId, { arn, createdAt: t, lastUsedAt: t, invocations: 1 });
    stats.invocations++;
  };

  /** Common gate of both paths: route, signature, session id, hosted runtime. */
  const admit = async (
    req: IncomingMessage,
    url: URL,
    body: Buffer,
    action: "ws" | "invocations",
  ): Promise<{ arn: string; sessionId: string } | Refusal> => {
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
    if (!options.agents[route.arn]) {
      return { status: 404, type: "ResourceNotFoundException", message: "No agent runtime with this ARN" };
    }
    return { arn: route.arn, sessionId };
  };

  /** POSTs a payload to the agent's /invocations; resolves with the response stream. */
  const postToAgent = (agent: RunningAgent, payload: string, sessionId: string, accept: string) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const req = http.request(
        `${agent.origin}/invocations`,
        {
          method: "POST",
          agent: upstreamAgent,
          headers: {
            "content-type": "application/json",
            accept,
            [SESSION_HEADER]: sessionId,
            "content-length": Buffer.byteLength(payload),
          },
        },
        resolve,
      );
      req.on("error", reject);
      req.end(payload);
    });

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  const serveWs = (client: WebSocket, arn: string, sessionId: string, fault: Fault | null) => {
    liveSockets.add(client);
    let upstream: WebSocket | null = null;
    let chunksSent = 0;
    let dropped = false;
    const forward = (block: string) => {
      if (client.readyState !== WebSocket.OPEN || dropped) return;
      // A stalled stream: K chunks, then silence (the DONE is held back too).
      if (
        fault?.kind === "timeout" &&
        (isChunkBlock(block) ? chunksSent >= (fault.afterChunks ?? 0) : chunksSent > 0)
      ) {
        return;
      }
      if (isChunkBlock(block)) chunksSent++;
      if (fault?.kind === "drop" && chunksSent >= fault.afterChunks) {
        // Drop the connection once this frame is on the wire (not before: the client must see K chunks).
        dropped = true;
        client.send(block, () => client.terminate());
        upstream?.terminate();
        return;
      }
      client.send(block);
    };
    client.on("close", () => {
      liveSockets.delete(client);
      upstream?.terminate();
      closed();
    });
    client.on("error", () => {});
    client.on("message", (raw) => {
      if (fault?.kind === "timeout" && !fault.afterChunks) return; // accepted, never answered
      touchSession(sessionId, arn);
      const payload = withSession(String(raw), sessionId);
      void agentFor(arn)
        .then(async (agent) => {
          if (agent.servesWs) {
            if (!upstream || upstream.readyState > WebSocket.OPEN) {
              upstream = new WebSocket(`${agent.origin.replace(/^http/, "ws")}/ws`, { perMessageDeflate: false });
              upstream.on("message", (data) => forward(String(data)));
              upstream.on("close", () => client.readyState === WebSocket.OPEN && client.close(1011, "agent closed"));
              upstream.on("error", () => client.terminate());
            }
            const up = upstream;
            if (up.readyState === WebSocket.OPEN) up.send(payload);
            else up.once("open", () => up.send(payload));
            return;
          }
          const res = await postToAgent(agent, payload, sessionId, "text/event-stream");
          const splitter = new BlockSplitter();
          res.setEncoding("utf8");
          res.on("data", (text: string) => splitter.push(text).forEach(forward));
          res.on("error", () => client.terminate());
        })
        .catch(() => client.close(1011, "agent unavailable"));
    });
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://agentcore.local");
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("end", () => {
      void (async () => {
        if (req.method !== "POST")
          return refuseHttp(res, { status: 404, type: "UnknownOperationException", message: "Unknown operation" });
        const body = Buffer.concat(chunks);
        const gate = await admit(req, url, body, "invocations");
        if ("status" in gate) {
          stats.refused++;
          return refuseHttp(res, gate);
        }
        const fault = takeFault(gate.arn);
        if (fault?.kind === "unavailable") {
          stats.refused++;
          return refuseHttp(res, { status: 503, type: "ServiceUnavailableException", message: "Service unavailable" });
        }
        opened();
        res.on("close", closed);
        if (fault?.kind === "timeout" && !fault.afterChunks) return; // accepted, never answered
        touchSession(gate.sessionId, gate.arn);
        try {
          const agent = await agentFor(gate.arn);
          const up = await postToAgent(
            agent,
            withSession(body.toString("utf8"), gate.sessionId),
            gate.sessionId,
            String(req.headers.accept ?? "application/json"),
          );
          const contentType = String(up.headers["content-type"] ?? "application/json");
          res.writeHead(up.statusCode ?? 502, { "content-type": contentType, [SESSION_HEADER]: gate.sessionId });
          if (!/event-stream/.test(contentType)) return void up.pipe(res);
          const splitter = new BlockSplitter();
          let sent = 0;
          let dropped = false;
          up.setEncoding("utf8");
          up.on("data", (text: string) => {
            for (const block of splitter.push(text)) {
              if (dropped) return;
              if (fault?.kind === "timeout" && (isChunkBlock(block) ? sent >= (fault.afterChunks ?? 0) : sent > 0))
                return;
              if (isChunkBlock(block)) sent++;
              if (fault?.kind === "drop" && sent >= fault.afterChunks) {
                // Break the chunked body once this chunk is flushed: the client sees K chunks, then a reset.
                dropped = true;
                up.destroy();
                res.write(block, () => res.destroy());
                return;
              }
              res.write(block);
            }
          });
          up.on("end", () => !dropped && fault?.kind !== "timeout" && res.end());
          up.on("error", () => res.destroy());
        } catch {
          if (!res.headersSent) {
            refuseHttp(res, { status: 502, type: "RuntimeClientError", message: "The agent runtime failed" });
          } else res.destroy();
        }
      })();
    });
  });

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => {});
    const url = new URL(req.url ?? "/", "http://agentcore.local");
    void admit(req, url, Buffer.alloc(0), "ws").then((gate) => {
      if ("status" in gate) {
        stats.refused++;
        return refuseUpgrade(socket, gate);
      }
      const fault = takeFault(gate.arn);
      if (fault?.kind === "unavailable") {
        stats.refused++;
        return refuseUpgrade(socket, {
          status: 503,
          type: "ServiceUnavailableException",
          message: "Service unavailable",
        });
      }
      opened();
      wss.handleUpgrade(req, socket, head, (ws) => serveWs(ws, gate.arn, gate.sessionId, fault));
    });
  });

  if (options.eager !== false) {
    try {
      await Promise.all(Object.keys(options.agents).map((arn) => agentFor(arn)));
    } catch (err) {
      await Promise.allSettled([...running.values()].map(async (p) => (await p).stop()));
      throw err;
    }
  }

  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    region,
    arns: Object.keys(options.agents),
    sessions,
    stats,
    setFault,
    clearFaults: () => {
      faults = [];
    },
    waitIdle: () => (stats.open === 0 ? Promise.resolve() : new Promise((r) => idleWaiters.push(r))),
    async close() {
      for (const ws of liveSockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      upstreamAgent.destroy();
      const agents = await Promise.allSettled([...running.values()]);
      running.clear();
      await Promise.all(agents.map((a) => (a.status === "fulfilled" ? a.value.stop() : undefined)));
    },
  };
}
