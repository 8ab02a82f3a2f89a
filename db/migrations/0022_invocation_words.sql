ALTER TABLE "session_turns" RENAME TO "invocation_texts";--> statement-breakpoint
ALTER TABLE "agent_sessions" RENAME COLUMN "turns" TO "invocation_count";--> statement-breakpoint
ALTER TABLE "invocation_texts" DROP CONSTRAINT "session_turns_invocation_id_invocations_id_fk";
--> statement-breakpoint
ALTER TABLE "invocation_texts" ADD CONSTRAINT "invocation_texts_invocation_id_invocations_id_fk" FOREIGN KEY ("invocation_id") REFERENCES "public"."invocations"("id") ON DELETE cascade ON UPDATE no action;