import { getWalletRoute } from "@/lib/api/contracts/wallet";
import { withApi } from "@/lib/api/handler";
import { getWallet } from "@/lib/ledger/wallet";

export const dynamic = "force-dynamic";

// GET /api/wallet - balance, held in escrow, available (cents)
export const GET = withApi(getWalletRoute, async ({ principal, query }) => getWallet(principal, query.agent_id));
