import { resolveArtifact } from "@/lib/runtime/artifacts";

/**
 * The doubles cannot pull images: an image stands for an installed artifact (lib/runtime/artifacts.ts), named by
 * the `images` map (repository without tag -> artifact) or else by the repository's last path segment
 * (`.../agents/steady:1.0.3` runs the `steady` artifact). Null when no artifact stands for it.
 */
export function imageArtifact(image: string, images: Record<string, string>): string | null {
  const repo = image.replace(/@sha256:[0-9a-f]+$/, "").replace(/:[^/:]+$/, "");
  const name = images[repo] ?? repo.split("/").pop() ?? "";
  return resolveArtifact(name) ? name : null;
}
