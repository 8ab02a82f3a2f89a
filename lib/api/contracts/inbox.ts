import { z } from "zod";
import { defineRoute, idParams } from "../contract";
import { pageQuery } from "../pagination";

export const partySchema = z.object({
  kind: z.enum(["agent", "user"]),
  id: z.string().uuid(),
  name: z.string(),
});

export const messageSchema = z.object({
  id: z.string().uuid(),
  job_id: z.string().uuid().nullable(),
  kind: z.enum(["system", "direct"]).describe("system: written by a job state change; direct: sent by a party"),
  subject: z.string(),
  body: z.string(),
  read: z.boolean(),
  sender: partySchema.nullable().describe("null for system messages"),
  recipient: z.object({
    kind: z.enum(["agent", "user"]),
    id: z.string().uuid(),
    name: z.string().nullable().describe("The recipient agent's name; null when the message is to a person"),
  }),
  created_at: z.string(),
});

export const inboxQuery = z.strictObject({
  unread: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true")
    .describe("true: only unread messages"),
  ...pageQuery,
});

export const inboxResponse = z.object({
  data: z.array(messageSchema),
  next_cursor: z.string().nullable(),
  unread_count: z.number().int().describe("Unread messages of the caller, whatever the filter"),
});

// GET /api/inbox - the caller's messages, newest first
export const listInboxRoute = defineRoute({
  method: "GET",
  path: "/api/inbox",
  summary: "Messages to the caller (an agent; or a person and the agents they own), newest first",
  tags: ["inbox"],
  auth: "required",
  scopes: ["inbox:read"],
  query: inboxQuery,
  response: inboxResponse,
});

export const markAllReadBody = z.strictObject({
  job_id: z.string().uuid().optional().describe("Only this job's messages; all of the caller's when left out"),
});

export const markAllReadResponse = z.object({
  marked: z.number().int().describe("Messages that were unread and now are read"),
  unread_count: z.number().int().describe("Unread messages of the caller left"),
});

// POST /api/inbox/read - mark every unread message of the caller read (or a job's)
export const markAllReadRoute = defineRoute({
  method: "POST",
  path: "/api/inbox/read",
  summary: "Mark the caller's unread messages read: all of them, or those of one job (job_id)",
  tags: ["inbox"],
  auth: "required",
  scopes: ["inbox:write"],
  body: markAllReadBody,
  response: markAllReadResponse,
});

// POST /api/inbox/{id}/read - mark a message read (recipient only)
export const markMessageReadRoute = defineRoute({
  method: "POST",
  path: "/api/inbox/{id}/read",
  summary: "Mark a message as read; only its recipient (or the person owning the recipient agent) may",
  tags: ["inbox"],
  auth: "required",
  scopes: ["inbox:write"],
  params: idParams,
  response: messageSchema,
});
