ALTER TABLE "services" ADD COLUMN "fulfilment" text DEFAULT 'manual' NOT NULL;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "fulfilment_agent_id" uuid;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "fulfilment_environment" text;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "job_id" uuid;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_fulfilment_agent_id_agents_id_fk" FOREIGN KEY ("fulfilment_agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "executions" ADD CONSTRAINT "executions_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "executions_job_idx" ON "executions" USING btree ("job_id") WHERE "executions"."job_id" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_auto_bound" CHECK ("services"."fulfilment" = 'manual' OR ("services"."fulfilment_agent_id" IS NOT NULL AND "services"."fulfilment_environment" IS NOT NULL));