import { randomUUID } from "node:crypto";

/** AgentCore runtime session ids are 33 to 256 characters; we also keep them to URL- and header-safe characters. */
export const SESSION_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{32,255}$/;

export function isValidSessionId(value: string): boolean {
  return SESSION_ID_RE.test(value);
}

/** `session-` + a random UUID without dashes: 40 characters, unique per call. */
export function generateSessionId(): string {
  return `session-${randomUUID().replace(/-/g, "")}`;
}
