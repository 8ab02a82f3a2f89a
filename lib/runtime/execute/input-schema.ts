import "server-only";
import { and, desc, eq, isNotNull, or, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { agentRoutes, agentVersions, services } from "@/db/schema";
import type { InputSchema } from "@/lib/api/contracts/input-schema";
import type { Environment } from "@/lib/deploy/types";

/**
 * The input an agent declares (the run form is generated from it): the live version's of `environment` when it
 * declares one, else the newest version that does (a canary or a re-deploy without a schema keeps the form), else
 * the newest active service it runs (sells, or is bound to) that declares one. Null when nothing declares an input.
 */
export async function declaredInputSchema(
  db: Queryable,
  agentId: string,
  environment: Environment = "prod",
): Promise<InputSchema | null> {
  const live = db
    .select({ id: agentRoutes.liveVersionId })
    .from(agentRoutes)
    .where(and(eq(agentRoutes.agentId, agentId), eq(agentRoutes.environment, environment)));
  const [row] = await db
    .select({ schema: agentVersions.inputSchema })
    .from(agentVersions)
    .where(and(eq(agentVersions.agentId, agentId), isNotNull(agentVersions.inputSchema)))
    .orderBy(sql`${agentVersions.id} IN ${live} DESC`, desc(agentVersions.createdAt), desc(agentVersions.id))
    .limit(1);
  if (row?.schema) return row.schema;
  const [svc] = await db
    .select({ schema: services.inputSchema })
    .from(services)
    .where(
      and(
        or(eq(services.fulfilmentAgentId, agentId), eq(services.agentId, agentId)),
        eq(services.active, true),
        isNotNull(services.inputSchema),
      ),
    )
    .orderBy(desc(services.createdAt), desc(services.id))
    .limit(1);
  return svc?.schema ?? null;
}
