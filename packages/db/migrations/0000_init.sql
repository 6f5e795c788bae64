CREATE TABLE "approvals" (
	"id" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"kind" text NOT NULL,
	"call_id" text,
	"plan_id" text,
	"status" text NOT NULL,
	"answer" text,
	"feedback" text,
	"edited_arguments" jsonb,
	"decided_by" text,
	"requested_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	CONSTRAINT "approvals_kind_shape" CHECK (("approvals"."kind" = 'tool' AND "approvals"."call_id" IS NOT NULL) OR ("approvals"."kind" = 'plan' AND "approvals"."plan_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"input" jsonb,
	"call_id" text,
	"plan_id" text,
	"subtask_id" text,
	"agent" text,
	"reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tx" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"session_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"type" text NOT NULL,
	"data" jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "events_session_seq_unique" UNIQUE("session_id","seq")
);
--> statement-breakpoint
CREATE TABLE "leases" (
	"session_id" text PRIMARY KEY NOT NULL,
	"step_id" text NOT NULL,
	"fence" integer NOT NULL,
	"holder" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" text PRIMARY KEY NOT NULL,
	"ordinal" bigserial NOT NULL,
	"session_id" text NOT NULL,
	"subtask_id" text,
	"run_id" text,
	"step_id" text,
	"agent" text,
	"body" jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"idempotency_key" text
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"goal" text NOT NULL,
	"status" text NOT NULL,
	"call_id" text NOT NULL,
	"approval_id" text,
	"supersedes_plan_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subtasks" (
	"id" text PRIMARY KEY NOT NULL,
	"plan_id" text NOT NULL,
	"index" integer NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"agent" text NOT NULL,
	"depends_on" integer[] NOT NULL,
	"status" text NOT NULL,
	"result" text,
	"error" text,
	"steps" integer NOT NULL,
	CONSTRAINT "subtasks_plan_index_unique" UNIQUE("plan_id","index")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"client_id" text,
	"title" text NOT NULL,
	"agent" text NOT NULL,
	"run" jsonb NOT NULL,
	"run_status" text NOT NULL,
	"active_plan_id" text,
	"revising_plan_id" text,
	"run_steps" integer NOT NULL,
	"last_seq" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"last_activity_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sessions_run_status_matches_run" CHECK ("sessions"."run_status" = "sessions"."run" ->> 'status')
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "api_tokens_role_known" CHECK ("api_tokens"."role" IN ('client', 'operator', 'admin'))
);
--> statement-breakpoint
CREATE TABLE "tool_calls" (
	"id" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"run_id" text NOT NULL,
	"step_id" text NOT NULL,
	"index" integer NOT NULL,
	"owner_kind" text NOT NULL,
	"plan_id" text,
	"subtask_id" text,
	"agent" text NOT NULL,
	"name" text NOT NULL,
	"arguments" jsonb,
	"dispatched_arguments" jsonb,
	"status" text NOT NULL,
	"outcome" jsonb,
	"resolved_by" text,
	"resolution" text,
	"approval_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"dispatched_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "tool_calls_session_id_unique" UNIQUE("session_id","id"),
	CONSTRAINT "tool_calls_resolved_has_outcome" CHECK ("tool_calls"."status" <> 'resolved' OR "tool_calls"."outcome" IS NOT NULL),
	CONSTRAINT "tool_calls_owner_shape" CHECK (("tool_calls"."owner_kind" = 'session' AND "tool_calls"."plan_id" IS NULL AND "tool_calls"."subtask_id" IS NULL)
        OR ("tool_calls"."owner_kind" = 'subtask' AND "tool_calls"."plan_id" IS NOT NULL AND "tool_calls"."subtask_id" IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leases" ADD CONSTRAINT "leases_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subtasks" ADD CONSTRAINT "subtasks_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_calls" ADD CONSTRAINT "tool_calls_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "approvals_tool_call_unique" ON "approvals" USING btree ("call_id") WHERE "approvals"."kind" = 'tool';--> statement-breakpoint
CREATE INDEX "approvals_status_expires_idx" ON "approvals" USING btree ("status","expires_at");--> statement-breakpoint
CREATE INDEX "approvals_session_idx" ON "approvals" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "decisions_at_idx" ON "decisions" USING btree ("at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "decisions_session_at_idx" ON "decisions" USING btree ("session_id","at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "decisions_kind_at_idx" ON "decisions" USING btree ("kind","at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "events_tx_id_idx" ON "events" USING btree ("tx","id");--> statement-breakpoint
CREATE INDEX "leases_expires_idx" ON "leases" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_session_idempotency_key_unique" ON "messages" USING btree ("session_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "messages_session_subtask_ordinal_idx" ON "messages" USING btree ("session_id","subtask_id","ordinal");--> statement-breakpoint
CREATE UNIQUE INDEX "plans_one_active_per_session" ON "plans" USING btree ("session_id") WHERE "plans"."status" IN ('awaiting_approval', 'in_progress');--> statement-breakpoint
CREATE INDEX "plans_session_created_idx" ON "plans" USING btree ("session_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "subtasks_one_running_per_plan" ON "subtasks" USING btree ("plan_id") WHERE "subtasks"."status" = 'running';--> statement-breakpoint
CREATE INDEX "sessions_activity_idx" ON "sessions" USING btree ("last_activity_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "sessions_status_activity_idx" ON "sessions" USING btree ("run_status","last_activity_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "sessions_client_activity_idx" ON "sessions" USING btree ("client_id","last_activity_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "tool_calls_session_step_idx" ON "tool_calls" USING btree ("session_id","step_id");