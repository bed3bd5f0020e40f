// On the real SQLite store: a chain run through hand-overs hands each step its parent's result only
// (inherits_inputs), the consumer's completed inputs equal a full walk of the ancestors, and a store
// started afresh (the object evicted) never takes an earlier store's token for current.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SqliteTaskStore } from "../../durable-objects/sqlite-task-store";
import { claimStep } from "../../src/core/claim-step";
import { createTask } from "../../src/core/create-task";
import { recordResults } from "../../src/core/record-results";
import { completeHandedInput, type StepRunInput } from "../../src/core/step-outcome";
import { success } from "../support/engine-driver";
import { inStoreTransaction } from "../support/store-transaction";
import { chainShape, createInput, dagTemplate, numberedIds } from "../support/template-builders";

const SEND_GRACE_MS = 5_000;
const LENGTH = 200;
const EVICT_AT = 120;

describe("inputs handed over on the SQLite store", () => {
	it(`a ${LENGTH}-step chain: one result per hand-over, full inputs once after an eviction`, async () => {
		const stub = env.TASKS.get(env.TASKS.newUniqueId());
		await runInDurableObject(stub, (_instance, state) => {
			let store = new SqliteTaskStore(state.storage.sql);
			let now = 1_700_000_000_000;
			const transact = <T>(operation: () => T): T => inStoreTransaction(state, store, operation);
			const created = transact(() =>
				createTask(
					store,
					createInput("00000000-0000-4000-8000-0000000000d0", dagTemplate(chainShape(LENGTH))),
					now,
					numberedIds("s-"),
					SEND_GRACE_MS,
				),
			);
			const [first] = created.effects.dispatches;
			if (!first) throw new Error("nothing dispatched");
			const claim = transact(() => claimStep(store, first.step_uuid, first.attempt, now));
			if (claim.kind !== "run") throw new Error("claim dropped");
			let current: StepRunInput = claim.input;
			const handedSizes: number[] = [];
			for (let depth = 0; depth < LENGTH - 1; depth++) {
				if (depth === EVICT_AT) store = new SqliteTaskStore(state.storage.sql);
				now += 5;
				const batch = transact(() =>
					recordResults(
						store,
						[
							{
								stepUuid: current.step_uuid,
								attempt: current.attempt,
								outcome: success({ depth }),
								takeNext: true,
								...(current.inputs_token !== undefined ? { inputsToken: current.inputs_token } : {}),
							},
						],
						{ now, random: () => 0.5, sendGraceMs: SEND_GRACE_MS },
					),
				);
				const reply = batch.outcomes[0];
				const handed = reply?.kind === "applied" ? reply.next[0] : undefined;
				if (!handed) throw new Error(`nothing handed over at depth ${depth}`);
				handedSizes.push(Object.keys(handed.dependency_results).length);
				current = completeHandedInput(handed, current);
				const idx = store.getStep(current.step_uuid)?.idx ?? -1;
				const walked = store.ancestorResults(idx);
				expect(current.dependency_results).toEqual(walked);
				// In the same order too: a handler may iterate them (getAllDependencyResults).
				expect(Object.keys(current.dependency_results)).toEqual(Object.keys(walked));
			}
			// Every hand-over carried one result but the one right after the eviction, which carried all.
			expect(handedSizes.filter((size) => size !== 1)).toEqual([EVICT_AT + 1]);
			expect(Object.keys(current.dependency_results)).toHaveLength(LENGTH - 1);
		});
	});
});
