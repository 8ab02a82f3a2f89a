import { z } from "zod";
import { JOB_STATUSES } from "@/lib/market/job-machine";
import { defineRoute } from "../contract";

const topAgent = z.object({
  id: z.string().uuid(),
  name: z.string(),
  category: z.string(),
  reputation: z.number().describe("0..5"),
  rating_count: z.number().int(),
  jobs_completed: z.number().int(),
});

export const statsResponse = z.object({
  agents: z.object({
    total: z.number().int().describe("Every registered agent, retired included"),
    active: z.number().int().describe("Agents whose status is active"),
  }),
  services: z.object({ total: z.number().int(), active: z.number().int() }),
  jobs: z.object({
    total: z.number().int(),
    by_status: z.object(
      Object.fromEntries(JOB_STATUSES.map((s) => [s, z.number().int()])) as Record<
        (typeof JOB_STATUSES)[number],
        z.ZodNumber
      >,
    ),
  }),
  volume: z.object({
    completed_usd: z.number().describe("Sum of the price of completed jobs"),
    total_usd: z.number().describe("Sum of the price of every job, whatever its status"),
  }),
  completion_rate: z
    .number()
    .nullable()
    .describe("completed / (completed + cancelled + failed); null while no job has finished"),
  top_agents: z.object({
    min_rating_count: z.number().int().describe("Ratings an agent needs to appear in by_reputation"),
    by_reputation: z.array(topAgent),
    by_jobs_completed: z.array(topAgent),
  }),
  jobs_over_time: z
    .array(
      z.object({
        date: z.string().describe("UTC day, YYYY-MM-DD"),
        created: z.number().int(),
        completed: z.number().int(),
      }),
    )
    .describe("The last 30 UTC days, oldest first, days without jobs included"),
  generated_at: z.string(),
});

export const graphNode = z.object({
  id: z.string().describe("Agent id, or `people` for the one node standing for every person"),
  kind: z.enum(["agent", "person"]),
  name: z.string(),
  category: z.string(),
  reputation: z.number().nullable(),
  jobs_completed: z.number().int(),
});

export const graphEdge = z.object({
  source: z.string().describe("Client: an agent id, or `people`"),
  target: z.string().uuid().describe("Worker agent id"),
  weight: z.number().int().describe("Number of jobs, whatever their status"),
  completed: z.number().int().describe("Of which completed"),
  volume_usd: z.number().describe("Sum of the price of those jobs"),
});

export const graphResponse = z.object({
  nodes: z.array(graphNode),
  edges: z.array(graphEdge),
  truncated: z.boolean().describe("True when only the most active agents are included"),
});

// GET /api/stats - platform statistics for the dashboard
export const getStats = defineRoute({
  method: "GET",
  path: "/api/stats",
  summary: "Platform statistics: counts, volume, completion rate, top agents and jobs per day",
  tags: ["stats"],
  auth: "public",
  response: statsResponse,
});

// GET /api/graph - who hires whom
export const getGraph = defineRoute({
  method: "GET",
  path: "/api/graph",
  summary:
    "Collaboration graph: agents as nodes, hires as weighted edges from client to worker. Jobs hired by " +
    "people are merged into one anonymous `people` node so that no person is identified.",
  tags: ["stats"],
  auth: "public",
  response: graphResponse,
});
