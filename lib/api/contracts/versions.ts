import { z } from "zod";
import { BUNDLE_FORMATS, CODE_RUNTIMES, VERSION_SOURCES } from "@/db/schema/deployments";
import { defineRoute } from "../contract";
import { pageQuery, pageSchema } from "../pagination";
import { agentParams, versionParams } from "./deployments";
import { inputSchemaSchema } from "./input-schema";

/*
 * An agent's versions: immutable code, written by a deploy or an update (./deployments.ts) and read here. Only the
 * agent itself (its key) or its owner, with agent:monitor.
 */

export const versionSchema = z.object({
  version_id: z.string().uuid(),
  agent_id: z.string().uuid(),
  version: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  source: z.enum(VERSION_SOURCES),
  bundle: z.object({ format: z.enum(BUNDLE_FORMATS), size_bytes: z.number().int() }).nullable(),
  artifact: z.string().nullable(),
  container_image: z.string().nullable(),
  entrypoint: z.string(),
  runtime: z.enum(CODE_RUNTIMES),
  dependencies: z.object({ python: z.array(z.string()), system: z.array(z.string()), node: z.array(z.string()) }),
  configuration: z.object({
    memory_limit: z.number().int(),
    timeout: z.number().int(),
    concurrent_executions: z.number().int(),
  }),
  code_digest: z.string().describe("sha256 of everything that makes the code"),
  input_schema: inputSchemaSchema.nullable().describe("The declared input (JSON Schema), if any"),
  created_at: z.string(),
});

export const listVersionsQuery = z.strictObject({ ...pageQuery });

// GET /api/agents/{id}/versions/{version} - one version
export const getVersionRoute = defineRoute({
  method: "GET",
  path: "/api/agents/{id}/versions/{version}",
  summary: "One version of the agent",
  tags: ["deployments"],
  auth: "required",
  scopes: ["agent:monitor"],
  params: versionParams,
  response: versionSchema,
});

// GET /api/agents/{id}/versions - the agent's versions, newest first
export const listVersionsRoute = defineRoute({
  method: "GET",
  path: "/api/agents/{id}/versions",
  summary: "The agent's versions, newest first",
  tags: ["deployments"],
  auth: "required",
  scopes: ["agent:monitor"],
  params: agentParams,
  query: listVersionsQuery,
  response: pageSchema(versionSchema),
});
