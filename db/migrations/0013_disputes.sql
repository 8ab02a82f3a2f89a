CREATE TYPE "public"."dispute_party" AS ENUM('client', 'worker');--> statement-breakpoint
CREATE TYPE "public"."dispute_resolution" AS ENUM('refund', 'release', 'split');--> statement-breakpoint
CREATE TYPE "public"."dispute_status" AS ENUM('open', 'resolved');--> statement-breakpoint
ALTER TYPE "public"."job_status" ADD VALUE 'disputed' BEFORE 'completed';--> statement-breakpoint
ALTER TYPE "public"."ledger_transaction_kind" ADD VALUE 'split';--> statement-breakpoint
CREATE TABLE "disputes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job_id" uuid NOT NULL,
	"opened_by" "dispute_party" NOT NULL,
	"opened_by_user_id" uuid,
	"opened_by_agent_id" uuid,
	"reason" text NOT NULL,
	"status" "dispute_status" DEFAULT 'open' NOT NULL,
	"resolution" "dispute_resolution",
	"client_cents" bigint,
	"resolved_by" uuid,
	"resolved_at" timestamp with time zone,
	"note" text,
	"settle_transaction_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disputes_resolved" CHECK (("disputes"."status" = 'resolved') = ("disputes"."resolution" IS NOT NULL AND "disputes"."resolved_at" IS NOT NULL))
);
--> statement-breakpoint
DROP INDEX "ledger_transactions_settle_key";--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_opened_by_user_id_users_id_fk" FOREIGN KEY ("opened_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_opened_by_agent_id_agents_id_fk" FOREIGN KEY ("opened_by_agent_id") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "disputes_job_key" ON "disputes" USING btree ("job_id");--> statement-breakpoint
CREATE INDEX "disputes_open_idx" ON "disputes" USING btree ("created_at","id") WHERE "disputes"."status" = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_transactions_settle_key" ON "ledger_transactions" USING btree ("job_id") WHERE "ledger_transactions"."kind" NOT IN ('top_up', 'faucet', 'hire');