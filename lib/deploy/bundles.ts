import "server-only";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { eq } from "drizzle-orm";
import tar from "tar-stream";
import yauzl from "yauzl";
import { getDb, type Queryable } from "@/db/client";
import { agentBundles, agentVersions } from "@/db/schema";
import { ApiError, badRequest, unprocessable } from "@/lib/api/errors";
import { env } from "@/lib/env";
import { bundleLimits, type BundleLimits } from "./limits";

/**
 * Uploaded code (`agent_code.source_code`): base64 of a .zip, a .tar.gz or a single file named by the entrypoint,
 * told apart by magic bytes. An archive may hold only regular files and folders at relative paths inside it: an
 * absolute path, `..`, a link, a device or a FIFO refuses the whole bundle (400), and so do too many entries or more
 * unpacked bytes than the limits allow (413; the sizes are counted as the data inflates, so a zip whose headers lie
 * is caught too). Bundles are stored once per digest (bundleDigest) and unpacked once per machine.
 */

export type BundleFormat = "zip" | "tar.gz" | "file";

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

export interface InspectedBundle {
  digest: string;
  format: BundleFormat;
  bytes: Buffer;
  files: number;
  unpackedBytes: number;
}

/** Decodes and checks an uploaded bundle without writing anything: its entrypoint must be one of its files (422). */
export async function inspectBundle(sourceCode: string, entrypoint: string): Promise<InspectedBundle> {
  const bytes = decodeSourceCode(sourceCode);
  const format = detectFormat(bytes);
  const { files, unpackedBytes, paths } = await readBundle(bytes, format, entrypoint, () => {});
  if (!paths.has(entryPath(entrypoint))) {
    throw unprocessable(`agent_code.entrypoint: ${entrypoint} is not a file of the bundle`, {
      fields: { "agent_code.entrypoint": "not a file of the bundle" },
    });
  }
  return { digest: bundleDigest(bytes, format, entrypoint), format, bytes, files, unpackedBytes };
}

/**
 * sha256 of the bytes; for a single file also of its name, which is where it lands when unpacked (the same bytes
 * uploaded as `a.mjs` and as `b.mjs` are two bundles).
 */
export function bundleDigest(bytes: Buffer, format: BundleFormat, entrypoint: string): string {
  const h = createHash("sha256");
  if (format === "file") h.update(`file:${entryPath(entrypoint)}\n`);
  return h.update(bytes).digest("hex");
}

/** Stores a bundle under its digest (once: the same bytes uploaded again are the same row). */
export async function storeBundle(tx: Queryable, b: InspectedBundle): Promise<void> {
  await tx
    .insert(agentBundles)
    .values({ digest: b.digest, format: b.format, bytes: b.bytes, sizeBytes: b.bytes.length })
    .onConflictDoNothing();
}

const DIGEST_RE = /^[0-9a-f]{64}$/;
const unpacking = new Map<string, Promise<string>>();

/**
 * The folder holding a stored bundle's files, unpacked on first use under DEPLOY_BUNDLE_DIR/<digest>. A bundle is
 * unpacked into a temporary folder and renamed into place, so a folder that exists is complete (also across
 * processes); files are world-readable so that a sandbox's own uid can read them (the sandbox mounts them read-only).
 */
export function materializeBundle(digest: string): Promise<string> {
  if (!DIGEST_RE.test(digest)) return Promise.reject(new Error("not a bundle digest"));
  let pending = unpacking.get(digest);
  if (!pending) {
    pending = unpack(digest).finally(() => unpacking.delete(digest));
    unpacking.set(digest, pending);
  }
  return pending;
}

async function unpack(digest: string): Promise<string> {
  const root = path.resolve(env().DEPLOY_BUNDLE_DIR);
  const dir = path.join(root, digest);
  if (fs.existsSync(dir)) return dir;
  const [row] = await (await getDb()).select().from(agentBundles).where(eq(agentBundles.digest, digest));
  if (!row) throw new Error(`bundle ${digest} is not stored`);
  fs.mkdirSync(root, { recursive: true, mode: 0o755 });
  const tmp = path.join(root, `.tmp-${digest}-${randomBytes(6).toString("hex")}`);
  fs.mkdirSync(tmp, { mode: 0o755 });
  try {
    const single = row.format === "file" ? await singleFileName(digest) : "";
    await readBundle(row.bytes, row.format, single, async (f) => {
      const target = path.join(tmp, f.path);
      await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
      // `wx`: never through an existing file or link (there are none: only this code writes here).
      await fs.promises.writeFile(target, f.data, { flag: "wx", mode: f.executable ? 0o755 : 0o644 });
    });
    await chmodTree(tmp);
    try {
      await fs.promises.rename(tmp, dir);
    } catch (err) {
      // Another process unpacked it first: its copy is as good as ours.
      if (!["ENOTEMPTY", "EEXIST"].includes((err as NodeJS.ErrnoException).code ?? "")) throw err;
    }
  } finally {
    await fs.promises.rm(tmp, { recursive: true, force: true });
  }
  return dir;
}

/** The name a single-file bundle was uploaded as: its versions' entrypoint (the digest covers the name). */
async function singleFileName(digest: string): Promise<string> {
  const [v] = await (
    await getDb()
  )
    .select({ entrypoint: agentVersions.entrypoint })
    .from(agentVersions)
    .where(eq(agentVersions.bundleDigest, digest))
    .limit(1);
  if (!v) throw new Error(`no version uses bundle ${digest}`);
  return v.entrypoint;
}

/** Folders 0755 despite the umask, so a sandbox's own uid can walk them. */
async function chmodTree(dir: string): Promise<void> {
  await fs.promises.chmod(dir, 0o755);
  for (const e of await fs.promises.readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) await chmodTree(path.join(dir, e.name));
  }
}
