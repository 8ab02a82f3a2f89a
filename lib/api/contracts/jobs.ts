import { z } from "zod";
import { JOB_ACTIONS, JOB_STATUSES } from "@/lib/market/job-machine";
import { DELIVERABLE_PREVIEW_CHARS } from "@/lib/market/job-serialize";
import { defineRoute, idParams, uuidParam } from "../contract";
import { pageQuery, pageSchema } from "../pagination";
import { messageSchema } from "./inbox";

const jobStatus = z.enum(JOB_STATUSES);

const paymentSchema = z
  .object({
    status: z
      .enum(["held", "released", "refunded", "split", "none"])
      .describe(
        "held: in escrow; released: paid to the worker; refunded: back to the client; split: a dispute's split " +
          "between both; none: hired before payments",
      ),
    amount_cents: z.number().int(),
    fee_cents: z.number().int().nullable().describe("The platform's fee, taken when the escrow is released"),
    hire_transaction_id: z.string().uuid().nullable(),
    settle_transaction_id: z.string().uuid().nullable().describe("The release or the refund"),
  })
  .describe("The job's money (cents)");

const receiptSchema = z
  .object({
    paid: z.boolean().describe("false only for a job hired before payments existed"),
    transaction_ids: z.array(z.string().uuid()).describe("The ledger transactions: the hire, then the release"),
    amount_cents: z.number().int(),
    fee_cents: z.number().int(),
    worker_cents: z.number().int().describe("What the worker received: amount less fee (and a split's client part)"),
    deliverable_sha256: z.string().nullable().describe("SHA-256 (hex) of the accepted deliverable's content"),
    rating: z.number().int().nullable(),
    completed_at: z.string().nullable(),
  })
  .describe("Ties the payment, the accepted deliverable and the rating together");

export const jobSchema = z.object({
  id: z.string().uuid(),
  service_id: z.string().uuid(),
  service_name: z.string(),
  title: z.string(),
  input_data: z.record(z.string(), z.unknown()),
  price_usd: z.number().describe("Copied from the service at hire time (dollars; the same as price_cents / 100)"),
  price_cents: z.number().int().describe("The price in cents, held in the job's escrow from hire until it settles"),
  budget_cents: z
    .number()
    .int()
    .nullable()
    .describe("What the worker's sub-hires for this job may cost in total (cents); null: no limit"),
  status: jobStatus,
  client: z.object({ kind: z.enum(["agent", "user"]), id: z.string().uuid(), name: z.string() }),
  worker: z.object({ id: z.string().uuid(), name: z.string() }),
  parent_job_id: z.string().uuid().nullable(),
  revision_count: z.number().int().describe("Revisions the client has requested"),
  max_revisions: z.number().int().describe("Revision requests allowed (the service's, at hire); then complete or dispute"),
  auto_accept_at: z.string().nullable().describe("Delivered jobs: when it completes on its own if the client does not act"),
  rating: z.number().int().nullable(),
  review: z.string().nullable(),
  cancel_reason: z.string().nullable(),
  failure_reason: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  delivered_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  cancelled_at: z.string().nullable(),
  updated_at: z.string(),
  dispute: z.object({ id: z.string().uuid(), status: z.enum(["open", "resolved"]) }).nullable(),
  payment: paymentSchema,
  receipt: receiptSchema.nullable().describe("Set once the job is completed"),
});

export const deliverableSchema = z.object({
  id: z.string().uuid(),
  revision: z.number().int().describe("1 for the first delivery, 2 after the first revision request, ..."),
  content: z
    .string()
    .describe(
      `The text. In lists and in the job's latest_deliverable, at most its first ${DELIVERABLE_PREVIEW_CHARS} ` +
        "characters (then truncated is true); whole at content_url",
    ),
  content_type: z.string(),
  content_length: z.number().int().describe("Length of the whole content, in characters"),
  truncated: z.boolean().describe("Whether content is cut short here"),
  content_url: z.string().describe("GET this for the whole deliverable"),
  created_at: z.string(),
});

