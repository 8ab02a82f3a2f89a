import { badRequest, tooLarge, unsupportedMediaType } from "./errors";
import { jsonDepthExceeds, MAX_JSON_DEPTH } from "./input-guards";

/** `application/json`, with or without parameters (`; charset=utf-8`), or a `+json` type. */
export function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const type = value.split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/**
 * Reads a JSON body within a byte limit: 413 past it, 415 when it is not declared as JSON, 400 for anything that is
 * not a JSON value or nests deeper than MAX_JSON_DEPTH. Only `application/json` is parsed: a `text/plain` or form
 * body is what a cross-site page can send without a CORS preflight, so it is never taken as a request.
 */
export async function readJsonBody(req: Request, limit: number): Promise<unknown> {
  const text = await readBodyText(req, limit);
  if (text === undefined) return undefined;
  if (!isJsonContentType(req.headers.get("content-type"))) throw unsupportedMediaType();
  if (jsonDepthExceeds(text)) {
    throw badRequest(`Request body nests deeper than ${MAX_JSON_DEPTH} levels`, { max_depth: MAX_JSON_DEPTH });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest("Request body is not valid JSON");
  }
}

/** The body as text within a byte limit (413 past it); undefined when empty. For bodies a signature covers as sent. */
export async function readBodyText(req: Request, limit: number): Promise<string | undefined> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  if (!req.body) return undefined;
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  if (size === 0) return undefined;
  return Buffer.concat(chunks).toString("utf8");
}
