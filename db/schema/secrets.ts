import { pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { madeAt, partOf } from "./columns";
import { agents } from "./agents";

/**
 * Variables an owner sets for an agent: secrets, AES-256-GCM encrypted at rest (lib/runtime/secrets).
 * Never in the agent's `runtime`, an event, a log or a public resource; the owner reads names and `masked` only.
 */
export const agentSecrets = pgTable(
  "agent_secrets",
  {
    agentId: partOf(() => agents.id),
    name: text().notNull(),
    /** `v1:` + base64(iv | tag | ciphertext), associated data binds it to the agent and the name. */
    ciphertext: text().notNull(),
    /** Which key encrypted it (a hash prefix of the key), for rotation. */
    keyId: text().notNull(),
    /** `••••3f9a`: the last 4 characters of values of 12 or more, nothing of shorter ones. */
    masked: text().notNull(),
    createdAt: madeAt(),
    updatedAt: madeAt(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.name] })],
);