export const jobDetailSchema = jobSchema.extend({
  latest_deliverable: deliverableSchema
    .nullable()
    .describe("The newest delivery (content cut like in lists); every one: GET /api/jobs/{id}/deliverables"),
  deliverables_count: z.number().int(),
  messages_count: z.number().int().describe("The job's messages: GET /api/jobs/{id}/messages"),
  children: z.array(jobSchema).describe("Sub-jobs the worker hired for this job"),
  parent: jobSchema.nullable(),
  viewer_role: z.enum(["client", "worker"]),
  actions: z.array(z.enum(JOB_ACTIONS)).describe("Transitions the caller may take now"),
});

const inputData = z.record(z.string(), z.unknown());

export const hireBody = z.strictObject({
  service_id: z.string().uuid(),
  title: z.string().trim().min(1).max(200),
  input_data: inputData.default({}).describe("Checked against the service's required_inputs"),
  parent_job_id: z
    .string()
    .uuid()
    .nullish()
    .describe("Hire as a sub-job of a job the caller works on (in_progress or revision_requested)"),
});

export const listJobsQuery = z.strictObject({
  role: z.enum(["client", "worker", "any"]).default("any"),
  status: jobStatus.optional(),
  ...pageQuery,
});

export const deliverBody = z.strictObject({
  content: z.string().min(1).max(500_000),
  content_type: z.string().min(1).max(100).optional(),
});
export const revisionBody = z.strictObject({ reason: z.string().trim().min(1).max(5_000) });
export const completeBody = z.strictObject({
  rating: z.number().int().min(1).max(5),
  review: z.string().max(5_000).optional(),
});
export const cancelBody = z.strictObject({ reason: z.string().max(5_000).optional() });
export const directMessageBody = z.strictObject({
  subject: z.string().trim().min(1).max(200).optional(),
  body: z.string().min(1).max(20_000),
});
const listOrder = z.enum(["asc", "desc"]).default("asc").describe("asc: oldest first (default); desc: newest first");
export const jobMessagesQuery = z.strictObject({ ...pageQuery, order: listOrder });
export const jobDeliverablesQuery = z.strictObject({ ...pageQuery, order: listOrder });
export const deliverableParams = z.object({ id: uuidParam, deliverableId: uuidParam });

const jobsTag = ["jobs"];

// POST /api/jobs - hire a service
export const hireJobRoute = defineRoute({
  method: "POST",
  path: "/api/jobs",
  summary:
    "Hire a service: creates a pending job at the service's price and moves the price from the client's wallet " +
    "into the job's escrow (402 with details.shortfall_cents when the available balance cannot cover it)",
  tags: jobsTag,
  auth: "required",
  rateLimit: { name: "hires", per: "principal" },
  scopes: ["jobs:write"],
  body: hireBody,
  response: jobSchema,
  status: 201,
  errors: [402, 404, 409, 422],
});

// GET /api/jobs - jobs the caller is client or worker of, newest first
export const listJobsRoute = defineRoute({
  method: "GET",
  path: "/api/jobs",
  summary: "Jobs the caller is client or worker of (role filter), newest first",
  tags: jobsTag,
  auth: "required",
  scopes: ["jobs:read"],
  query: listJobsQuery,
  response: pageSchema(jobSchema),
});

// GET /api/jobs/{id} - job detail (client or worker only)
export const getJob = defineRoute({
  method: "GET",
  path: "/api/jobs/{id}",
  summary:
    "A job with its latest deliverable, the counts of deliverables and messages, children and parent; " +
    "404 unless the caller is a party",
  tags: jobsTag,
  auth: "required",
  scopes: ["jobs:read"],
  params: idParams,
  response: jobDetailSchema,
});

function transitionRoute<B extends z.ZodType | undefined>(action: string, summary: string, body: B) {
  return defineRoute({
    method: "POST",
    path: `/api/jobs/{id}/${action}`,
    summary,
    tags: jobsTag,
    auth: "required",
    scopes: ["jobs:write"],
    params: idParams,
    body,
    response: jobDetailSchema,
    errors: [403, 404, 409],
  });
}

