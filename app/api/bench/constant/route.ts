import { getBenchConstant } from "@/lib/api/contracts/openapi";
import { notFound } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

// A small fixed body, about the size of a short JSON answer.
const BODY = { ok: true as const, data: Array.from({ length: 20 }, (_, i) => i) };

// GET /api/bench/constant - constant JSON (the benchmark baseline); 404 unless BENCH_ROUTES=1
export const GET = withApi(getBenchConstant, async () => {
  if (!env().BENCH_ROUTES) throw notFound("Route");
  return BODY;
});
