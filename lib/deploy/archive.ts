import "server-only";
import { promisify } from "node:util";
import zlib from "node:zlib";
import tar from "tar-stream";
import yauzl from "yauzl";
import type { BUNDLE_FORMATS } from "@/db/schema/deployments";
import { ApiError, badRequest, unprocessable } from "@/lib/api/errors";
import { bundleLimits, type BundleLimits } from "./limits";

/**
 * Uploaded code (`agent_code.source_code`): base64 of a .zip, a .tar.gz or a single file named by the entrypoint,
 * told apart by magic bytes. An archive may hold only regular files and folders at relative paths inside it: an
 * absolute path, `..`, a link, a device or a FIFO refuses the whole bundle (400), and so do too many entries or more
 * unpacked bytes than the limits allow (413; the sizes are counted as the data inflates, so a zip whose headers lie
 * is caught too). Storing and unpacking bundles is ./bundles.ts.
 */

export type BundleFormat = (typeof BUNDLE_FORMATS)[number];

const FIELD = "agent_code.source_code";

function refused(message: string, entry?: string): ApiError {
  return badRequest(`${FIELD}: ${message}`, { fields: { [FIELD]: message }, ...(entry ? { entry } : {}) });
}

function tooBig(message: string, limit: number): ApiError {
  return new ApiError(413, "PayloadTooLargeError", `${FIELD}: ${message}`, { limit });
}

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 (whitespace allowed, as in wrapped output): Buffer.from alone would skip any garbage silently. */
export function decodeSourceCode(text: string, limits = bundleLimits()): Buffer {
  const compact = text.replace(/\s+/g, "");
  if (compact.length % 4 !== 0 || !BASE64_RE.test(compact)) throw refused("not valid base64");
  if ((compact.length / 4) * 3 > limits.maxBytes + 2) {
    throw tooBig(`the bundle is larger than ${limits.maxBytes} bytes`, limits.maxBytes);
  }
  const bytes = Buffer.from(compact, "base64");
  if (bytes.length === 0) throw refused("the bundle is empty");
  if (bytes.length > limits.maxBytes)
    throw tooBig(`the bundle is larger than ${limits.maxBytes} bytes`, limits.maxBytes);
  return bytes;
}

export function detectFormat(bytes: Buffer): BundleFormat {
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50) return "zip";
  // An empty zip is only its end record: nothing to run.
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x06054b50) throw refused("the zip archive is empty");
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return "tar.gz";
  if (bytes.length >= 262 && bytes.subarray(257, 262).toString("latin1") === "ustar") {
    throw unprocessable(`${FIELD}: an uncompressed tar archive; send it gzipped (.tar.gz) or as a .zip`, {
      fields: { [FIELD]: "uncompressed tar" },
    });
  }
  return "file";
}

/**
 * An archive entry's path, checked and normalized (`./a//b` -> `a/b`): relative, inside the bundle, printable.
 * Returns "" for the archive's root folder itself.
 */
export function entryPath(name: string): string {
  if (name.includes("\0") || name.includes("\\"))
    throw refused(`entry ${JSON.stringify(name)} has a NUL or a backslash`, name);
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) throw refused(`entry ${name} is an absolute path`, name);
  const parts = name.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) throw refused(`entry ${name} leaves the bundle (..)`, name);
  const out = parts.join("/");
  if (out.length > 1024 || parts.some((p) => p.length > 255)) throw refused(`entry ${name} has too long a path`, name);
  return out;
}

export interface BundleFile {
  path: string;
  data: Buffer;
  executable: boolean;
}

/** Counts entries and bytes against the limits and keeps the paths consistent (no duplicates, no file as a folder). */
class Tally {
  entries = 0;
  bytes = 0;
  readonly files = new Set<string>();
  readonly dirs = new Set<string>();
  constructor(readonly limits: BundleLimits) {}

  entry(): void {
    if (++this.entries > this.limits.maxFiles) {
      throw tooBig(`the bundle has more than ${this.limits.maxFiles} entries`, this.limits.maxFiles);
    }
  }

  grow(n: number): void {
    this.bytes += n;
    if (this.bytes > this.limits.maxUnpackedBytes) {
      throw tooBig(
        `the bundle unpacks to more than ${this.limits.maxUnpackedBytes} bytes`,
        this.limits.maxUnpackedBytes,
      );
    }
  }

  dir(p: string): void {
    if (!p) return;
    if (this.files.has(p)) throw refused(`entry ${p} is both a file and a folder`, p);
    this.dirs.add(p);
  }

  file(p: string): void {
    if (!p) throw refused("a file entry has no name");
    if (this.files.has(p) || this.dirs.has(p)) throw refused(`entry ${p} appears twice`, p);
    const parts = p.split("/");
    for (let i = 1; i < parts.length; i++) this.dir(parts.slice(0, i).join("/"));
    this.files.add(p);
  }
}

