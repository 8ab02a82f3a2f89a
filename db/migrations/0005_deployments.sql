ALTER TABLE "call_rollups" ALTER COLUMN "p50_ms" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "call_rollups" ALTER COLUMN "p95_ms" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "call_rollups" ALTER COLUMN "p99_ms" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "call_rollups_hourly" ALTER COLUMN "p50_ms" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "call_rollups_hourly" ALTER COLUMN "p95_ms" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "call_rollups_hourly" ALTER COLUMN "p99_ms" SET DATA TYPE double precision;