ALTER TABLE "services" ADD COLUMN "max_revisions" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "max_revisions" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
CREATE INDEX "jobs_delivered_idx" ON "jobs" USING btree ("delivered_at") WHERE "jobs"."status" = 'delivered';--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_max_revisions_range" CHECK ("services"."max_revisions" BETWEEN 0 AND 100);