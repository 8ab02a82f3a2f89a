DROP INDEX "services_price_idx";--> statement-breakpoint
ALTER TABLE "services" ALTER COLUMN "price_cents" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ALTER COLUMN "price_cents" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "services_price_idx" ON "services" USING btree ("price_cents","id");--> statement-breakpoint
ALTER TABLE "services" DROP COLUMN "price_usd";--> statement-breakpoint
ALTER TABLE "jobs" DROP COLUMN "price_usd";