import { getOpenApi } from "@/lib/api/contracts/openapi";
import { withApi } from "@/lib/api/handler";
import { openApiDocument } from "@/lib/api/openapi";

export const dynamic = "force-dynamic";

// GET /api/openapi.json - the OpenAPI 3.1 document, generated from the route contracts
export const GET = withApi(getOpenApi, async () =>
  Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } }),
);
