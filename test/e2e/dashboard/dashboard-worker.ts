// The Worker of the dashboard's browser test (wrangler.dashboard.toml): the real Worker's assembly,
// with the fixture templates and handlers, and the seed order's handlers replaced by slowed ones.
import { createWorker } from "../../../src/create-worker";
import { handlerModules, templates } from "../../../src/generated/registry";
import * as fixtures from "../../generated/fixture-registry";
import * as slowOrder from "./slow-order-handlers";

export { FleetWriter } from "../../../durable-objects/fleet-writer";
export { TaskObject } from "../../../durable-objects/task-object";

export default createWorker({
	handlerModules: [
		...handlerModules.filter((module) => !module.path.includes("handlers/order/")),
		{ path: "test/e2e/dashboard/slow-order-handlers.ts", exports: slowOrder },
		...fixtures.handlerModules,
	],
	templates: [...templates, ...fixtures.templates],
});
