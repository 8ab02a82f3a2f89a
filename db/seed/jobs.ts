import { z } from "zod";
import jobs from "./jobs.json" with { type: "json" };

/**
 * Jobs scripted through the job machine (docs/jobs.md) between the demo participants, by key and service name
 * (./jobs.json): together they cover every status, with ratings and a revision, and repeat business for a few
 * agents, so that the top-agent lists (3+ ratings) and the charts have something to show.
 */
const demoJobSchema = z.strictObject({
  client: z.string(),
  service: z.string(),
  title: z.string(),
  input_data: z.record(z.string(), z.unknown()),
  steps: z.array(z.enum(["start", "deliver", "revise", "complete", "cancel"])),
  rating: z.number().int().min(1).max(5).optional(),
  review: z.string().optional(),
});

export type DemoJob = z.infer<typeof demoJobSchema>;

export const demoJobs: DemoJob[] = z.array(demoJobSchema).parse(jobs);
