import "server-only";
import {
  Role,
  TaskState,
  type AgentCard,
  type CancelTaskRequest,
  type DeleteTaskPushNotificationConfigRequest,
  type GetTaskPushNotificationConfigRequest,
  type ListTaskPushNotificationConfigsRequest,
  type ListTaskPushNotificationConfigsResponse,
  type GetTaskRequest,
  type ListTasksRequest,
  type ListTasksResponse,
  type Message,
  type SendMessageRequest,
  type StreamResponse,
  type SubscribeToTaskRequest,
  type Task,
  type TaskPushNotificationConfig,
} from "@a2a-js/sdk";
import { ExtendedAgentCardNotConfiguredError } from "@a2a-js/sdk/errors";
import type { A2ARequestHandler, ServerCallContext } from "@a2a-js/sdk/server";
import { randomUUID } from "node:crypto";
import { isUuid } from "@/lib/api/contract";
import { browseServicesQuery } from "@/lib/api/contracts/services";
import { ApiError } from "@/lib/api/errors";
import type { Principal } from "@/lib/auth/principal";
import { toCents } from "@/lib/ledger/money";
import { cancelJob, completeJob, hireJob, listJobs, requestRevision } from "@/lib/market/jobs";
import type { JobDetailJson } from "@/lib/market/job-serialize";
import { browseServices } from "@/lib/market/service-search";
import { getServiceJson } from "@/lib/market/services";
import { invalidParams, toRpcFailure, type RpcError, MarketRpcError } from "./errors";
import { invokeMessage, invokeStream } from "./invoke";
import { decisionOf, hireRequestOf, namedSkill, textOf } from "./message-input";
import { isFinalState, jobStatusesOf, jobToTask } from "./task-map";
import { checkPushParams, createPushConfig, deletePushConfig, getPushConfig, listPushConfigs } from "./push/store";
import { readTask } from "./task-read";
import { watchJob } from "./watch";

/** Which agent's endpoint a request came to (null: the marketplace's own, over every agent). */
export interface A2ATarget {
  agentId: string | null;
  card: () => Promise<AgentCard>;
  /** The only skill, when the agent has exactly one: a message that names none hires it. */
  soleSkillId?: () => Promise<string | undefined>;
  /** Whether the agent answers invocations from the caller: then a message naming no skill invokes it. */
  invocable?: (principal: Principal) => Promise<boolean>;
}

/**
 * The market behind the SDK's A2ARequestHandler, one instance per request (it holds the caller). Tasks are jobs
 * (task-map.ts); every method calls the domain verb its REST route calls. The SDK's transport handlers (v1.0
 * and v0.3 JSON-RPC) parse the request and serialize what these return.
 */
export class MarketA2AHandler implements A2ARequestHandler {
  /** The market error the last method threw, for the route to put back in the JSON-RPC answer (errors.ts). */
  failure: RpcError | null = null;

  constructor(
    private readonly principal: Principal,
    private readonly target: A2ATarget,
    private readonly signal: AbortSignal,
  ) {}

  private async guard<T>(run: () => Promise<T>, action?: "cancel"): Promise<T> {
    try {
      return await run();
    } catch (err) {
      const failure = toRpcFailure(err, action);
      if (failure instanceof MarketRpcError) this.failure = failure.rpc;
      throw failure;
    }
  }

  getAgentCard(): Promise<AgentCard> {
    return this.target.card();
  }

  async getAuthenticatedExtendedAgentCard(): Promise<AgentCard> {
    throw new ExtendedAgentCardNotConfiguredError();
  }

  /** The job as a task, 404 (TaskNotFound) unless the caller is a party and the job is this agent's. */
  private task(jobId: string): Promise<{ task: Task; job: JobDetailJson }> {
    return readTask(this.principal, jobId, this.target.agentId);
  }

  sendMessage(params: SendMessageRequest, context?: ServerCallContext): Promise<Message | Task> {
    return this.guard(() => this.send(params, context?.requestedVersion ?? "1.0"));
  }