const S_IFMT = 0o170000;
const KIND: Record<number, string> = {
  0o120000: "a symbolic link",
  0o020000: "a character device",
  0o060000: "a block device",
  0o010000: "a FIFO",
  0o140000: "a socket",
};

async function readZip(bytes: Buffer, tally: Tally, onFile: (f: BundleFile) => Promise<void> | void): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true });
  } catch (err) {
    throw refused(`not a readable zip archive (${(err as Error).message})`);
  }
  try {
    if (zip.entryCount > tally.limits.maxFiles) {
      throw tooBig(`the bundle has more than ${tally.limits.maxFiles} entries`, tally.limits.maxFiles);
    }
    let declared = 0;
    for await (const entry of zip.eachEntry()) {
      tally.entry();
      const name = entryPath(entry.fileName);
      // Unix "made by" (3): the high 16 bits of the external attributes are the file's mode.
      const mode = entry.versionMadeBy >> 8 === 3 ? entry.externalFileAttributes >>> 16 : 0;
      const kind = KIND[mode & S_IFMT];
      if (kind) throw refused(`entry ${entry.fileName} is ${kind}`, entry.fileName);
      if (entry.fileName.endsWith("/") || (mode & S_IFMT) === 0o040000) {
        tally.dir(name);
        continue;
      }
      if (mode & S_IFMT && (mode & S_IFMT) !== 0o100000) throw refused(`entry ${entry.fileName} is not a regular file`);
      tally.file(name);
      // The declared sizes refuse an obvious bomb before inflating; the counting below catches headers that lie.
      declared += entry.uncompressedSize;
      if (declared > tally.limits.maxUnpackedBytes) tally.grow(declared);
      const chunks: Buffer[] = [];
      const stream = await zip.openReadStreamPromise(entry);
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        tally.grow(chunk.length);
        chunks.push(chunk);
      }
      await onFile({ path: name, data: Buffer.concat(chunks), executable: (mode & 0o111) !== 0 });
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw refused(`not a readable zip archive (${(err as Error).message})`);
  } finally {
    zip.close();
  }
}

const gunzip = promisify(zlib.gunzip);

async function readTarGz(bytes: Buffer, tally: Tally, onFile: (f: BundleFile) => Promise<void> | void): Promise<void> {
  let tarBytes: Buffer;
  try {
    // Headers and padding take 512-byte blocks beside the data: allow them, and nothing more, out of the inflater.
    tarBytes = await gunzip(bytes, {
      maxOutputLength: tally.limits.maxUnpackedBytes + (tally.limits.maxFiles + 4) * 1536,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw tooBig(
        `the bundle unpacks to more than ${tally.limits.maxUnpackedBytes} bytes`,
        tally.limits.maxUnpackedBytes,
      );
    }
    throw refused("not a readable gzip stream");
  }
  const extract = tar.extract();
  extract.end(tarBytes);
  try {
    for await (const entry of extract) {
      const h = entry.header;
      tally.entry();
      const name = entryPath(h.name);
      if (h.type === "directory") {
        tally.dir(name);
        entry.resume();
        continue;
      }
      if (h.type === "symlink" || h.type === "link") throw refused(`entry ${h.name} is a link`, h.name);
      if (h.type !== "file" && h.type !== "contiguous-file") {
        throw refused(`entry ${h.name} is a ${h.type ?? "special entry"}, not a file or folder`, h.name);
      }
      tally.file(name);
      const chunks: Buffer[] = [];
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        tally.grow(chunk.length);
        chunks.push(chunk);
      }
      await onFile({ path: name, data: Buffer.concat(chunks), executable: ((h.mode ?? 0) & 0o111) !== 0 });
    }
  } catch (err) {
    extract.destroy();
    if (err instanceof ApiError) throw err;
    throw refused(`not a readable tar archive (${(err as Error).message})`);
  }
}

/** Visits every file of a bundle (a single file lands at `entrypoint`), refusing what the module comment says. */
export async function readBundle(
  bytes: Buffer,
  format: BundleFormat,
  entrypoint: string,
  onFile: (f: BundleFile) => Promise<void> | void,
  limits = bundleLimits(),
): Promise<{ files: number; unpackedBytes: number; paths: Set<string> }> {
  const tally = new Tally(limits);
  if (format === "zip") await readZip(bytes, tally, onFile);
  else if (format === "tar.gz") await readTarGz(bytes, tally, onFile);
  else {
    const name = entryPath(entrypoint);
    tally.entry();
    tally.file(name);
    tally.grow(bytes.length);
    await onFile({ path: name, data: bytes, executable: false });
  }
  return { files: tally.files.size, unpackedBytes: tally.bytes, paths: tally.files };
}
