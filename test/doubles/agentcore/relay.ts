import http, { type IncomingMessage, type ServerResponse } from "node:http";
import WebSocket from "ws";
import { SESSION_HEADER } from "@/lib/invoke/transports/presign";
import type { AgentPool, RunningAgent } from "./agent-host";
import { streamFault, type Fault } from "./faults";
import { BlockSplitter, refuseHttp, withSession } from "./protocol";
import type { EndpointState } from "./state";

/** An admitted invocation: the runtime it is for and its session. */
export interface Admitted {
  arn: string;
  sessionId: string;
  /** The endpoint the call names (`?qualifier=`, DEFAULT when absent). */
  qualifier: string;
}

/**
 * Relays admitted invocations to the hosted agent programs and their answers back, over the agent's `/ws` when it
 * serves one and its `/invocations` otherwise, with the connection's fault applied to the answer's stream.
 */
export class Relay {
  private readonly upstreamAgent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  private readonly liveSockets = new Set<WebSocket>();

  constructor(
    private readonly state: EndpointState,
    private readonly pool: AgentPool,
  ) {}

  /** One client WebSocket: each message is an invocation of `arn` in `sessionId`. */
  serveWs(client: WebSocket, { arn, sessionId, qualifier }: Admitted, fault: Fault | null): void {
    this.liveSockets.add(client);
    let upstream: WebSocket | null = null;
    let dropped = false;
    const verdict = streamFault(fault);
    const forward = (block: string) => {
      if (client.readyState !== WebSocket.OPEN || dropped) return;
      const v = verdict(block);
      if (v === "hold") return;
      if (v === "last") {
        dropped = true;
        client.send(block, () => client.terminate());
        upstream?.terminate();
        return;
      }
      client.send(block);
    };
    client.on("close", () => {
      this.liveSockets.delete(client);
      upstream?.terminate();
      this.state.closed();
    });
    client.on("error", () => {});
    client.on("message", (raw) => {
      if (fault?.kind === "timeout" && !fault.afterChunks) return; // accepted, never answered
      this.state.invoked(sessionId, arn, qualifier, "ws");
      const payload = withSession(String(raw), sessionId);
      void this.pool
        .agentFor(arn, qualifier)
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
          const res = await this.post(agent, payload, sessionId, "text/event-stream");
          const splitter = new BlockSplitter();
          res.setEncoding("utf8");
          res.on("data", (text: string) => splitter.push(text).forEach(forward));
          res.on("error", () => client.terminate());
        })
        .catch(() => client.close(1011, "agent unavailable"));
    });
  }

  /** One HTTP invocation (`POST /runtimes/{arn}/invocations`), answered as the agent answers: JSON or SSE. */
  async serveInvocation(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    { arn, sessionId, qualifier }: Admitted,
    fault: Fault | null,
  ): Promise<void> {
    if (fault?.kind === "timeout" && !fault.afterChunks) return; // accepted, never answered
    this.state.invoked(sessionId, arn, qualifier, "http");
    try {
      const agent = await this.pool.agentFor(arn, qualifier);
      const up = await this.post(
        agent,
        withSession(body.toString("utf8"), sessionId),
        sessionId,
        String(req.headers.accept ?? "application/json"),
      );
      const contentType = String(up.headers["content-type"] ?? "application/json");
      res.writeHead(up.statusCode ?? 502, { "content-type": contentType, [SESSION_HEADER]: sessionId });
      if (!/event-stream/.test(contentType)) return void up.pipe(res);
      const splitter = new BlockSplitter();
      const verdict = streamFault(fault);
      let dropped = false;
      up.setEncoding("utf8");
      up.on("data", (text: string) => {
        for (const block of splitter.push(text)) {
          if (dropped) return;
          const v = verdict(block);
          if (v === "hold") return;
          if (v === "last") {
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
  }

  close(): void {
    for (const ws of this.liveSockets) ws.terminate();
    this.upstreamAgent.destroy();
  }

  /** POSTs a payload to the agent's /invocations; resolves with the response stream. */
  private post(agent: RunningAgent, payload: string, sessionId: string, accept: string): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        `${agent.origin}/invocations`,
        {
          method: "POST",
          agent: this.upstreamAgent,
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
  }
}
