/** An agent with one version of the demo agent text-stats, for the deploy bench's two parts. */
export async function seedAgent(name: string) {
  const { agents, agentVersions } = await import("@/db/schema");
  const { getDb } = await import("@/db/client");
  const { DEFAULT_CODE_CONFIGURATION } = await import("@/lib/deploy/types");
  const db = await getDb();
  const [agent] = await db.insert(agents).values({ name }).returning({ id: agents.id });
  const [version] = await db
    .insert(agentVersions)
    .values({
      agentId: agent!.id,
      version: "1.0.0",
      source: "artifact",
      artifact: "text-stats",
      entrypoint: "server.mjs",
      configuration: { ...DEFAULT_CODE_CONFIGURATION, concurrent_executions: 64 },
      codeDigest: `bench:${name}`,
    })
    .returning();
  return { agentId: agent!.id, version: version! };
}
