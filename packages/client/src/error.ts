/** An answer other than success: the API's one error format, with the HTTP status. */
export class AgentMarketError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AgentMarketError";
  }
}