  private async send(params: SendMessageRequest, version: string): Promise<Message | Task> {
    const message = params.message;
    if (!message) throw invalidParams("message is required");
    if (message.taskId) return this.followUp(message.taskId, message);
    if (await this.invoking(params)) {
      return invokeMessage(this.principal, this.target.agentId!, message, this.signal);
    }
    const hire = hireRequestOf(params, message);
    if (!this.target.agentId && hire.skillId === "search_services") return this.search(message);
    const skillId = hire.skillId ?? (await this.target.soleSkillId?.());
    if (!skillId) {
      throw invalidParams('Name the skill to hire in the message metadata: {"skill_id": "<id from the agent card>"}');
    }
    const service = isUuid(skillId)
      ? await getServiceJson(skillId).catch((err: unknown) => {
          if (err instanceof ApiError && err.status === 404) return null;
          throw err;
        })
      : null;
    if (!service || (this.target.agentId && service.agent_id !== this.target.agentId)) {
      throw invalidParams(`No skill ${skillId} here`, { skill_id: skillId });
    }
    // A push config given with the hire (configuration.taskPushNotificationConfig) is checked before the hire and
    // hears of the job from then on; "default" is its id unless it names one, so a retried message keeps one.
    const given = params.configuration?.taskPushNotificationConfig;
    const push = given?.url ? { ...given, id: given.id || "default" } : null;
    if (push) checkPushParams(push);
    const job = await hireJob(this.principal, {
      service_id: service.id,
      title: hire.title ?? service.name,
      input_data: hire.inputData,
      request_key: `a2a:${hire.messageId}`,
      ...(hire.maxPriceUsd === undefined ? {} : { max_price_cents: toCents(hire.maxPriceUsd) }),
    });
    if (push) await createPushConfig(this.principal, job.id, { ...push, taskId: job.id }, version);
    return (await this.task(job.id)).task;
  }

  /** A new message naming no skill, to an agent that answers invocations: an invocation, not a hire. */
  private async invoking(params: SendMessageRequest): Promise<boolean> {
    const m = params.message;
    if (!m || m.taskId || !this.target.agentId || !this.target.invocable || namedSkill(params)) return false;
    // A data part is a job's input: such a message still hires the agent's only service.
    if (m.parts.some((p) => p.content?.$case === "data")) return false;
    return this.target.invocable(this.principal);
  }

  /** A message on an existing task: the client's decision on a delivery. */
  private async followUp(taskId: string, message: Message): Promise<Task> {
    const { job } = await this.task(taskId);
    const decision = decisionOf(message);
    if (decision.decision === "accept") {
      const { decision: _, ...body } = decision;
      await completeJob(this.principal, job.id, body);
    } else {
      await requestRevision(this.principal, job.id, { reason: decision.reason });
    }
    return (await this.task(job.id)).task;
  }

  /** The marketplace's search skill: the message's text is the query, the answer a message with the services. */
  private async search(message: Message): Promise<Message> {
    const q = textOf(message).slice(0, 200) || undefined;
    const page = await browseServices(browseServicesQuery.parse({ ...(q ? { q } : {}), limit: "20" }));
    return {
      messageId: randomUUID(),
      contextId: message.contextId || randomUUID(),
      taskId: "",
      role: Role.ROLE_AGENT,
      parts: [
        { content: { $case: "data", value: page }, metadata: undefined, filename: "", mediaType: "application/json" },
      ],
      metadata: undefined,
      extensions: [],
      referenceTaskIds: [],
    };
  }

  async *sendMessageStream(
    params: SendMessageRequest,
    context?: ServerCallContext,
  ): AsyncGenerator<StreamResponse, void, undefined> {
    if (await this.guard(() => this.invoking(params))) {
      try {
        yield* invokeStream(this.principal, this.target.agentId!, params.message!, this.signal);
      } catch (err) {
        const failure = toRpcFailure(err);
        if (failure instanceof MarketRpcError) this.failure = failure.rpc;
        throw failure;
      }
      return;
    }
    const first = await this.sendMessage(params, context);
    if ("messageId" in first) {
      yield { payload: { $case: "message", value: first } };
      return;
    }
    // Until the task needs the client again (INPUT_REQUIRED) or ends.
    const interrupted = (t: Task) =>
      isFinalState(t.status!.state) || t.status!.state === TaskState.TASK_STATE_INPUT_REQUIRED;
    yield* this.watch(first, interrupted);
  }

