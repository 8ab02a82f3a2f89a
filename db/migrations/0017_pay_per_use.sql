CREATE TYPE "public"."ledger_hold_status" AS ENUM('held', 'charged', 'released');--> statement-breakpoint
ALTER TYPE "public"."ledger_transaction_kind" ADD VALUE 'charge';--> statement-breakpoint
CREATE TABLE "ledger_holds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"account_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"status" "ledger_hold_status" DEFAULT 'held' NOT NULL,
	"transaction_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "ledger_holds_positive" CHECK ("ledger_holds"."amount" > 0)
);
--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "price_per_run" bigint;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "price_per_call" bigint;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD COLUMN "held" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger_holds" ADD CONSTRAINT "ledger_holds_account_id_ledger_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_holds" ADD CONSTRAINT "ledger_holds_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_holds" ADD CONSTRAINT "ledger_holds_transaction_id_ledger_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."ledger_transactions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_holds_reference_key" ON "ledger_holds" USING btree ("reference");--> statement-breakpoint
CREATE INDEX "ledger_holds_open_idx" ON "ledger_holds" USING btree ("account_id","created_at") WHERE "ledger_holds"."status" = 'held';--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_prices_not_negative" CHECK ("agents"."price_per_run" >= 0 AND "agents"."price_per_call" >= 0);--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_held_covered" CHECK ("ledger_accounts"."held" >= 0 AND ("ledger_accounts"."kind" = 'external' OR "ledger_accounts"."held" <= "ledger_accounts"."balance"));