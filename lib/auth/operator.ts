import "server-only";
import { env } from "@/lib/env";
import type { Principal } from "./principal";
import { OPERATOR_SCOPE, SCOPES, type Scope } from "./scopes";

/**
 * The operator scope. Nobody holds it by default: a signed-in person does when `OPERATOR_EMAILS` lists their
 * email; an API key never does (keys are limited to SCOPES, see scopeSchema).
 */
export function personScopes(email: string): readonly Scope[] {
  return env().OPERATOR_EMAILS.includes(email.trim().toLowerCase()) ? [...SCOPES, OPERATOR_SCOPE] : SCOPES;
}

export function isOperator(principal: Principal): boolean {
  return principal.kind === "user" && principal.scopes.includes(OPERATOR_SCOPE);
}

/** The scopes a key may be given: what the caller holds, less the operator scope. */
export function keyScopes(scopes: readonly Scope[]): Scope[] {
  return scopes.filter((s) => s !== OPERATOR_SCOPE);
}
