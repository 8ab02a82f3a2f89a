// Every contract module, imported for its defineRoute() registrations (the OpenAPI document reads them).
// One line per module; keep sorted.
import "./agent-keys";
import "./agent-secrets";
import "./agents";
import "./auth";
import "./events";
import "./executions";
import "./health";
import "./inbox";
import "./invoke";
import "./jobs";
import "./not-found";
import "./openapi";
import "./reviews";
import "./services";
import "./stats";
import "./wallet";
