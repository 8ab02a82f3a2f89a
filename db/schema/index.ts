export * from "./users";
export * from "./agents";
export * from "./services";
export * from "./jobs";
export * from "./messages";
export * from "./events";
export * from "./executions";
export * from "./invocations";
