CREATE TYPE "public"."deploy_environment" AS ENUM('dev', 'staging', 'prod');--> statement-breakpoint
CREATE TYPE "public"."deploy_host" AS ENUM('local', 'fargate', 'agentcore');--> statement-breakpoint
CREATE TYPE "public"."deployment_status" AS ENUM('deploying', 'deployed', 'failed', 'rolled_back', 'aborted', 'superseded');--> statement-breakpoint
CREATE TYPE "public"."deployment_strategy" AS ENUM('initial', 'blue_green', 'rolling', 'canary');--> statement-breakpoint
CREATE TYPE "public"."instance_status" AS ENUM('starting', 'healthy', 'unhealthy', 'draining', 'stopped', 'failed');--> statement-breakpoint
CREATE TABLE "agent_bundles" (
	"digest" text PRIMARY KEY NOT NULL,
	"format" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"size_bytes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agent_routes" (
	"agent_id" uuid NOT NULL,
	"environment" "deploy_environment" NOT NULL,
	"host" "deploy_host" NOT NULL,
	"weights" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"live_version_id" uuid,
	"active_deployment_id" uuid,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"webhook_secret" text,
	"generation" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_routes_agent_id_environment_pk" PRIMARY KEY("agent_id","environment")
);
--> statement-breakpoint
CREATE TABLE "agent_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agent_id" uuid NOT NULL,
	"version" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"source" text NOT NULL,
	"bundle_digest" text,
	"artifact" text,
	"container_image" text,
	"entrypoint" text NOT NULL,
	"runtime" text DEFAULT 'node' NOT NULL,
	"dependencies" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"configuration" jsonb NOT NULL,
	"code_digest" text NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "call_rollups" (
	"agent_id" uuid NOT NULL,
	"environment" "deploy_environment" NOT NULL,
	"version_id" uuid NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"calls" integer DEFAULT 0 NOT NULL,
	"errors" integer DEFAULT 0 NOT NULL,
	"timeouts" integer DEFAULT 0 NOT NULL,
	"latency_sum_ms" bigint DEFAULT 0 NOT NULL,
	"bytes_in" bigint DEFAULT 0 NOT NULL,
	"bytes_out" bigint DEFAULT 0 NOT NULL,
	"hist" integer[] NOT NULL,
	"p50_ms" double precision DEFAULT 0 NOT NULL,
	"p95_ms" double precision DEFAULT 0 NOT NULL,
	"p99_ms" double precision DEFAULT 0 NOT NULL,
	"resource_samples" integer DEFAULT 0 NOT NULL,
	"cpu_utilization_sum" double precision DEFAULT 0 NOT NULL,
	"memory_utilization_sum" double precision DEFAULT 0 NOT NULL,
	"memory_bytes_max" bigint DEFAULT 0 NOT NULL,
	"disk_bytes_max" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "call_rollups_agent_id_environment_version_id_bucket_start_pk" PRIMARY KEY("agent_id","environment","version_id","bucket_start")
);
--> statement-breakpoint
CREATE TABLE "call_rollups_hourly" (
	"agent_id" uuid NOT NULL,
	"environment" "deploy_environment" NOT NULL,
	"version_id" uuid NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"calls" integer DEFAULT 0 NOT NULL,
	"errors" integer DEFAULT 0 NOT NULL,
	"timeouts" integer DEFAULT 0 NOT NULL,
	"latency_sum_ms" bigint DEFAULT 0 NOT NULL,
	"bytes_in" bigint DEFAULT 0 NOT NULL,
	"bytes_out" bigint DEFAULT 0 NOT NULL,
	"hist" integer[] NOT NULL,
	"p50_ms" double precision DEFAULT 0 NOT NULL,
	"p95_ms" double precision DEFAULT 0 NOT NULL,
	"p99_ms" double precision DEFAULT 0 NOT NULL,
	"resource_samples" integer DEFAULT 0 NOT NULL,
	"cpu_utilization_sum" double precision DEFAULT 0 NOT NULL,
	"memory_utilization_sum" double precision DEFAULT 0 NOT NULL,
	"memory_bytes_max" bigint DEFAULT 0 NOT NULL,
	"disk_bytes_max" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "call_rollups_hourly_agent_id_environment_version_id_bucket_start_pk" PRIMARY KEY("agent_id","environment","version_id","bucket_start")
);
--> statement-breakpoint
CREATE TABLE "deployment_instances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agent_id" uuid NOT NULL,
	"environment" "deploy_environment" NOT NULL,
	"version_id" uuid NOT NULL,
	"host" "deploy_host" NOT NULL,
	"status" "instance_status" DEFAULT 'starting' NOT NULL,
	"node" text NOT NULL,
	"address" text,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"last_check_at" timestamp with time zone,
	"last_check_message" text,
	"reason" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stopped_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "deployments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agent_id" uuid NOT NULL,
	"environment" "deploy_environment" NOT NULL,
	"host" "deploy_host" NOT NULL,
	"version_id" uuid NOT NULL,
	"previous_version_id" uuid,
	"strategy" "deployment_strategy" NOT NULL,
	"status" "deployment_status" DEFAULT 'deploying' NOT NULL,
	"phases" jsonb NOT NULL,
	"current_phase" text NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"config" jsonb NOT NULL,
	"state" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reason" text,
	"next_step_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "scaling_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agent_id" uuid NOT NULL,
	"environment" "deploy_environment" NOT NULL,
	"version_id" uuid NOT NULL,
	"action" text NOT NULL,
	"reason" text NOT NULL,
	"from_instances" integer NOT NULL,
	"to_instances" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agent_routes" ADD CONSTRAINT "agent_routes_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_routes" ADD CONSTRAINT "agent_routes_live_version_id_agent_versions_id_fk" FOREIGN KEY ("live_version_id") REFERENCES "public"."agent_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_versions" ADD CONSTRAINT "agent_versions_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_versions" ADD CONSTRAINT "agent_versions_bundle_digest_agent_bundles_digest_fk" FOREIGN KEY ("bundle_digest") REFERENCES "public"."agent_bundles"("digest") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_versions" ADD CONSTRAINT "agent_versions_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_rollups" ADD CONSTRAINT "call_rollups_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_rollups" ADD CONSTRAINT "call_rollups_version_id_agent_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."agent_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_rollups_hourly" ADD CONSTRAINT "call_rollups_hourly_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_rollups_hourly" ADD CONSTRAINT "call_rollups_hourly_version_id_agent_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."agent_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_instances" ADD CONSTRAINT "deployment_instances_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_instances" ADD CONSTRAINT "deployment_instances_version_id_agent_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."agent_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_version_id_agent_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."agent_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_previous_version_id_agent_versions_id_fk" FOREIGN KEY ("previous_version_id") REFERENCES "public"."agent_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scaling_events" ADD CONSTRAINT "scaling_events_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scaling_events" ADD CONSTRAINT "scaling_events_version_id_agent_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."agent_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agent_versions_agent_version_key" ON "agent_versions" USING btree ("agent_id","version");--> statement-breakpoint
CREATE INDEX "agent_versions_agent_idx" ON "agent_versions" USING btree ("agent_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "call_rollups_agent_time_idx" ON "call_rollups" USING btree ("agent_id","bucket_start");--> statement-breakpoint
CREATE INDEX "call_rollups_hourly_agent_time_idx" ON "call_rollups_hourly" USING btree ("agent_id","bucket_start");--> statement-breakpoint
CREATE INDEX "deployment_instances_route_idx" ON "deployment_instances" USING btree ("agent_id","environment","version_id") WHERE "deployment_instances"."status" IN ('starting', 'healthy', 'unhealthy', 'draining');--> statement-breakpoint
CREATE INDEX "deployments_agent_idx" ON "deployments" USING btree ("agent_id","created_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE UNIQUE INDEX "deployments_one_active_key" ON "deployments" USING btree ("agent_id","environment") WHERE "deployments"."status" = 'deploying';--> statement-breakpoint
CREATE INDEX "deployments_due_idx" ON "deployments" USING btree ("next_step_at") WHERE "deployments"."status" = 'deploying';--> statement-breakpoint
CREATE INDEX "scaling_events_agent_idx" ON "scaling_events" USING btree ("agent_id","environment","created_at" DESC NULLS LAST);