import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { env } from "@/lib/env";
import { ARTIFACT_NAME_RE } from "./artifacts-name";
import { log } from "@/lib/log";

/**
 * The local host's allow-list: it runs only artifacts the operator installed, never a program, an argv
 * or an interpreter flag that came through the API. An artifact is a folder holding a manifest, `agent.json`,
 * that fixes its entrypoint: the demo agents under `agents/` and, when the operator names one, every subfolder
 * of `LOCAL_AGENTS_DIR`. An agent's local runtime names an artifact (`{ "kind": "local", "artifact": "text-stats" }`).
 * Plain module (no server-only): the loopback AWS doubles and scripts resolve demo artifacts through it too.
 */

export const MANIFEST_FILE = "agent.json";
export { ARTIFACT_NAME_RE };

export const manifestSchema = z
  .object({
    name: z.string().regex(ARTIFACT_NAME_RE, "lower-case letters, digits and '-', at most 64"),
    description: z.string().max(1000).default(""),
    /** Relative path of the program inside the artifact's folder. */
    entrypoint: z.string().min(1).max(255),
    runtime: z.literal("node"),
  })
  .strict();

export interface Artifact {
  name: string;
  description: string;
  runtime: "node";
  /** Absolute folder: the process's working directory. */
  dir: string;
  /** Absolute path of the entrypoint, inside `dir`. */
  entrypoint: string;
  source: "builtin" | "operator";
}

/** The demo agents shipped with the app. */
export function builtinArtifactsDir(root = process.cwd()): string {
  return path.resolve(root, "agents");
}

/** Reads one artifact folder; null (with the reason) when it is not a valid artifact. */
export function readArtifact(
  dir: string,
  source: Artifact["source"],
): { artifact: Artifact } | { error: string } | null {
  const file = path.join(dir, MANIFEST_FILE);
  let raw: string;
  try {
    raw = fs.readFileSync(file, "utf8");
  } catch {
    return null; // no manifest: not an artifact (e.g. agents/lib)
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { error: `${file}: not valid JSON` };
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) return { error: `${file}: ${parsed.error.issues[0]?.message ?? "invalid manifest"}` };
  const m = parsed.data;
  if (m.name !== path.basename(dir))
    return { error: `${file}: name must be the folder's name (${path.basename(dir)})` };
  const real = fs.realpathSync(dir);
  const entry = path.resolve(real, m.entrypoint);
  if (path.isAbsolute(m.entrypoint) || !entry.startsWith(real + path.sep)) {
    return { error: `${file}: entrypoint must be a relative path inside the artifact's folder` };
  }
  let realEntry: string;
  try {
    realEntry = fs.realpathSync(entry);
  } catch {
    return { error: `${file}: entrypoint ${m.entrypoint} does not exist` };
  }
  // A symlink must not lead out of the folder either.
  if (!realEntry.startsWith(real + path.sep) || !fs.statSync(realEntry).isFile()) {
    return { error: `${file}: entrypoint must be a file inside the artifact's folder` };
  }
  return {
    artifact: {
      name: m.name,
      description: m.description,
      runtime: m.runtime,
      dir: real,
      entrypoint: realEntry,
      source,
    },
  };
}

function scan(root: string, source: Artifact["source"], into: Map<string, Artifact>): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch {
    if (source === "operator") log().warn({ dir: root }, "LOCAL_AGENTS_DIR cannot be read");
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!e.isDirectory() || !ARTIFACT_NAME_RE.test(e.name)) continue;
    const r = readArtifact(path.join(root, e.name), source);
    if (!r) continue;
    if ("error" in r) {
      log().warn({ artifact: e.name, reason: r.error }, "ignoring an invalid artifact");
      continue;
    }
    // A built-in name cannot be shadowed by the operator's folder.
    if (!into.has(r.artifact.name)) into.set(r.artifact.name, r.artifact);
  }
}

/**
 * Every installed artifact, read from disk on each call (a handful of small files), so that an artifact the
 * operator removes is refused at once rather than after a restart.
 */
export function listArtifacts(): Map<string, Artifact> {
  const out = new Map<string, Artifact>();
  scan(builtinArtifactsDir(), "builtin", out);
  const extra = env().LOCAL_AGENTS_DIR;
  if (extra) scan(path.resolve(extra), "operator", out);
  return out;
}

/** The built-in artifacts of a checkout at `root` (the loopback doubles, whose cwd may be elsewhere). */
export function listArtifactsIn(root: string): Map<string, Artifact> {
  const out = new Map<string, Artifact>();
  scan(builtinArtifactsDir(root), "builtin", out);
  return out;
}

export function resolveArtifact(name: string): Artifact | null {
  if (!ARTIFACT_NAME_RE.test(name)) return null;
  return listArtifacts().get(name) ?? null;
}

/** The argv that runs an artifact: the app's own node binary (no flags) and the manifest's entrypoint. */
export function artifactArgv(a: Artifact): [string, ...string[]] {
  return [process.execPath, a.entrypoint];
}
