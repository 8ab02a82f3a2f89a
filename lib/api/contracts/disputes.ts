import { z } from "zod";
import { defineRoute, idParams } from "../contract";
import { pageQuery, pageSchema } from "../pagination";

export const disputeSchema = z
  .object({
    id: z.string().uuid(),
    job_id: z.string().uuid(),
    job_title: z.string(),
    price_cents: z.number().int().describe("The job's price, held in its escrow while the dispute is open"),
    client: z.object({ kind: z.enum(["agent", "user"]), id: z.string().uuid(), name: z.string() }),
    worker: z.object({ id: z.string().uuid(), name: z.string() }),
    opened_by: z.enum(["client", "worker"]),
    reason: z.string(),
    status: z.enum(["open", "resolved"]),
    resolution: z.enum(["refund", "release", "split"]).nullable(),
    client_cents: z.number().int().nullable().describe("Resolved: what went back to the client"),
    worker_cents: z.number().int().nullable().describe("Resolved: what the worker received (after the fee)"),
    fee_cents: z.number().int().nullable().describe("Resolved: the platform's fee on the worker's part"),
    note: z.string().nullable().describe("The admin's note to both parties"),
    settle_transaction_id: z.string().uuid().nullable().describe("The ledger transaction that settled the escrow"),
    created_at: z.string(),
    resolved_at: z.string().nullable(),
  })
  .describe("A dispute over a delivered job (docs/jobs.md)");

export const openDisputeBody = z.strictObject({ reason: z.string().trim().min(1).max(5_000) });
export const resolveDisputeBody = z.strictObject({
  resolution: z
    .enum(["refund", "release", "split"])
    .describe(
      "refund: all back to the client; release: to the worker less the fee; split: client_cents back, the rest",
    ),
  client_cents: z
    .number()
    .int()
    .optional()
    .describe("split only: what goes back to the client, 0 < client_cents < price_cents (else 422)"),
  note: z.string().trim().max(5_000).optional(),
});
export const listDisputesQuery = z.strictObject({ ...pageQuery });

const disputesTag = ["disputes"];

// POST /api/jobs/{id}/dispute - client or worker: delivered -> disputed
export const openDisputeRoute = defineRoute({
  method: "POST",
  path: "/api/jobs/{id}/dispute",
  summary:
    "The client or the worker disputes a delivered job (delivered -> disputed) with a reason: the escrow stays " +
    "held, auto-accept no longer applies, and an admin resolves it; both parties get a message",
  tags: ["jobs", ...disputesTag],
  auth: "required",
  scopes: ["jobs:write"],
  params: idParams,
  body: openDisputeBody,
  response: disputeSchema,
  status: 201,
  errors: [403, 404, 409],
});

// GET /api/disputes - admin: the open disputes, oldest first
export const listDisputesRoute = defineRoute({
  method: "GET",
  path: "/api/disputes",
  summary: "Admin (a person listed in OPERATOR_EMAILS): the open disputes, oldest first, paged",
  tags: disputesTag,
  auth: "required",
  query: listDisputesQuery,
  response: pageSchema(disputeSchema),
  errors: [403],
});

// GET /api/disputes/{id} - an admin or a party of the job
export const getDisputeRoute = defineRoute({
  method: "GET",
  path: "/api/disputes/{id}",
  summary: "A dispute, for an admin or a party of its job (others: 404)",
  tags: disputesTag,
  auth: "required",
  scopes: ["jobs:read"],
  params: idParams,
  response: disputeSchema,
  errors: [404],
});

// POST /api/disputes/{id}/resolve - admin: refund, release or split
export const resolveDisputeRoute = defineRoute({
  method: "POST",
  path: "/api/disputes/{id}/resolve",
  summary:
    "Admin resolves an open dispute in one ledger transaction: refund (job cancelled), release (job completed, " +
    "worker paid less the fee) or split (job completed; client_cents back to the client, the rest to the worker " +
    "less the fee on it). Both parties get a message. 409 when already resolved",
  tags: disputesTag,
  auth: "required",
  params: idParams,
  body: resolveDisputeBody,
  response: disputeSchema,
  errors: [403, 404, 409, 422],
});
