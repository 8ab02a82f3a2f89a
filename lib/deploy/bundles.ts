import "server-only";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { getDb, type Queryable } from "@/db/client";
import { agentBundles, agentVersions } from "@/db/schema";
import { unprocessable } from "@/lib/api/errors";
import { env } from "@/lib/env";
import { decodeSourceCode, detectFormat, entryPath, readBundle, type BundleFormat } from "./archive";

/**
 * Uploaded code, checked (./archive.ts), stored once per digest (bundleDigest) and unpacked once per machine.
 */

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
