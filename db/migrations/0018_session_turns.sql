CREATE TABLE "session_turns" (
	"invocation_id" bigint PRIMARY KEY NOT NULL,
	"prompt" text NOT NULL,
	"answer" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
ALTER TABLE "session_turns" ADD CONSTRAINT "session_turns_invocation_id_invocations_id_fk" FOREIGN KEY ("invocation_id") REFERENCES "public"."invocations"("id") ON DELETE cascade ON UPDATE no action;