import { createHash } from "node:crypto";
import http from "node:http";
import type net from "node:net";
import type { AwsCredentialIdentity } from "@smithy/types";
import { verifyHeaders } from "./agentcore/sigv4-verify";

/**
 * A protocol-faithful S3 endpoint for tests and offline development: path-style REST-XML (`PUT /{bucket}/{key}`
 * = PutObject, `HEAD /{bucket}/{key}` = HeadObject, `GET /{bucket}/{key}` = GetObject), SigV4 verified for real
 * (service `s3`, the payload hash the client declared checked against the body). Objects live in memory; the
 * AgentCore control-plane double reads a runtime's code from here, as AgentCore reads it from the operator's
 * bucket. Never used in production: the real S3Client is pointed here through its `endpoint` (forcePathStyle).
 */

export interface S3Object {
  body: Buffer;
  etag: string;
  contentType: string;
  lastModified: Date;
  metadata: Record<string, string>;
}

export interface S3Faults {
  /** The next N requests answer 503 SlowDown. */
  slowDown: number;
}

export interface S3Server {
  url: string;
  /** `bucket/key` -> object. */
  objects: Map<string, S3Object>;
  calls: { method: string; key: string; status: number }[];
  get(bucket: string, key: string): S3Object | undefined;
  setFault(f: Partial<S3Faults>): void;
  close(): Promise<void>;
}

export interface S3ServerOptions {
  credentials: AwsCredentialIdentity | AwsCredentialIdentity[];
  region?: string;
  /** The buckets that exist (others answer NoSuchBucket). */
  buckets: string[];
}

function xmlError(res: http.ServerResponse, status: number, code: string, message: string, head = false) {
  res.writeHead(status, { "content-type": "application/xml", "x-amz-request-id": crypto.randomUUID() });
  // HEAD answers carry no body: the SDK reads the status alone (NotFound for 404).
  res.end(
    head
      ? undefined
      : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  );
}

export async function startS3Server(opts: S3ServerOptions): Promise<S3Server> {
  const region = opts.region ?? "us-east-1";
  const credentials = Array.isArray(opts.credentials) ? opts.credentials : [opts.credentials];
  const buckets = new Set(opts.buckets);
  const objects = new Map<string, S3Object>();
  const calls: S3Server["calls"] = [];
  const faults: S3Faults = { slowDown: 0 };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", "http://s3.local");
        const head = req.method === "HEAD";
        const [bucket = "", ...rest] = url.pathname.slice(1).split("/");
        const key = rest.map(decodeURIComponent).join("/");
        const record = (status: number) => calls.push({ method: req.method ?? "", key: `${bucket}/${key}`, status });
        const body = Buffer.concat(chunks);
        const verdict = await verifyHeaders(req, url, body, region, credentials, new Date(), "s3");
        if (!verdict.ok) {
          record(verdict.status);
          return xmlError(
            res,
            verdict.status,
            verdict.type.replace("InvalidSignatureException", "SignatureDoesNotMatch"),
            verdict.message,
            head,
          );
        }
        if (faults.slowDown > 0) {
          faults.slowDown--;
          record(503);
          return xmlError(res, 503, "SlowDown", "Please reduce your request rate.", head);
        }
        if (!buckets.has(bucket)) {
          record(404);
          return xmlError(res, 404, "NoSuchBucket", "The specified bucket does not exist", head);
        }
        if (!key) {
          record(400);
          return xmlError(res, 400, "InvalidRequest", "This double serves object operations only", head);
        }
        const id = `${bucket}/${key}`;
        if (req.method === "PUT") {
          const etag = `"${createHash("md5").update(body).digest("hex")}"`;
          const metadata: Record<string, string> = {};
          for (const [k, v] of Object.entries(req.headers)) {
            if (k.startsWith("x-amz-meta-") && typeof v === "string") metadata[k.slice(11)] = v;
          }
          objects.set(id, {
            body,
            etag,
            contentType: String(req.headers["content-type"] ?? "binary/octet-stream"),
            lastModified: new Date(),
            metadata,
          });
          record(200);
          res.writeHead(200, { etag, "x-amz-request-id": crypto.randomUUID() });
          return res.end();
        }
        if (req.method === "GET" || head) {
          const o = objects.get(id);
          if (!o) {
            record(404);
            return xmlError(res, 404, "NoSuchKey", "The specified key does not exist.", head);
          }
          record(200);
          const meta = Object.fromEntries(Object.entries(o.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v]));
          res.writeHead(200, {
            etag: o.etag,
            "content-type": o.contentType,
            "content-length": o.body.length,
            "last-modified": o.lastModified.toUTCString(),
            "x-amz-request-id": crypto.randomUUID(),
            ...meta,
          });
          return res.end(head ? undefined : o.body);
        }
        record(405);
        xmlError(res, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.", head);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    objects,
    calls,
    get: (bucket, key) => objects.get(`${bucket}/${key}`),
    setFault: (f) => void Object.assign(faults, f),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
