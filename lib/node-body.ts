import type { IncomingMessage } from "node:http";

/**
 * A Node request's body, whole once it ends, keeping its first `max` bytes (what comes after is read and dropped,
 * so the sender is never left blocked): for the plain `http` servers that stand in front of instances.
 */
export function readNodeBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= max) chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
