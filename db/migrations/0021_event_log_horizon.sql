CREATE TABLE "event_log_horizon" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"pruned_through" bigint DEFAULT 0 NOT NULL,
	"pruned_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_log_horizon_one_row" CHECK ("event_log_horizon"."id" = 1)
);
