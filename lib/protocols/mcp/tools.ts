import "server-only";
import { z } from "zod";
import { uuidParam } from "@/lib/api/contract";
import { searchAgentsQuery, searchAgentsRoute } from "@/lib/api/contracts/agent-listings";
import { inboxQuery, listInboxRoute } from "@/lib/api/contracts/inbox";
import {
  cancelBody,
  cancelJobRoute,
  completeBody,
  completeJobRoute,
  deliverBody,
  deliverJobRoute,
  directMessageBody,
  getJob,
  hireBody,
  hireJobRoute,
  listJobsQuery,
  listJobsRoute,
  requestRevisionRoute,
  revisionBody,
  sendJobMessage,
  startJobRoute,
} from "@/lib/api/contracts/jobs";
import { browseServicesQuery, browseServicesRoute, getService } from "@/lib/api/contracts/services";
import { getWalletRoute } from "@/lib/api/contracts/wallet";
import { searchAgents } from "@/lib/market/agent-search";
import {
  cancelJob,
  completeJob,
  deliverJob,
  getJobDetail,
  hireJob,
  listJobs,
  requestRevision,
  startJob,
} from "@/lib/market/jobs";
import { listInbox, sendDirectMessage } from "@/lib/market/messages";
import { browseServices } from "@/lib/market/service-search";
import { getServiceJson } from "@/lib/market/services";
import { toCents } from "@/lib/ledger/money";
import { getWallet } from "@/lib/ledger/wallet";
import { RUN_TOOLS } from "./run-tools";
import { tool, type McpTool } from "./tool";

const jobId = { job_id: uuidParam.describe("The job's id") };
const FOLLOW =
  "Follow a job with get_job: the worker starts it (in_progress) and delivers (delivered); then complete_job " +
  "(with a rating) or request_revision.";

/** The market as MCP tools (tool.ts says how each stands for its REST route). */
export const MCP_TOOLS: readonly McpTool[] = [
  tool({
    name: "search_agents",
    route: searchAgentsRoute,
    input: searchAgentsQuery,
    run: (p, q) => searchAgents(p, q),
  }),
  tool({
    name: "search_services",
    route: browseServicesRoute,
    hint: "A service is a fixed-price offer of an agent; hire one with hire_service.",
    input: browseServicesQuery,
    run: (_p, q) => browseServices(q),
  }),
  tool({
    name: "get_service",
    route: getService,
    input: z.strictObject({ service_id: uuidParam.describe("The service's id") }),
    run: (_p, { service_id }) => getServiceJson(service_id),
  }),
  tool({
    name: "hire_service",
    route: hireJobRoute,
    hint: `Returns at once with the pending job. ${FOLLOW}`,
    input: hireBody.extend({
      max_price: z
        .number()
        .min(0)
        .max(1_000_000)
        .optional()
        .describe("Refuse to hire (422, reason price_above_max) when the service costs more than this, in USD"),
      idempotency_key: z
        .string()
        .min(1)
        .max(200)
        .optional()
        .describe("Your key for this hire: a retry with the same key returns the job the first call created"),
    }),
    // The price is checked in the hire's own transaction, against the price it charges.
    run: (p, { max_price, idempotency_key, ...hire }) =>
      hireJob(p, {
        ...hire,
        ...(max_price === undefined ? {} : { max_price_cents: toCents(max_price) }),
        ...(idempotency_key === undefined ? {} : { request_key: `mcp:${idempotency_key}` }),
      }),
  }),
  tool({
    name: "get_job",
    route: getJob,
    hint: "`actions` lists the transitions the caller may take now.",
    input: z.strictObject(jobId),
    run: (p, { job_id }) => getJobDetail(p, job_id),
  }),
  tool({
    name: "list_my_jobs",
    route: listJobsRoute,
    input: listJobsQuery,
    run: (p, q) => listJobs(p, q),
  }),
  tool({
    name: "start_job",
    route: startJobRoute,
    input: z.strictObject(jobId),
    run: (p, { job_id }) => startJob(p, job_id),
  }),
  tool({
    name: "deliver_job",
    route: deliverJobRoute,
    input: deliverBody.extend(jobId),
    run: (p, { job_id, ...body }) => deliverJob(p, job_id, body),
  }),
  tool({
    name: "request_revision",
    route: requestRevisionRoute,
    input: revisionBody.extend(jobId),
    run: (p, { job_id, ...body }) => requestRevision(p, job_id, body),
  }),
  tool({
    name: "complete_job",
    route: completeJobRoute,
    input: completeBody.extend(jobId),
    run: (p, { job_id, ...body }) => completeJob(p, job_id, body),
  }),
  tool({
    name: "cancel_job",
    route: cancelJobRoute,
    input: cancelBody.extend(jobId),
    run: (p, { job_id, ...body }) => cancelJob(p, job_id, body),
  }),
  tool({
    name: "send_message",
    route: sendJobMessage,
    input: directMessageBody.extend(jobId),
    run: (p, { job_id, ...body }) => sendDirectMessage(p, job_id, body),
  }),
  tool({
    name: "wallet_balance",
    route: getWalletRoute,
    hint: "A hire moves the price from available into held (escrow) until the job settles.",
    input: z.strictObject({ agent_id: uuidParam.optional().describe("An agent you own (default: yourself)") }),
    run: (p, { agent_id }) => getWallet(p, agent_id),
  }),
  tool({
    name: "read_inbox",
    route: listInboxRoute,
    input: inboxQuery,
    run: (p, q) => listInbox(p, q),
  }),
  ...RUN_TOOLS,
];
