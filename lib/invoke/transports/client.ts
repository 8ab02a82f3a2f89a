import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { parseRuntimeArn } from "./arn";
import type { ChunkListener, StreamOutcome } from "./collector";
import { InvocationError } from "../errors";
import { HttpTransport } from "./http-transport";
import { dataPlaneEndpoint, MAX_PRESIGN_EXPIRY_S, presignWebSocketUrl } from "./presign";
import { DEFAULT_RETRY, realSleep, withRetry, type RetryPolicy, type Sleep } from "./retry";
import { generateSessionId, isValidSessionId } from "./session-id";
import { invokeOverWebSocket, SocketTracker } from "./ws-stream";

export type Transport = "ws" | "http";

export interface AgentCoreClientOptions {
  /** Data-plane origin override (`AWS_ENDPOINT_URL_BEDROCK_AGENTCORE`; the local endpoint in tests and dev). */
  endpoint?: string;
  connectTimeoutMs?: number;
  /** Longest wait for the first or next chunk within one attempt. */
  idleTimeoutMs?: number;
  /** Budget of a whole invocation, retries included (`INVOKE_TIMEOUT_MS`). */
  timeoutMs?: number;
  presignExpiresS?: number;
  retry?: Partial<RetryPolicy>;
  /** Injectable so that tests do not wait the real backoff. */
  sleep?: Sleep;
  /** The signing clock (tests sign "in the past" to see an expired URL refused). */
  now?: () => Date;
}

export interface InvokeOptions {
  transport?: Transport;
  qualifier?: string;
  /** Each chunk as it arrives; chunks are never replayed (a broken stream is not retried). */
  onChunk?: ChunkListener;
  signal?: AbortSignal;
}

/** An invocation's answer (AgentCore's AgentInvocationResponse), with what the metrics need. */
export interface AgentInvocationResponse {
  response: string;
  sessionId: string;
  incomplete?: true;
  metadata: { chunks: number; duration: number; firstChunkMs: number | null; attempts: number; transport: Transport };
}

type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/** Caches credentials until five minutes before they expire; the provider chain is asked only then. */
function memoize(source: Credentials | undefined): AwsCredentialIdentityProvider {
  if (source && typeof source !== "function") return async () => source;
  const provider = source ?? fromNodeProviderChain();
  let cached: Promise<AwsCredentialIdentity> | undefined;
  return () => {
    if (cached) {
      const c = cached;
      return c.then((v) =>
        v.expiration && v.expiration.getTime() - Date.now() < 300_000 ? ((cached = undefined), provider()) : v,
      );
    }
    const p = provider();
    cached = p;
    p.catch(() => {
      if (cached === p) cached = undefined;
    });
    return p;
  };
}

/**
 * Invokes agents hosted on AWS Bedrock AgentCore Runtime (the properties it keeps: ./properties.test.ts): SigV4-presigned WebSocket (or the SDK's
 * InvokeAgentRuntime over HTTP), SSE-formatted chunks, retries of transient failures, sockets always closed.
 * Credentials come from the standard provider chain unless given, and never appear in an error.
 */
export class AgentCoreClient {
  readonly sockets = new SocketTracker();
  private readonly credentials: AwsCredentialIdentityProvider;
  private readonly endpoint: string | undefined;
  private readonly opts: Required<Omit<AgentCoreClientOptions, "endpoint" | "retry">> & { retry: RetryPolicy };
  private http: HttpTransport | undefined;

  constructor(
    readonly region: string,
    credentials?: Credentials,
    options: AgentCoreClientOptions = {},
  ) {
    this.credentials = memoize(credentials);
    this.endpoint = options.endpoint;
    this.opts = {
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      idleTimeoutMs: options.idleTimeoutMs ?? 10_000,
      timeoutMs: options.timeoutMs ?? 25_000,
      presignExpiresS: Math.min(options.presignExpiresS ?? MAX_PRESIGN_EXPIRY_S, MAX_PRESIGN_EXPIRY_S),
      retry: { ...DEFAULT_RETRY, ...options.retry },
      sleep: options.sleep ?? realSleep,
      now: options.now ?? (() => new Date()),
    };
  }