  private async *watch(first: Task, done: (t: Task) => boolean): AsyncGenerator<StreamResponse, void, undefined> {
    const { job } = await this.guard(() => this.task(first.id));
    try {
      yield* watchJob({
        principal: this.principal,
        jobId: job.id,
        workerId: job.worker.id,
        read: async () => (await this.task(job.id)).task,
        done,
        signal: this.signal,
      });
    } catch (err) {
      throw toRpcFailure(err);
    }
  }

  getTask(params: GetTaskRequest): Promise<Task> {
    return this.guard(async () => (await this.task(params.id)).task);
  }

  listTasks(params: ListTasksRequest): Promise<ListTasksResponse> {
    return this.guard(() => this.list(params));
  }

  private async list(params: ListTasksRequest): Promise<ListTasksResponse> {
    const pageSize = Math.min(Math.max(params.pageSize ?? 50, 1), 100);
    // A task's context is its job: a context id names at most one task.
    if (params.contextId) {
      const one = await this.task(params.contextId).catch(() => null);
      return { tasks: one ? [one.task] : [], nextPageToken: "", pageSize, totalSize: one ? 1 : 0 };
    }
    const after = params.statusTimestampAfter ? new Date(params.statusTimestampAfter) : undefined;
    if (after && Number.isNaN(after.getTime()))
      throw invalidParams("statusTimestampAfter must be an ISO 8601 timestamp");
    const page = await listJobs(this.principal, {
      role: "client",
      limit: pageSize,
      ...(params.pageToken ? { cursor: params.pageToken } : {}),
      ...(params.status ? { statuses: jobStatusesOf(params.status) } : {}),
      ...(this.target.agentId ? { worker_id: this.target.agentId } : {}),
      ...(after ? { updated_after: after } : {}),
    });
    // Artifacts cost a read per task: only when asked for.
    const tasks = params.includeArtifacts
      ? await Promise.all(page.data.map(async (j) => (await this.task(j.id)).task))
      : page.data.map((j) => jobToTask(j, null));
    return { tasks, nextPageToken: page.next_cursor ?? "", pageSize, totalSize: page.total ?? tasks.length };
  }

  cancelTask(params: CancelTaskRequest): Promise<Task> {
    return this.guard(async () => {
      const { job } = await this.task(params.id);
      const reason: unknown = params.metadata?.reason;
      await cancelJob(this.principal, job.id, typeof reason === "string" ? { reason: reason.slice(0, 5_000) } : {});
      return (await this.task(job.id)).task;
    }, "cancel");
  }

  async *resubscribe(params: SubscribeToTaskRequest): AsyncGenerator<StreamResponse, void, undefined> {
    const { task } = await this.guard(() => this.task(params.id));
    yield* this.watch(task, (t) => isFinalState(t.status!.state));
  }

  // Push notification configs: the caller's own, on a task it may see (push/store.ts); delivered by push/dispatcher.ts.
  createTaskPushNotificationConfig(
    params: TaskPushNotificationConfig,
    context: ServerCallContext,
  ): Promise<TaskPushNotificationConfig> {
    return this.guard(async () => {
      const { job } = await this.task(params.taskId);
      return createPushConfig(this.principal, job.id, params, context.requestedVersion);
    });
  }

  getTaskPushNotificationConfig(params: GetTaskPushNotificationConfigRequest): Promise<TaskPushNotificationConfig> {
    return this.guard(async () => getPushConfig(this.principal, (await this.task(params.taskId)).job.id, params.id));
  }

  listTaskPushNotificationConfigs(
    params: ListTaskPushNotificationConfigsRequest,
  ): Promise<ListTaskPushNotificationConfigsResponse> {
    return this.guard(async () => {
      const { job } = await this.task(params.taskId);
      return listPushConfigs(this.principal, job.id, params.pageSize, params.pageToken);
    });
  }

  deleteTaskPushNotificationConfig(params: DeleteTaskPushNotificationConfigRequest): Promise<void> {
    return this.guard(async () => deletePushConfig(this.principal, (await this.task(params.taskId)).job.id, params.id));
  }
}
