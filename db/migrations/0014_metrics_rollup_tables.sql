CREATE TABLE "call_rollups_5m" (
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
	CONSTRAINT "call_rollups_5m_agent_id_environment_version_id_bucket_start_pk" PRIMARY KEY("agent_id","environment","version_id","bucket_start")
);
--> statement-breakpoint
CREATE TABLE "call_rollups_daily" (
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
	CONSTRAINT "call_rollups_daily_agent_id_environment_version_id_bucket_start_pk" PRIMARY KEY("agent_id","environment","version_id","bucket_start")
);
--> statement-breakpoint
DROP INDEX "call_rollups_agent_time_idx";--> statement-breakpoint
DROP INDEX "call_rollups_hourly_agent_time_idx";--> statement-breakpoint
ALTER TABLE "call_rollups_5m" ADD CONSTRAINT "call_rollups_5m_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_rollups_5m" ADD CONSTRAINT "call_rollups_5m_version_id_agent_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."agent_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_rollups_daily" ADD CONSTRAINT "call_rollups_daily_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_rollups_daily" ADD CONSTRAINT "call_rollups_daily_version_id_agent_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."agent_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "call_rollups_5m_series_idx" ON "call_rollups_5m" USING btree ("agent_id","bucket_start","environment","version_id","calls","errors","timeouts","latency_sum_ms","p50_ms","p95_ms","p99_ms","resource_samples","cpu_utilization_sum","memory_utilization_sum","memory_bytes_max","disk_bytes_max");--> statement-breakpoint
CREATE INDEX "call_rollups_daily_series_idx" ON "call_rollups_daily" USING btree ("agent_id","bucket_start","environment","version_id","calls","errors","timeouts","latency_sum_ms","p50_ms","p95_ms","p99_ms","resource_samples","cpu_utilization_sum","memory_utilization_sum","memory_bytes_max","disk_bytes_max");--> statement-breakpoint
CREATE INDEX "call_rollups_series_idx" ON "call_rollups" USING btree ("agent_id","bucket_start","environment","version_id","calls","errors","timeouts","latency_sum_ms","p50_ms","p95_ms","p99_ms","resource_samples","cpu_utilization_sum","memory_utilization_sum","memory_bytes_max","disk_bytes_max");--> statement-breakpoint
CREATE INDEX "call_rollups_hourly_series_idx" ON "call_rollups_hourly" USING btree ("agent_id","bucket_start","environment","version_id","calls","errors","timeouts","latency_sum_ms","p50_ms","p95_ms","p99_ms","resource_samples","cpu_utilization_sum","memory_utilization_sum","memory_bytes_max","disk_bytes_max");