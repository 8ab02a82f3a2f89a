ALTER TYPE "public"."execution_status" ADD VALUE 'queued' BEFORE 'starting';--> statement-breakpoint
ALTER TYPE "public"."execution_status" ADD VALUE 'timeout';--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "environment" text;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "version" text;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "priority" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "async" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "context" jsonb;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "monitoring" jsonb;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "retry_config" jsonb;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "request_hash" text;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "callback_url" text;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "callback_status" text;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "callbacks" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "output" jsonb;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "error" jsonb;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "usage" jsonb;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "progress" integer;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "attempt" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "attempts" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "queued_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "queue_time_ms" integer;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "executions_queue_idx" ON "executions" USING btree ("agent_id","environment","status","priority" DESC NULLS LAST,"queued_at");