// Every contract module, imported for its defineRoute() registrations (the OpenAPI document reads them).
// One line per module; keep sorted.
import "./a2a";
import "./agent-invocations";
import "./agent-keys";
import "./agent-listings";
import "./agent-secrets";
import "./agents";
import "./auth";
import "./deployment-actions";
import "./deployments";
import "./disputes";
import "./events";
import "./executions";
import "./execute";
import "./health";
import "./inbox";
import "./invoke";
import "./jobs";
import "./mcp";
import "./metrics";
import "./not-found";
import "./openapi";
import "./reviews";
import "./services";
import "./stats";
import "./versions";
import "./wallet";
