import { listDisputesRoute } from "@/lib/api/contracts/disputes";
import { forbidden } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";
import { isOperator } from "@/lib/auth/operator";
import { listOpenDisputes } from "@/lib/market/dispute-read";

export const dynamic = "force-dynamic";

// GET /api/disputes - admin: the open disputes, oldest first
export const GET = withApi(listDisputesRoute, async ({ principal, query }) => {
  if (!isOperator(principal)) throw forbidden("Only an admin may list disputes", { role: "admin" });
  return listOpenDisputes(query);
});