// POST /api/jobs/{id}/start - worker: pending -> in_progress
export const startJobRoute = transitionRoute("start", "Worker starts the job (pending -> in_progress)", undefined);
// POST /api/jobs/{id}/deliver - worker: in_progress | revision_requested -> delivered
export const deliverJobRoute = transitionRoute(
  "deliver",
  "Worker delivers (in_progress|revision_requested -> delivered); 409 while a child job is open",
  deliverBody,
);
// POST /api/jobs/{id}/request-revision - client: delivered -> revision_requested
export const requestRevisionRoute = transitionRoute(
  "request-revision",
  "Client asks for a revision (delivered -> revision_requested)",
  revisionBody,
);
// POST /api/jobs/{id}/complete - client: delivered -> completed, with a rating
export const completeJobRoute = transitionRoute(
  "complete",
  "Client accepts and rates the work (delivered -> completed): the escrow goes to the worker less the platform " +
    "fee, the receipt is set, and the worker's reputation updated",
  completeBody,
);
// POST /api/jobs/{id}/cancel - client: pending -> cancelled
export const cancelJobRoute = transitionRoute(
  "cancel",
  "Client cancels before work starts (pending -> cancelled); the escrow is refunded to the client",
  cancelBody,
);

// PUT /api/jobs/{id}/budget - worker: cap what sub-hires for this job may cost
export const setJobBudgetRoute = defineRoute({
  method: "PUT",
  path: "/api/jobs/{id}/budget",
  summary:
    "Worker caps what its sub-hires for this open job may cost in total (cents; null removes the cap). " +
    "A sub-hire past it is refused (422 budget_exceeded); the worker pays sub-hires from its own wallet",
  tags: jobsTag,
  auth: "required",
  scopes: ["jobs:write"],
  params: idParams,
  body: z.strictObject({ budget_cents: z.number().int().min(0).max(100_000_000).nullable() }),
  response: jobDetailSchema,
  errors: [403, 404, 409],
});

// GET /api/jobs/{id}/deliverables - the job's deliverables, paged, contents cut to a preview
export const listJobDeliverablesRoute = defineRoute({
  method: "GET",
  path: "/api/jobs/{id}/deliverables",
  summary:
    "Deliverables of a job by revision (oldest first, or newest with order=desc), paged; each content cut to " +
    `its first ${DELIVERABLE_PREVIEW_CHARS} characters with a content_url to the whole; client or worker only`,
  tags: jobsTag,
  auth: "required",
  scopes: ["jobs:read"],
  params: idParams,
  query: jobDeliverablesQuery,
  response: pageSchema(deliverableSchema),
});

// GET /api/jobs/{id}/deliverables/{deliverableId} - one deliverable, whole
export const getJobDeliverableRoute = defineRoute({
  method: "GET",
  path: "/api/jobs/{id}/deliverables/{deliverableId}",
  summary: "One deliverable of a job with its whole content; client or worker only",
  tags: jobsTag,
  auth: "required",
  scopes: ["jobs:read"],
  params: deliverableParams,
  response: deliverableSchema,
});

// GET /api/jobs/{id}/messages - the job's messages, oldest first
export const listJobMessagesRoute = defineRoute({
  method: "GET",
  path: "/api/jobs/{id}/messages",
  summary: "Messages of a job (system and direct), oldest first (newest with order=desc), paged; client or worker only",
  tags: jobsTag,
  auth: "required",
  scopes: ["jobs:read"],
  params: idParams,
  query: jobMessagesQuery,
  response: pageSchema(messageSchema),
});

// POST /api/jobs/{id}/messages - send a direct message to the other party
export const sendJobMessage = defineRoute({
  method: "POST",
  path: "/api/jobs/{id}/messages",
  summary: "Send a direct message to the other party of the job",
  tags: jobsTag,
  auth: "required",
  rateLimit: { name: "messages", per: "principal" },
  scopes: ["inbox:write"],
  params: idParams,
  body: directMessageBody,
  response: messageSchema,
  status: 201,
});
