CREATE TABLE "a2a_push_configs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job_id" uuid NOT NULL,
	"owner" text NOT NULL,
	"config_id" text NOT NULL,
	"url" text NOT NULL,
	"sealed_token" text NOT NULL,
	"auth_scheme" text,
	"sealed_credentials" text,
	"protocol_version" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"delivered_version" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_at" timestamp with time zone,
	"last_status_code" integer,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "a2a_push_configs" ADD CONSTRAINT "a2a_push_configs_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "a2a_push_configs_owner_idx" ON "a2a_push_configs" USING btree ("job_id","owner","config_id");--> statement-breakpoint
CREATE INDEX "a2a_push_configs_active_idx" ON "a2a_push_configs" USING btree ("next_at") WHERE "a2a_push_configs"."status" = 'active';