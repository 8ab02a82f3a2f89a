import { z } from "zod";
import { defineRoute } from "../contract";

export const healthResponse = z.object({
  status: z.enum(["ok", "degraded"]),
  version: z.string(),
  uptime_s: z.number(),
  database: z.object({ status: z.enum(["ok", "down"]), driver: z.string(), latency_ms: z.number().nullable() }),
});

// GET /api/health - app and database status, for load balancers, Playwright's webServer and operators
export const getHealth = defineRoute({
  method: "GET",
  path: "/api/health",
  summary: "App and database status",
  tags: ["system"],
  auth: "public",
  response: healthResponse,
  otherResponses: { 503: { description: "Degraded: the database does not answer", schema: healthResponse } },
});
