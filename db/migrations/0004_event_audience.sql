ALTER TABLE "events" ADD COLUMN "user_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "is_public" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "events_users_idx" ON "events" USING gin ("user_ids");--> statement-breakpoint
CREATE INDEX "events_public_idx" ON "events" USING btree ("id") WHERE "events"."is_public";