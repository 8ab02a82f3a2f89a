import "server-only";

// The backend-only face of the AgentCore client: domain verbs and types, never a raw SDK client.
export { AgentCoreClient } from "./client";
export type { AgentCoreClientOptions, AgentInvocationResponse, InvokeOptions, Transport } from "./client";
export { AgentCoreError, errorBody, toAgentCoreError } from "./errors";
export type { AgentCoreErrorKind } from "./errors";
export { isRuntimeArn, parseRuntimeArn } from "./arn";
export { generateSessionId, isValidSessionId } from "./session-id";
