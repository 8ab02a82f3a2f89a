import http from "node:http";
import https from "node:https";
import { BedrockAgentCoreClient, InvokeAgentRuntimeCommand } from "@aws-sdk/client-bedrock-agentcore";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import type { ChunkListener, StreamOutcome } from "./collector";
import { readAnswerBody } from "./http-stream";

export interface HttpInvokeInput {
  runtimeArn: string;
  qualifier?: string;
  sessionId: string;
  payload: string;
  idleTimeoutMs: number;
  signal?: AbortSignal;
  onChunk?: ChunkListener;
}

/**
 * The HTTP transport: `InvokeAgentRuntime` through the AWS SDK (SigV4-signed headers), for runtimes that do
 * not serve `/ws`. The answer is read as it streams (text/event-stream) or whole (JSON). The SDK's own retries
 * are off: the client's retry loop is the one place that decides.
 */
export class HttpTransport {
  private readonly clients = new Map<string, BedrockAgentCoreClient>();

  constructor(
    private readonly credentials: AwsCredentialIdentityProvider,
    private readonly endpoint: string | undefined,
    private readonly connectTimeoutMs: number,
    /** The signing clock, as an offset from the system clock (tests sign "in the past"). */
    private readonly clockOffsetMs: () => number = () => 0,
  ) {}

  private clientFor(region: string): BedrockAgentCoreClient {
    let client = this.clients.get(region);
    if (!client) {
      client = new BedrockAgentCoreClient({
        region,
        credentials: this.credentials,
        endpoint: this.endpoint,
        maxAttempts: 1,
        systemClockOffset: this.clockOffsetMs(),
        requestHandler: {
          connectionTimeout: this.connectTimeoutMs,
          httpAgent: new http.Agent({ keepAlive: true, maxSockets: 256 }),
          httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 256 }),
        },
      });
      this.clients.set(region, client);
    }
    return client;
  }

  async invoke(region: string, input: HttpInvokeInput): Promise<StreamOutcome> {
    const startedAt = performance.now();
    const abort = new AbortController();
    const onOuterAbort = () => abort.abort();
    input.signal?.addEventListener("abort", onOuterAbort, { once: true });
    // The wait for the response head counts against the idle timeout too (a runtime that never answers).
    const headTimer = setTimeout(() => abort.abort(), input.idleTimeoutMs);
    try {
      const out = await this.clientFor(region).send(
        new InvokeAgentRuntimeCommand({
          agentRuntimeArn: input.runtimeArn,
          qualifier: input.qualifier,
          runtimeSessionId: input.sessionId,
          contentType: "application/json",
          accept: "text/event-stream, application/json",
          payload: new TextEncoder().encode(input.payload),
        }),
        { abortSignal: abort.signal },
      );
      clearTimeout(headTimer);
      const body = out.response as unknown as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
      if (!body) return { text: "", chunks: 0, firstChunkMs: null, incomplete: false };
      return await readAnswerBody(body, {
        contentType: out.contentType,
        idleTimeoutMs: input.idleTimeoutMs,
        startedAt,
        onChunk: input.onChunk,
        cancel: () => body.destroy?.(),
        signal: abort.signal,
      });
    } finally {
      clearTimeout(headTimer);
      input.signal?.removeEventListener("abort", onOuterAbort);
    }
  }

  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }
}
