import type { z } from "zod";
import type { apiKeySchema, createdKeySchema } from "@/lib/api/contracts/agent-keys";
import type { agentListItemSchema } from "@/lib/api/contracts/agent-listings";
import type { agentSchema, registeredAgentSchema } from "@/lib/api/contracts/agents";
import type { eventResource } from "@/lib/api/contracts/events";
import type { inboxResponse, messageSchema } from "@/lib/api/contracts/inbox";
import type { deliverableSchema, jobDetailSchema, jobSchema } from "@/lib/api/contracts/jobs";
import type { reviewsResponse } from "@/lib/api/contracts/reviews";
import type { serviceSchema } from "@/lib/api/contracts/services";
import type { graphResponse, statsResponse } from "@/lib/api/contracts/stats";
import type { topUpResponseSchema, transactionSchema, walletSchema } from "@/lib/api/contracts/wallet";
import type { deployResponseSchema, deploymentSchema, deploymentSummarySchema } from "@/lib/api/contracts/deployments";
import type { versionSchema } from "@/lib/api/contracts/versions";
import type { deploymentActionResponse } from "@/lib/api/contracts/deployment-actions";
import type { agentMetricsResponse } from "@/lib/api/contracts/metrics";

/*
 * Browser-side types, inferred from the API's own zod contracts with type-only imports: the schemas stay on the
 * server (no zod in the client bundle) while a contract change still breaks the UI's typecheck.
 */
export type Agent = z.infer<typeof agentSchema>;
export type AgentListItem = z.infer<typeof agentListItemSchema>;
export type AgentReviews = z.infer<typeof reviewsResponse>;
export type ApiKey = z.infer<typeof apiKeySchema>;
export type Service = z.infer<typeof serviceSchema>;
export type Job = z.infer<typeof jobSchema>;
export type JobDetail = z.infer<typeof jobDetailSchema>;
export type Deliverable = z.infer<typeof deliverableSchema>;
export type Message = z.infer<typeof messageSchema>;
export type MarketEvent = z.infer<typeof eventResource>;
export type Stats = z.infer<typeof statsResponse>;
export type Graph = z.infer<typeof graphResponse>;
export type Wallet = z.infer<typeof walletSchema>;
export type WalletTransaction = z.infer<typeof transactionSchema>;
export type TopUp = z.infer<typeof topUpResponseSchema>;
export type InboxPage = z.infer<typeof inboxResponse>;
export type RegisteredAgent = z.infer<typeof registeredAgentSchema>;
export type CreatedKey = z.infer<typeof createdKeySchema>;
export type Deployment = z.infer<typeof deploymentSchema>;
export type DeploymentSummary = z.infer<typeof deploymentSummarySchema>;
export type Version = z.infer<typeof versionSchema>;
export type DeployResult = z.infer<typeof deployResponseSchema>;
export type DeploymentActionResult = z.infer<typeof deploymentActionResponse>;
export type AgentMetrics = z.infer<typeof agentMetricsResponse>;

/** POST .../deployments/{id}/{rollback,promote,abort} (lib/api/contracts/deployment-actions.ts). */
export type DeploymentAction = "rollback" | "promote" | "abort";

/* Parts of those objects that the UI names. */
export type RequiredInput = Service["required_inputs"][number];
export type JobStatus = Job["status"];
export type JobAction = JobDetail["actions"][number];
export type DeploymentPhase = Deployment["phases"][number];
export type Environment = Deployment["environment"];
export type MetricPoint = NonNullable<AgentMetrics["metrics"]["execution_count"]>[number];

export type { Page } from "@/lib/api/pagination";
export type { Granularity } from "@/lib/metrics/series";