  static generateSessionId(): string {
    return generateSessionId();
  }

  private async resolveCredentials(): Promise<AwsCredentialIdentity> {
    try {
      return await this.credentials();
    } catch {
      throw new InvocationError("AuthenticationError", "No AWS credentials are available to the server");
    }
  }

  /** The presigned `wss://.../runtimes/<arn>/ws?...` URL for one session (valid at most 300 s). */
  async generateSignedWebSocketUrl(runtimeArn: string, sessionId: string, qualifier?: string): Promise<string> {
    const { region } = parseRuntimeArn(runtimeArn);
    return presignWebSocketUrl({
      endpoint: dataPlaneEndpoint(region, this.endpoint),
      runtimeArn,
      qualifier,
      sessionId,
      region,
      credentials: await this.resolveCredentials(),
      expiresIn: this.opts.presignExpiresS,
      signingDate: this.opts.now(),
    });
  }

  /** Sends a prompt and resolves with the whole answer (chunks also go to `onChunk` as they come). */
  async invokeAgent(
    runtimeArn: string,
    prompt: string,
    sessionId?: string,
    options: InvokeOptions = {},
  ): Promise<AgentInvocationResponse> {
    const started = performance.now();
    const { region } = parseRuntimeArn(runtimeArn);
    const sid = sessionId ?? generateSessionId();
    if (!isValidSessionId(sid)) {
      throw new InvocationError("ValidationError", "sessionId must be 33 to 256 letters, digits, '.', '_', ':' or '-'");
    }
    if (typeof prompt !== "string" || prompt.length === 0) {
      throw new InvocationError("ValidationError", "prompt must be a non-empty string");
    }
    const transport = options.transport ?? "ws";
    const payload = JSON.stringify({ prompt, sessionId: sid });
    const deadline = AbortSignal.timeout(this.opts.timeoutMs);
    const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
    const endsAt = Date.now() + this.opts.timeoutMs;
    // Time to first chunk counts from the start of the invocation (retries and connecting included).
    let firstChunkAt: number | null = null;
    const onChunk: ChunkListener = (text, index) => {
      firstChunkAt ??= performance.now();
      options.onChunk?.(text, index);
    };

    const attempt = async (): Promise<StreamOutcome> => {
      if (transport === "http") {
        this.http ??= new HttpTransport(
          this.credentials,
          this.endpoint,
          this.opts.connectTimeoutMs,
          () => this.opts.now().getTime() - Date.now(),
        );
        await this.resolveCredentials();
        return this.http.invoke(region, {
          runtimeArn,
          qualifier: options.qualifier,
          sessionId: sid,
          payload,
          idleTimeoutMs: this.opts.idleTimeoutMs,
          signal,
          onChunk,
        });
      }
      const url = await this.generateSignedWebSocketUrl(runtimeArn, sid, options.qualifier);
      return invokeOverWebSocket({
        url,
        payload,
        connectTimeoutMs: this.opts.connectTimeoutMs,
        idleTimeoutMs: this.opts.idleTimeoutMs,
        signal,
        onChunk,
        tracker: this.sockets,
      });
    };

    const { value, attempts } = await withRetry(
      this.opts.retry,
      this.opts.sleep,
      attempt,
      (_err, delayMs) => Date.now() + delayMs < endsAt,
      signal,
    );
    return {
      response: value.text,
      sessionId: sid,
      ...(value.incomplete ? { incomplete: true as const } : {}),
      metadata: {
        chunks: value.chunks,
        duration: Math.round(performance.now() - started),
        firstChunkMs: firstChunkAt === null ? null : Math.round(firstChunkAt - started),
        attempts,
        transport,
      },
    };
  }

  /** Resolves once every WebSocket this client opened has closed. */
  whenIdle(): Promise<void> {
    return this.sockets.idle();
  }

  destroy(): void {
    this.http?.destroy();
  }
}
