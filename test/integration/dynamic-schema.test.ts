// Dynamic workflows in a real Durable Object (SQLite storage): a decision creates its branches in the
// object, and an object created before dynamic steps existed gets their columns once, when it is next loaded.
// So does an object of schema 8, whose edges were a table of their own: they move into their parents' rows.
// (Schema 10's move of the marks into the task row: task-row-marks.test.ts.)
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SqliteTaskStore } from "../../durable-objects/sqlite-task-store";
import { SCHEMA_VERSION } from "../../durable-objects/task-schema";
import { createTask } from "../../src/core/create-task";
import type { StepRecord } from "../../src/core/task-records";
import { edgesInTheirOwnTable, marksInMetaRows } from "../support/older-task-schemas";
import { inStoreTransaction } from "../support/store-transaction";
import { createInput, dagTemplate, numberedIds } from "../support/template-builders";
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
			// Back to what schema 5 wrote: no extras (schema 6), no dynamic columns (schema 7), no handler_wait (8),
			// the edges in their own table (9), the marks in meta rows (10).
			edgesInTheirOwnTable(sql);
			for (const column of ["extras", ...NEW_COLUMNS]) sql.exec(`ALTER TABLE step DROP COLUMN ${column}`);
			marksInMetaRows(sql, 5);
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
		expect(columns.columns).toEqual(expect.arrayContaining(["extras", ...NEW_COLUMNS, "children"]));
		expect(columns.steps).toEqual(Object.values(before).map((s) => [s.name, "complete", null]));
	});
});

describe("an object of schema 8, its edges in a table of their own", () => {
	const NOW = 1_700_000_000_000;
	const RESULT_META = { execution_time_ms: 1, attempt: 1, custom: {} };

	it("moves them into the parents' rows on its next load: children, inputs and new branches as before", async () => {
		const stub = env.TASKS.get(env.TASKS.newUniqueId());
		const seen = await runInDurableObject(stub, (_instance, state) => {
			const sql = state.storage.sql;
			const store = new SqliteTaskStore(sql);
			// a → (b, c) → d, a with its result.
			inStoreTransaction(state, store, () => {
				createTask(
					store,
					createInput(
						"00000000-0000-4000-8000-0000000000e9",
						dagTemplate({ a: [], b: ["a"], c: ["a"], d: ["b", "c"] }),
					),
					NOW,
					numberedIds("s-"),
					5_000,
				);
				const a = store.getStep("s-0") as StepRecord;
				store.saveStep({ ...a, state: "complete", result: { result: { ok: 1 }, metadata: RESULT_META } });
			});
			edgesInTheirOwnTable(sql);
			marksInMetaRows(sql, 8);

			const migrated = new SqliteTaskStore(sql);
			const children = (idx: number) => migrated.childrenOf(idx).map((s) => s.name);
			const before = { a: children(0), b: children(1), d: children(3) };
			// A branch added to an existing parent (as a decision's are) joins its list: read from its row,
			// since nothing has rebuilt the graph yet.
			inStoreTransaction(state, migrated, () => {
				const d = migrated.getStep("s-3") as StepRecord;
				migrated.insertSteps([{ ...d, idx: 4, stepUuid: "s-4", name: "e" }], [[1, 4]]);
			});
			// The graph rebuilt from the lists.
			const inputs = migrated.ancestorResults(3);
			const reread = new SqliteTaskStore(sql);
			return {
				version: migrated.getMeta("schema_version"),
				edgeTable: sql.exec("SELECT name FROM sqlite_master WHERE name = 'edge'").toArray(),
				before,
				inputs,
				afterBranch: reread.childrenOf(1).map((s) => s.name),
				stored: sql
					.exec("SELECT idx, children FROM step ORDER BY idx")
					.toArray()
					.map((r) => [r.idx, r.children]),
			};
		});
		expect(seen.version).toBe(SCHEMA_VERSION);
		expect(seen.edgeTable).toEqual([]);
		expect(seen.before).toEqual({ a: ["b", "c"], b: ["d"], d: [] });
		expect(seen.inputs).toEqual({ a: { ok: 1 } });
		expect(seen.afterBranch).toEqual(["d", "e"]);
		expect(seen.stored).toEqual([
			[0, "[1,2]"],
			[1, "[3,4]"],
			[2, "[3]"],
			[3, null],
			[4, null],
		]);
	});
});
