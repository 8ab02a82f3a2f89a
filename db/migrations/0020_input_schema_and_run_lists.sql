ALTER TABLE "services" ADD COLUMN "input_schema" jsonb;--> statement-breakpoint
ALTER TABLE "agent_versions" ADD COLUMN "input_schema" jsonb;--> statement-breakpoint
CREATE INDEX "executions_started_by_user_idx" ON "executions" USING btree ("started_by_user_id","start_time" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "executions_started_by_agent_idx" ON "executions" USING btree ("started_by_agent_id","start_time" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "executions_user_status_idx" ON "executions" USING btree ("started_by_user_id","status");--> statement-breakpoint
CREATE INDEX "executions_agent_status_idx" ON "executions" USING btree ("started_by_agent_id","status");