import { deleteService, getService, patchService } from "@/lib/api/contracts/services";
import { withApi } from "@/lib/api/handler";
import { deactivateService, getServiceJson, updateService } from "@/lib/market/services";

export const dynamic = "force-dynamic";

// GET /api/services/{id} - one service, also when deactivated
export const GET = withApi(getService, async ({ params }) => getServiceJson(params.id));

// PATCH /api/services/{id} - the service's agent or its owner updates it
export const PATCH = withApi(patchService, async ({ principal, params, body }) =>
  updateService(principal, params.id, body),
);

// DELETE /api/services/{id} - the service's agent or its owner deactivates it
export const DELETE = withApi(deleteService, async ({ principal, params }) => deactivateService(principal, params.id));
