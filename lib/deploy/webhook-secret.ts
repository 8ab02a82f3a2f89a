import "server-only";
import { randomBytes } from "node:crypto";
import { decryptSecret, encryptSecret } from "@/lib/runtime/secrets/crypto";
import type { Environment } from "./types";

/**
 * The signing secret of an environment's callbacks, in the Standard Webhooks format (`whsec_` + base64 of 32
 * random bytes). Shown once; stored in agent_routes.webhook_secret encrypted like the agent's secrets (bound to the
 * agent and environment), as `<key id>.<ciphertext>`.
 */

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

const nameOf = (environment: Environment) => `webhook:${environment}`;

export function sealWebhookSecret(agentId: string, environment: Environment, secret: string): string {
  const { ciphertext, keyId } = encryptSecret(agentId, nameOf(environment), secret);
  return `${keyId}.${ciphertext}`;
}

export function openWebhookSecret(agentId: string, environment: Environment, sealed: string): string {
  const dot = sealed.indexOf(".");
  return decryptSecret(agentId, nameOf(environment), {
    keyId: sealed.slice(0, dot),
    ciphertext: sealed.slice(dot + 1),
  });
}
