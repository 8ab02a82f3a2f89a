import { unknownDelete, unknownGet, unknownPatch, unknownPost, unknownPut } from "@/lib/api/contracts/not-found";
import { notFound } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

const unknown = () => Promise.reject(notFound("API route"));

// GET|POST|PUT|PATCH|DELETE /api/{anything else} - a JSON 404 in the one error format
export const GET = withApi(unknownGet, unknown);
export const POST = withApi(unknownPost, unknown);
export const PUT = withApi(unknownPut, unknown);
export const PATCH = withApi(unknownPatch, unknown);
export const DELETE = withApi(unknownDelete, unknown);
