import "server-only";
import { eq } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { agents } from "@/db/schema";
import { badRequest, conflict, notFound } from "@/lib/api/errors";
import type { Principal } from "@/lib/auth/principal";
import { inTransaction } from "@/lib/db";
import { appendEvents } from "@/lib/events/log";
import { agentForChange } from "@/lib/market/agents";
import { refusalOf } from "../env-policy";
import { deleteSecret, listSecrets, setSecrets, type SecretInfo } from "./store";

/**
 * The owner's verbs on an agent's variables (write-only secrets). Only the agent itself or its owner;
 * nobody ever reads a value back. Changes leave an `agent_updated` event naming the field `secrets`, never a
 * variable's name or value.
 */

function checkName(name: string): void {
  const reason = refusalOf(name);
  if (reason) {
    throw badRequest(`refused variable: ${name} (${reason})`, { fields: { name: reason }, refused: [name] });
  }
}

export async function listAgentSecrets(principal: Principal, agentId: string): Promise<SecretInfo[]> {
  const agent = await agentForChange(principal, agentId);
  return listSecrets(await getDb(), agent.id);
}

async function changeSecrets<T>(agentId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(async (tx) => {
    // The agent row lock orders concurrent writes of one agent's variables (and the count limit with them).
    const [locked] = await tx
      .select({ status: agents.status })
      .from(agents)
      .where(eq(agents.id, agentId))
      .for("update");
    if (locked?.status === "retired") throw conflict("A retired agent cannot be changed");
    const result = await fn(tx);
    await appendEvents(tx, [
      {
        type: "agent_updated",
        agentIds: [agentId],
        subjectType: "agent",
        subjectId: agentId,
        data: { fields: ["secrets"] },
      },
    ]);
    return result;
  });
}

export async function putAgentSecret(
  principal: Principal,
  agentId: string,
  name: string,
  value: string,
): Promise<SecretInfo> {
  checkName(name);
  const agent = await agentForChange(principal, agentId);
  const [info] = await changeSecrets(agent.id, (tx) => setSecrets(tx, agent.id, { [name]: value }));
  if (!info) throw new Error("secret upsert returned nothing");
  return info;
}

export async function deleteAgentSecret(principal: Principal, agentId: string, name: string): Promise<void> {
  const agent = await agentForChange(principal, agentId);
  await changeSecrets(agent.id, async (tx) => {
    if (!(await deleteSecret(tx, agent.id, name))) throw notFound("Variable");
  });
}
