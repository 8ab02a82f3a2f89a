import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { inTransaction } from "@/lib/db";
import { appendEvents } from "@/lib/events/log";
import { accountOf } from "@/lib/ledger/accounts";
import { creditFromOutside } from "@/lib/ledger/top-ups";

/** Demo money (the development faucet, not real money): the demo person's and every demo agent's starting balance. */
export const DEMO_PERSON_CREDIT = 100_000;
export const DEMO_AGENT_CREDIT = 50_000;

/**
 * Credits the demo person and the demo agents before they hire, so that their wallets show a balance and history.
 * Demo money like the faucet's (kind `faucet`), but not counted against FAUCET_MAX_PER_ACCOUNT: the demo person can
 * still top up with the faucet from the wallet page.
 */
export async function fundDemoWallets(personId: string, agents: Iterable<Principal>): Promise<void> {
  const grants: [Parameters<typeof accountOf>[1], number][] = [
    [{ kind: "user", userId: personId }, DEMO_PERSON_CREDIT],
  ];
  for (const p of agents)
    if (p.kind === "agent") grants.push([{ kind: "agent", agentId: p.agentId }, DEMO_AGENT_CREDIT]);
  for (const [holder, cents] of grants) {
    await inTransaction(async (tx) => {
      const posted = await creditFromOutside(tx, await accountOf(tx, holder), cents, {
        kind: "faucet",
        memo: "Demo credit (not real money)",
      });
      await appendEvents(tx, posted!.events);
    });
  }
}
