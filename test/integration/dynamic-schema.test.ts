// Dynamic workflows in a real Durable Object (SQLite storage): a decision creates its branches in the
// object, and an object created before dynamic steps existed gets their columns once, when it is next loaded.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SqliteTaskStore } from "../../durable-objects/sqlite-task-store";
import { SCHEMA_VERSION } from "../../durable-objects/task-schema";
import { rawStub, SEED_ORDER_CONTEXT, stepsByName, submitTask, waitForTask } from "./helpers";

// Schema 7's dynamic columns, and schema 8's handler_wait (a handler's step waiting for an event).
const NEW_COLUMNS = ["step_type", "template_name", "step_inputs", "checkpoint", "created_by", "handler_wait"];

describe("dynamic steps in the task object", () => {
	it("a decision's branches are created in the object, audited, and counted in the totals", async () => {
		const { task_uuid } = await submitTask(
			"approval_routing",
			{ amount: 2500, requester: "pool", purpose: "desks" },
			"conditional_approval",
		);
		await waitForTask(task_uuid, (task) =>
			expect(task).toMatchObject({ status: "complete", total_steps: 4 }),
		);
		const steps = await stepsByName(task_uuid);
		expect(Object.keys(steps).sort()).toEqual([
			"finalize_approval",
			"manager_approval",
			"routing_decision",
			"validate_request",
		]);
		expect(steps.manager_approval).toMatchObject({ step_type: "standard", created_by: "routing_decision" });
		expect(steps.finalize_approval).toMatchObject({
			step_type: "deferred_convergence",
			dependencies: ["manager_approval"],
		});
		expect(steps.routing_decision).toMatchObject({ step_type: "decision", created_by: null });
	});

	it("an object of schema 5 gets the extras and dynamic columns on its next load, and its static steps read as before", async () => {
		const { task_uuid } = await submitTask("order_processing", {
			...SEED_ORDER_CONTEXT,
			order_id: `ORD-MIGRATE-${Date.now()}`,
		});
		await waitForTask(task_uuid, (task) => expect(task.status).toBe("complete"));
		const before = await stepsByName(task_uuid);
		const columns = await runInDurableObject(rawStub(task_uuid), (_instance, state: DurableObjectState) => {
			const sql = state.storage.sql;
			// Back to what schema 5 wrote: no extras (schema 6), no dynamic columns (schema 7), no handler_wait (8).
			for (const column of ["extras", ...NEW_COLUMNS]) sql.exec(`ALTER TABLE step DROP COLUMN ${column}`);
			sql.exec("UPDATE meta SET value = 5 WHERE key = 'schema_version'");
			const store = new SqliteTaskStore(sql);
			const steps = store.listSteps();
			return {
				steps: steps.map((s) => [s.name, s.state, s.stepType ?? null]),
				version: store.getMeta("schema_version"),
				columns: sql
					.exec("SELECT name FROM pragma_table_info('step')")
					.toArray()
					.map((r) => String(r.name)),
			};
		});
		expect(columns.version).toBe(SCHEMA_VERSION);
		expect(columns.columns).toEqual(expect.arrayContaining(["extras", ...NEW_COLUMNS]));
		expect(columns.steps).toEqual(Object.values(before).map((s) => [s.name, "complete", null]));
	});
});
