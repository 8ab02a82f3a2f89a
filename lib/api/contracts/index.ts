// Every contract module, imported for its defineRoute() registrations (the OpenAPI document reads them).
// One line per module; keep sorted.
import "./health";
