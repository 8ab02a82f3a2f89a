import "server-only";
import { z } from "zod";
import type { Message, SendMessageRequest } from "@a2a-js/sdk";
import { completeBody, revisionBody } from "@/lib/api/contracts/jobs";
import { issuesToDetails } from "@/lib/api/handler";
import { assertNoNul } from "@/lib/api/input-guards";
import { ACCEPT_HINT } from "./task-map";
import { invalidParams } from "./errors";

/** What a message says, read the same way whatever the protocol version it came in. */

/** The object of the message's first data part, if any. */
export function dataOf(message: Message): Record<string, unknown> | undefined {
  for (const p of message.parts) {
    if (p.content?.$case !== "data") continue;
    const v: unknown = p.content.value;
    if (v === null || typeof v !== "object" || Array.isArray(v))
      throw invalidParams("A data part must be a JSON object");
    return v as Record<string, unknown>;
  }
  return undefined;
}

/** The message's text parts, joined. */
export function textOf(message: Message): string {
  return message.parts
    .flatMap((p) => (p.content?.$case === "text" ? [p.content.value] : []))
    .join("\n")
    .trim();
}

function metaString(req: SendMessageRequest, key: string): string | undefined {
  for (const m of [req.message?.metadata, req.metadata]) {
    const v: unknown = m?.[key];
    if (typeof v === "string" && v) return v;
  }
  return undefined;
}

function metaNumber(req: SendMessageRequest, key: string): number | undefined {
  for (const m of [req.message?.metadata, req.metadata]) {
    const v: unknown = m?.[key];
    if (v !== undefined) {
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw invalidParams(`${key} must be a number >= 0`);
      return v;
    }
  }
  return undefined;
}

/** The skill (service id) a message names in its metadata, if any. */
export function namedSkill(req: SendMessageRequest): string | undefined {
  return metaString(req, "skill_id") ?? metaString(req, "service_id");
}

export interface HireRequest {
  messageId: string;
  /** The skill (service id) the message names in its metadata (`skill_id`, or `service_id`); else the only one. */
  skillId: string | undefined;
  title: string | undefined;
  inputData: Record<string, unknown>;
  maxPriceUsd: number | undefined;
}

/** A message that starts a job: its id de-duplicates, its data part is the job's input_data. */
export function hireRequestOf(req: SendMessageRequest, message: Message): HireRequest {
  if (!message.messageId || message.messageId.length > 200) {
    throw invalidParams("message.messageId is required (at most 200 characters): it makes a retried hire safe");
  }
  const inputData = dataOf(message) ?? {};
  assertNoNul({ inputData, metadata: req.metadata, message: message.metadata }, "body");
  const text = textOf(message);
  return {
    messageId: message.messageId,
    skillId: namedSkill(req),
    title: metaString(req, "title") ?? (text ? text.split("\n")[0]!.slice(0, 200) : undefined),
    inputData,
    maxPriceUsd: metaNumber(req, "max_price"),
  };
}

const decision = z.discriminatedUnion("decision", [
  completeBody.extend({ decision: z.literal("accept") }),
  revisionBody.extend({ decision: z.literal("revise") }),
]);

export type Decision = z.infer<typeof decision>;

/** A follow-up on a delivered task: accept (with a rating) or ask for a revision, as its data part says. */
export function decisionOf(message: Message): Decision {
  const data = dataOf(message);
  if (!data) throw invalidParams(`The task waits for the client's decision. ${ACCEPT_HINT}`);
  assertNoNul(data, "body");
  const parsed = decision.safeParse(data);
  if (!parsed.success) throw invalidParams(`Not a decision. ${ACCEPT_HINT}`, issuesToDetails(parsed.error));
  return parsed.data;
}
