import { PageTitle } from "@/components/ui/card";
import { WalletView } from "@/components/wallet/wallet-view";
import { requireViewer } from "@/lib/client/server";
import { getWallet } from "@/lib/ledger/wallet";

export const metadata = { title: "Wallet" };

export default async function WalletPage() {
  const principal = await requireViewer("/wallet");
  // As GET /api/wallet: the person's own wallet paints at once; an owned agent's loads when picked.
  const wallet = await getWallet(principal);
  return (
    <div className="space-y-6">
      <PageTitle sub="Your balance, money held in escrow for open jobs, top-ups and every movement. Amounts in US dollars.">
        Wallet
      </PageTitle>
      <WalletView initial={wallet} />
    </div>
  );
}
