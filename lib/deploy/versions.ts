import "server-only";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { and, count, eq } from "drizzle-orm";
import semver from "semver";
import type { z } from "zod";
import type { Queryable, Tx } from "@/db/client";
import { agentBundles, agentVersions } from "@/db/schema";
import type { agentCodeSchema } from "@/lib/api/contracts/deploy-settings";
import { badRequest, conflict, unprocessable } from "@/lib/api/errors";
import { keysetList, timeSort, type Page } from "@/lib/api/pagination";
import { resolveArtifact } from "@/lib/runtime/artifacts";
import { sandboxSupport } from "@/lib/runtime/sandbox";
import { inspectBundle, storeBundle, type InspectedBundle } from "./bundles";
import type { InputSchema } from "@/lib/api/contracts/input-schema";
import type { CodeConfiguration, DeployHostName } from "./types";

/** An immutable version of an agent's code (lib/deploy: versions are never changed, only added). */

type AgentCode = z.output<typeof agentCodeSchema>;
export type VersionRow = typeof agentVersions.$inferSelect;

/** A valid semver, normalized (`v1.2.0` -> `1.2.0`), or a 400 naming the field. */
export function parseVersion(value: string, field: string): string {
  const v = semver.valid(value);
  if (!v)
    throw badRequest(`${field}: ${value} is not a semantic version (e.g. 1.2.0)`, {
      fields: { [field]: "not semver" },
    });
  return v;
}

/** Everything that makes a version's code, checked for the host it is going to; the bundle is decoded here. */
export interface PreparedCode {
  source: "bundle" | "artifact" | "image";
  bundle: InspectedBundle | null;
  artifact: string | null;
  containerImage: string | null;
  entrypoint: string;
  runtime: "node" | "python";
  dependencies: { python: string[]; system: string[]; node: string[] };
  configuration: CodeConfiguration;
  codeDigest: string;
}

const PYTHON = "/usr/bin/python3";

function runtimeOf(entrypoint: string): "node" | "python" {
  const ext = path.posix.extname(entrypoint).toLowerCase();
  if ([".js", ".mjs", ".cjs"].includes(ext)) return "node";
  if (ext === ".py") return "python";
  throw unprocessable("agent_code.entrypoint must end in .js, .mjs or .cjs (node) or .py (python)", {
    fields: { "agent_code.entrypoint": "unknown runtime" },
  });
}

const refuse = (field: string, message: string) =>
  unprocessable(`${field}: ${message}`, { fields: { [field]: message } });

