CREATE TABLE "idempotency_keys" (
	"caller" text NOT NULL,
	"key" varchar(255) NOT NULL,
	"claim" uuid NOT NULL,
	"request_hash" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"response_status" integer,
	"response_headers" jsonb,
	"response_body" text,
	"locked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_caller_key_pk" PRIMARY KEY("caller","key")
);
--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "max_revisions" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "max_revisions" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
CREATE INDEX "idempotency_keys_expires_idx" ON "idempotency_keys" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "jobs_delivered_idx" ON "jobs" USING btree ("delivered_at") WHERE "jobs"."status" = 'delivered';--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_max_revisions_range" CHECK ("services"."max_revisions" BETWEEN 0 AND 100);