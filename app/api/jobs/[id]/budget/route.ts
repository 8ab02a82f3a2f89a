import { setJobBudgetRoute } from "@/lib/api/contracts/jobs";
import { withApi } from "@/lib/api/handler";
import { setJobBudget } from "@/lib/market/jobs";

export const dynamic = "force-dynamic";

// PUT /api/jobs/{id}/budget - worker caps what sub-hires for this job may cost
export const PUT = withApi(setJobBudgetRoute, async ({ principal, params, body }) =>
  setJobBudget(principal, params.id, body.budget_cents),
);
