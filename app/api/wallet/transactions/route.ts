import { listWalletTransactionsRoute } from "@/lib/api/contracts/wallet";
import { withApi } from "@/lib/api/handler";
import { listWalletTransactions } from "@/lib/ledger/wallet";

export const dynamic = "force-dynamic";

// GET /api/wallet/transactions - ledger entries, newest first, with the running balance
export const GET = withApi(listWalletTransactionsRoute, async ({ principal, query }) =>
  listWalletTransactions(principal, query),
);
