import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { agents } from "@/db/schema";
import { resolveArtifact } from "./artifacts";
import { refusalOf } from "./env-policy";
import { setSecrets } from "./secrets/store";
import { log } from "@/lib/log";

/**
 * Rewrites runtimes of the older shape into the current one, once per database (idempotent): a local
 * `command` of a demo agent (`["node", "agents/<name>/server.mjs"]`) becomes `{ artifact: <name> }`, any other
 * command is dropped (the runtime is removed: it named a program, which no request may); a runtime's `env` moves
 * into the encrypted secrets (refused names are dropped, by name only in the log); an old Fargate runtime keeps
 * its task definition and container only. Run by `npm run dev` and `npm run secrets:rotate`.
 */
export async function migrateLegacyRuntimes(database: Database): Promise<number> {
  const rows = await database.db
    .select({ id: agents.id, runtime: agents.runtime })
    .from(agents)
    .where(
      sql`${agents.runtime} ? 'command' OR ${agents.runtime} ? 'env' OR (${agents.runtime}->>'kind' = 'fargate' AND ${agents.runtime} ? 'cluster')`,
    );
  let changed = 0;
  for (const { id, runtime: raw } of rows) {
    const runtime = raw as Record<string, unknown>;
    let next: Record<string, unknown> | null = null;
    if (runtime.kind === "local") {
      const command = Array.isArray(runtime.command) ? (runtime.command as unknown[]) : null;
      const m =
        command?.length === 2 && command[0] === "node"
          ? /^agents\/([a-z0-9-]+)\/server\.mjs$/.exec(String(command[1]))
          : null;
      const artifact =
        m && resolveArtifact(m[1] as string)
          ? (m[1] as string)
          : typeof runtime.artifact === "string"
            ? runtime.artifact
            : null;
      next = artifact ? { kind: "local", artifact } : null;
      if (!artifact) log().warn({ agent: id }, "legacy local command is not an installed artifact; runtime removed");
    } else if (runtime.kind === "fargate") {
      next = {
        kind: "fargate",
        task_definition: runtime.task_definition,
        container_name: runtime.container_name ?? "agent",
      };
    } else {
      // eslint-disable-next-line @typescript-eslint/no-unused-vars
      const { env, ...rest } = runtime;
      next = rest;
    }
    const env = runtime.env && typeof runtime.env === "object" ? (runtime.env as Record<string, unknown>) : {};
    const kept = Object.fromEntries(
      Object.entries(env).filter(([k, v]) => typeof v === "string" && v !== "" && refusalOf(k) === null),
    ) as Record<string, string>;
    const dropped = Object.keys(env).filter((k) => !(k in kept));
    if (dropped.length) log().warn({ agent: id, names: dropped }, "legacy variables not kept");
    await database.db.transaction(async (tx) => {
      await tx.update(agents).set({ runtime: next }).where(eq(agents.id, id));
      await setSecrets(tx, id, kept);
    });
    changed++;
  }
  return changed;
}
