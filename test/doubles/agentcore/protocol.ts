import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { SESSION_HEADER } from "@/lib/invoke/transports/presign";
import { parseAgentMessage } from "@/lib/invoke/transports/agent-frames";
import type { Refusal } from "./sigv4-verify";

// Wire-level helpers of the local AgentCore endpoint (test/doubles/agentcore-server.ts).

export function sessionIdOf(req: IncomingMessage, url: URL): string | null {
  const header = req.headers[SESSION_HEADER.toLowerCase()];
  if (typeof header === "string" && header) return header;
  return url.searchParams.get(SESSION_HEADER);
}

function refusalBody(r: Refusal): string {
  return JSON.stringify({ message: r.message });
}

export function refuseUpgrade(socket: Duplex, r: Refusal): void {
  const body = refusalBody(r);
  const reason = http.STATUS_CODES[r.status] ?? "Error";
  socket.end(
    `HTTP/1.1 ${r.status} ${reason}\r\nx-amzn-errortype: ${r.type}\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

export function refuseHttp(res: ServerResponse, r: Refusal): void {
  const body = refusalBody(r);
  res.writeHead(r.status, { "x-amzn-errortype": r.type, "content-type": "application/json" });
  res.end(body);
}

/** Splits an SSE byte stream into whole event blocks (`...\n\n`). */
export class BlockSplitter {
  private buffer = "";
  push(text: string): string[] {
    this.buffer += text;
    const out: string[] = [];
    for (let i = this.buffer.indexOf("\n\n"); i >= 0; i = this.buffer.indexOf("\n\n")) {
      out.push(this.buffer.slice(0, i + 2));
      this.buffer = this.buffer.slice(i + 2);
    }
    return out;
  }
}

export const isChunkBlock = (block: string) => parseAgentMessage(block)[0]?.type === "chunk";

/** One SSE event carrying a chunk, as agents write it. */
export function formatChunkFrame(text: string): string {
  return `data: ${JSON.stringify({ chunk: text })}\n\n`;
}

/** The payload as the agent gets it: the session is the one AgentCore routed on, whatever the body says. */
export function withSession(payload: string, sessionId: string): string {
  try {
    const value = JSON.parse(payload) as unknown;
    if (value && typeof value === "object" && !Array.isArray(value)) return JSON.stringify({ ...value, sessionId });
  } catch {
    // not JSON: relayed as is
  }
  return payload;
}