/** sha256 over a canonical JSON of what makes the code: the same digest is the same code. */
export function codeDigest(
  parts: Omit<PreparedCode, "bundle" | "codeDigest"> & { bundleDigest: string | null },
): string {
  const canonical = JSON.stringify([
    parts.source,
    parts.bundleDigest,
    parts.artifact,
    parts.containerImage,
    parts.entrypoint,
    parts.runtime,
    [parts.dependencies.python, parts.dependencies.system, parts.dependencies.node],
    [parts.configuration.memory_limit, parts.configuration.timeout, parts.configuration.concurrent_executions],
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

/**
 * Checks a request's code against the host (422 with the reason) and decodes an uploaded bundle. The local host runs
 * uploaded code only in the OS sandbox, and installs nothing: dependencies must be inside the bundle.
 */
export async function prepareCode(code: AgentCode, host: DeployHostName): Promise<PreparedCode> {
  const dependencies = code.dependencies;
  const configuration = code.configuration;
  let prepared: Omit<PreparedCode, "codeDigest">;
  if (code.artifact !== undefined) {
    if (host !== "local") throw refuse("agent_code.artifact", `installed artifacts run on the local host, not ${host}`);
    const artifact = resolveArtifact(code.artifact);
    if (!artifact) throw refuse("agent_code.artifact", `no installed artifact is named ${code.artifact}`);
    const entrypoint = path.relative(artifact.dir, artifact.entrypoint).split(path.sep).join("/");
    if (code.entrypoint !== undefined && code.entrypoint !== entrypoint) {
      throw refuse("agent_code.entrypoint", `the artifact's entrypoint is ${entrypoint}`);
    }
    prepared = {
      source: "artifact",
      bundle: null,
      artifact: artifact.name,
      containerImage: null,
      entrypoint,
      runtime: "node",
      dependencies,
      configuration,
    };
  } else if (code.container_image !== undefined) {
    if (host === "local") throw refuse("agent_code.container_image", "the local host runs bundles, not images");
    prepared = {
      source: "image",
      bundle: null,
      artifact: null,
      containerImage: code.container_image,
      entrypoint: code.entrypoint ?? "",
      runtime: code.entrypoint ? runtimeOf(code.entrypoint) : "node",
      dependencies,
      configuration,
    };
  } else {
    const entrypoint = code.entrypoint as string; // the contract requires it with source_code
    const runtime = runtimeOf(entrypoint);
    if (host === "fargate")
      throw refuse("agent_code.source_code", "the fargate host runs container images; send container_image");
    if (host === "local") {
      // Here the code runs on this machine, in the sandbox; on AgentCore it runs on AWS's isolated hosts.
      const sandbox = sandboxSupport();
      if (!sandbox.available)
        throw refuse("agent_code.source_code", `uploaded code cannot run on this host: ${sandbox.reason}`);
      if (runtime === "python" && !fs.existsSync(PYTHON))
        throw refuse("agent_code.entrypoint", "python3 is not installed on this host");
    }
    const deps = [...dependencies.python, ...dependencies.system, ...dependencies.node];
    if (deps.length) {
      throw refuse("agent_code.dependencies", `the ${host} host installs nothing: vendor dependencies into the bundle`);
    }
    const bundle = await inspectBundle(code.source_code as string, entrypoint);
    prepared = {
      source: "bundle",
      bundle,
      artifact: null,
      containerImage: null,
      entrypoint,
      runtime,
      dependencies,
      configuration,
    };
  }
  return { ...prepared, codeDigest: codeDigest({ ...prepared, bundleDigest: prepared.bundle?.digest ?? null }) };
}

/**
 * The version row for `version` with this code: inserted if new (with its bundle), reused if the same code, 409 if
 * other code. Concurrent inserts of one version meet on the unique (agent, version) index: the loser reads the row.
 */
export async function putVersion(
  tx: Tx,
  agentId: string,
  version: string,
  code: PreparedCode,
  meta: { description: string; tags: string[]; userId: string | null; inputSchema?: InputSchema | null },
): Promise<{ row: VersionRow; created: boolean }> {
  if (code.bundle) await storeBundle(tx, code.bundle);
  const [inserted] = await tx
    .insert(agentVersions)
    .values({
      agentId,
      version,
      description: meta.description,
      tags: meta.tags,
      source: code.source,
      bundleDigest: code.bundle?.digest ?? null,
      artifact: code.artifact,
      containerImage: code.containerImage,
      entrypoint: code.entrypoint,
      runtime: code.runtime,
      dependencies: code.dependencies,
      configuration: code.configuration,
      codeDigest: code.codeDigest,
      inputSchema: meta.inputSchema ?? null,
      createdByUserId: meta.userId,
    })
    .onConflictDoNothing({ target: [agentVersions.agentId, agentVersions.version] })
    .returning();
  if (inserted) return { row: inserted, created: true };
  const existing = await findVersion(tx, agentId, version);
  if (!existing) throw new Error("version conflict without a version");
  if (existing.codeDigest !== code.codeDigest) {
    throw conflict(`Version ${version} exists with other code; versions are immutable, publish a new version`, {
      version,
      code_digest: existing.codeDigest,
    });
  }
  return { row: existing, created: false };
}

export type VersionWithBundle = VersionRow & {
  bundleFormat: "zip" | "tar.gz" | "file" | null;
  bundleSize: number | null;
};

const versionSort = timeSort(agentVersions.createdAt, agentVersions.id, "desc");

/** Newest first. */
export async function listVersions(
  db: Queryable,
  agentId: string,
  q: { limit: number; cursor?: string },
): Promise<Page<VersionWithBundle> & { total: number }> {
  const page = await keysetList(
    versionSort,
    q,
    [eq(agentVersions.agentId, agentId)],
    {
      rows: (where, order, take) =>
        db
          .select({
            v: agentVersions,
            bundleFormat: agentBundles.format,
            bundleSize: agentBundles.sizeBytes,
            key: versionSort.key,
          })
          .from(agentVersions)
          .leftJoin(agentBundles, eq(agentBundles.digest, agentVersions.bundleDigest))
          .where(where)
          .orderBy(...order)
          .limit(take),
      count: async (where) => (await db.select({ n: count() }).from(agentVersions).where(where))[0]?.n ?? 0,
    },
    (last) => [last.key, last.v.id],
  );
  return { ...page, data: page.data.map((r) => ({ ...r.v, bundleFormat: r.bundleFormat, bundleSize: r.bundleSize })) };
}

export async function findVersion(db: Queryable, agentId: string, version: string): Promise<VersionWithBundle | null> {
  const [r] = await db
    .select({ v: agentVersions, bundleFormat: agentBundles.format, bundleSize: agentBundles.sizeBytes })
    .from(agentVersions)
    .leftJoin(agentBundles, eq(agentBundles.digest, agentVersions.bundleDigest))
    .where(and(eq(agentVersions.agentId, agentId), eq(agentVersions.version, version)));
  return r ? { ...r.v, bundleFormat: r.bundleFormat, bundleSize: r.bundleSize } : null;
}
