// The Worker under test: the real entry's registry plus the test fixtures (failing handlers and the
// templates that use them), which never ship in the real Worker.

import { createWorker } from "../../src/create-worker";
import { handlerModules, templates } from "../../src/generated/registry";
import * as fixtures from "../generated/fixture-registry";

export { IdentityObject } from "../../durable-objects/identity-object";
export { TaskObject } from "../../durable-objects/task-object";

export default createWorker({
	handlerModules: [...handlerModules, ...fixtures.handlerModules],
	templates: [...templates, ...fixtures.templates],
});
