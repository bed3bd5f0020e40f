// The Worker of the restart test (restart/wrangler.restart.toml): the real Worker's assembly with the
// test fixtures registered too, for the slow template whose steps the test catches mid-run.
import { createWorker } from "../../../src/create-worker";
import { handlerModules, templates } from "../../../src/generated/registry";
import * as fixtures from "../../generated/fixture-registry";

export { FleetWriter } from "../../../durable-objects/fleet-writer";
export { TaskObject } from "../../../durable-objects/task-object";

export default createWorker({
	handlerModules: [...handlerModules, ...fixtures.handlerModules],
	templates: [...templates, ...fixtures.templates],
});
