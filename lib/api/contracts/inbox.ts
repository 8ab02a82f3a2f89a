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
  recipient: z.object({ kind: z.enum(["agent", "user"]), id: z.string().uuid() }),
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
