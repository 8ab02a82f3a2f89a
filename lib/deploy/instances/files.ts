import "server-only";
import path from "node:path";
import type { agentVersions } from "@/db/schema";
import { resolveArtifact } from "@/lib/runtime/artifacts";

type VersionRow = typeof agentVersions.$inferSelect;

/** What a sandbox mounts read-only at /app for a version, and the program inside it. */
export interface VersionFiles {
  bundleDir: string;
  entrypoint: string;
  runtime: "node" | "python";
}

/**
 * The folder a version's instances run from. An uploaded bundle is extracted once into the bundle cache
 * (lib/deploy/bundles.ts); an installed artifact (the demo agents) is mounted with its siblings, since the demo
 * agents share `agents/lib`. A container image runs only on the AWS hosts.
 */
export async function versionFiles(version: VersionRow): Promise<VersionFiles> {
  if (version.source === "bundle" && version.bundleDigest) {
    const { materializeBundle } = await import("@/lib/deploy/bundles");
    return {
      bundleDir: await materializeBundle(version.bundleDigest),
      entrypoint: version.entrypoint,
      runtime: version.runtime,
    };
  }
  if (version.source === "artifact" && version.artifact) {
    const artifact = resolveArtifact(version.artifact);
    if (!artifact) throw new Error(`the artifact ${version.artifact} is not installed on this host`);
    const root = path.dirname(artifact.dir);
    return { bundleDir: root, entrypoint: path.relative(root, artifact.entrypoint), runtime: artifact.runtime };
  }
  throw new Error(`a ${version.source} version cannot run on the local host`);
}
