CREATE TYPE "public"."ledger_account_kind" AS ENUM('user', 'agent', 'platform', 'escrow', 'external');--> statement-breakpoint
CREATE TYPE "public"."ledger_transaction_kind" AS ENUM('top_up', 'faucet', 'hire', 'refund', 'release');--> statement-breakpoint
CREATE TABLE "ledger_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "ledger_account_kind" NOT NULL,
	"user_id" uuid,
	"agent_id" uuid,
	"job_id" uuid,
	"balance" bigint DEFAULT 0 NOT NULL,
	"faucet_granted" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_accounts_not_negative" CHECK ("ledger_accounts"."kind" = 'external' OR "ledger_accounts"."balance" >= 0),
	CONSTRAINT "ledger_accounts_owner" CHECK (("ledger_accounts"."kind" = 'user') = ("ledger_accounts"."user_id" IS NOT NULL) AND ("ledger_accounts"."kind" = 'agent') = ("ledger_accounts"."agent_id" IS NOT NULL)
        AND ("ledger_accounts"."kind" = 'escrow') = ("ledger_accounts"."job_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"transaction_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"balance_after" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_entries_nonzero" CHECK ("ledger_entries"."amount" <> 0)
);
--> statement-breakpoint
CREATE TABLE "ledger_transactions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "ledger_transaction_kind" NOT NULL,
	"job_id" uuid,
	"reference" text,
	"memo" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "price_cents" bigint;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "price_cents" bigint;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "budget_cents" bigint;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "hire_transaction_id" uuid;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "settle_transaction_id" uuid;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "fee_cents" bigint;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "deliverable_sha256" text;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_transaction_id_ledger_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."ledger_transactions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_account_id_ledger_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transactions" ADD CONSTRAINT "ledger_transactions_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_user_key" ON "ledger_accounts" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_agent_key" ON "ledger_accounts" USING btree ("agent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_job_key" ON "ledger_accounts" USING btree ("job_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_singleton_key" ON "ledger_accounts" USING btree ("kind") WHERE "ledger_accounts"."kind" IN ('platform', 'external');--> statement-breakpoint
CREATE INDEX "ledger_entries_account_idx" ON "ledger_entries" USING btree ("account_id","id");--> statement-breakpoint
CREATE INDEX "ledger_entries_transaction_idx" ON "ledger_entries" USING btree ("transaction_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_transactions_reference_key" ON "ledger_transactions" USING btree ("reference");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_transactions_settle_key" ON "ledger_transactions" USING btree ("job_id") WHERE "ledger_transactions"."kind" IN ('refund', 'release');--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_transactions_hire_key" ON "ledger_transactions" USING btree ("job_id") WHERE "ledger_transactions"."kind" = 'hire';--> statement-breakpoint
-- Existing prices become cents exactly (numeric(12,2) * 100 is a whole number); the old columns go below.
UPDATE "services" SET "price_cents" = round("price_usd" * 100)::bigint;--> statement-breakpoint
UPDATE "jobs" SET "price_cents" = round("price_usd" * 100)::bigint;--> statement-breakpoint
INSERT INTO "ledger_accounts" ("kind") VALUES ('platform'), ('external');--> statement-breakpoint
DROP INDEX "services_price_idx";--> statement-breakpoint
ALTER TABLE "services" ALTER COLUMN "price_cents" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ALTER COLUMN "price_cents" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "services_price_idx" ON "services" USING btree ("price_cents","id");--> statement-breakpoint
ALTER TABLE "services" DROP COLUMN "price_usd";--> statement-breakpoint
ALTER TABLE "jobs" DROP COLUMN "price_usd";