import { z } from "zod";
import { defineRoute } from "../contract";

// GET /api/openapi.json - the OpenAPI 3.1 document of this API
export const getOpenApi = defineRoute({
  method: "GET",
  path: "/api/openapi.json",
  summary: "The OpenAPI 3.1 document of this API, generated from the same zod schemas that validate requests",
  tags: ["system"],
  auth: "public",
  response: z.record(z.string(), z.unknown()).describe("An OpenAPI 3.1 document"),
});

// GET /api/bench/constant - constant JSON, the baseline of `npm run bench` (404 unless BENCH_ROUTES=1).
// Tagged internal: it is registered (so the route guard knows it) but left out of the public document.
export const getBenchConstant = defineRoute({
  method: "GET",
  path: "/api/bench/constant",
  summary: "Constant JSON through the same handler wrapper as every route; the benchmark's baseline",
  tags: ["internal"],
  auth: "public",
  response: z.object({ ok: z.literal(true), data: z.array(z.number()) }),
});
