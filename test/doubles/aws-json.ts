import http from "node:http";
import type net from "node:net";
import type { AwsCredentialIdentity } from "@smithy/types";
import { verifyHeaders } from "./agentcore/sigv4-verify";

/**
 * The HTTP side of a loopback double for an AWS JSON 1.1 service (ECS, CloudWatch Logs): `POST /` with
 * `X-Amz-Target: <prefix>.<Action>`, `Content-Type: application/x-amz-json-1.1`, a SigV4 `Authorization` header
 * recomputed and compared (agentcore/sigv4-verify.ts), errors as `{ "__type", "message" }` with the type also in
 * `x-amzn-errortype`, as the SDK's awsJson1_1 protocol reads them.
 */

/** An error answer of the service: its `__type`, message and HTTP status. */
export class AwsJsonError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface AwsJsonCall {
  action: string;
  status: number;
}

export interface AwsJsonServerOptions {
  /** `AmazonEC2ContainerServiceV20141113`, `Logs_20140328`. */
  targetPrefix: string;
  /** The SigV4 signing name: `ecs`, `logs`. */
  service: string;
  region: string;
  /** The keys the double knows. Without any, only the signature's shape is checked (benchmarks). */
  credentials?: AwsCredentialIdentity[];
  handlers: Record<string, (body: Record<string, any>) => unknown>;
  /** Runs before each handler, after the signature check (fault injection: throw an AwsJsonError). */
  before?: (action: string) => void;
  /** The `__type` of an unexpected failure (ECS: ServerException). */
  internalError?: string;
  /** Called with every answered call (tests count them). */
  onCall?: (call: AwsJsonCall, body: Record<string, any>) => void;
}

export interface AwsJsonServer {
  url: string;
  close(): Promise<void>;
}

const SHAPE_RE =
  /^AWS4-HMAC-SHA256 Credential=[^/\s]+\/\d{8}\/[a-z0-9-]+\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=[a-z0-9;-]+, ?Signature=[0-9a-f]{64}$/;

async function checkSignature(
  req: http.IncomingMessage,
  body: Buffer,
  opts: AwsJsonServerOptions,
): Promise<AwsJsonError | null> {
  const auth = String(req.headers.authorization ?? "");
  if (!auth) return new AwsJsonError("MissingAuthenticationTokenException", "Missing Authentication Token", 403);
  if (!opts.credentials?.length) {
    const m = SHAPE_RE.exec(auth);
    if (!m || m[1] !== opts.service || !req.headers["x-amz-date"]) {
      return new AwsJsonError("IncompleteSignatureException", "The request signature is malformed.", 403);
    }
    return null;
  }
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
  const verdict = await verifyHeaders(req, url, body, opts.region, opts.credentials, new Date(), opts.service);
  return verdict.ok ? null : new AwsJsonError(verdict.type, verdict.message, verdict.status);
}

export async function startAwsJsonServer(opts: AwsJsonServerOptions): Promise<AwsJsonServer> {
  const prefix = `${opts.targetPrefix}.`;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const target = String(req.headers["x-amz-target"] ?? "");
        const action = target.startsWith(prefix) ? target.slice(prefix.length) : target;
        const raw = Buffer.concat(chunks);
        let body: Record<string, any> = {};
        const reply = (status: number, value: unknown, type?: string) => {
          opts.onCall?.({ action, status }, body);
          res.writeHead(status, {
            "content-type": "application/x-amz-json-1.1",
            "x-amzn-requestid": crypto.randomUUID(),
            ...(type ? { "x-amzn-errortype": type } : {}),
          });
          res.end(JSON.stringify(value));
        };
        try {
          if (req.method !== "POST" || (req.url ?? "/") !== "/") {
            throw new AwsJsonError("UnknownOperationException", "", 404);
          }
          const refused = await checkSignature(req, raw, opts);
          if (refused) throw refused;
          if (!String(req.headers["content-type"] ?? "").startsWith("application/x-amz-json-1.1")) {
            throw new AwsJsonError("SerializationException", "Expected application/x-amz-json-1.1");
          }
          try {
            body = raw.length ? (JSON.parse(raw.toString("utf8")) as Record<string, any>) : {};
          } catch {
            throw new AwsJsonError("SerializationException", "Could not parse the request body");
          }
          const handler = opts.handlers[action];
          if (!handler) throw new AwsJsonError("UnknownOperationException", `Unknown operation ${action}`);
          opts.before?.(action);
          reply(200, handler(body));
        } catch (err) {
          const e =
            err instanceof AwsJsonError
              ? err
              : new AwsJsonError(opts.internalError ?? "ServiceUnavailableException", "Internal error", 500);
          reply(e.status, { __type: e.type, message: e.message }, e.type);
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
