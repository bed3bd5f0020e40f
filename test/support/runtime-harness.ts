// The task runtime on a memory store with hand-driven ports, for the runtime's own unit tests: a manual
// clock, a recorded platform alarm, and queues whose sends the test lets succeed or fail.
import type { StepMessage } from "../../src/core/step-message";
import type { QueueSender } from "../../src/runtime/runtime-ports";
import { TaskRuntime } from "../../src/runtime/task-runtime";
import type { TaskTemplate } from "../../src/templates/task-template";
import { MemoryTaskStore } from "./memory-task-store";
import { dagTemplate } from "./template-builders";

export class RuntimeHarness {
	readonly store = new MemoryTaskStore();
	now = 1_700_000_000_000;
	/** The platform alarm as the runtime last set it (null: none). */
	platformAlarm: number | null = null;
	/** Every batch the queue accepted. */
	readonly sent: StepMessage[][] = [];
	/** What the store held (owed dispatches, the alarm mirror) at the moment each send began. */
	readonly atSend: Array<{ owed: string[]; alarmAt: unknown }> = [];
	failSends = false;
	runtime: TaskRuntime;
	private ids = 0;

	constructor() {
		this.runtime = this.start();
	}

	/** The object restarts: a new runtime over the same storage (nothing in memory survives). */
	restart(): void {
		this.runtime = this.start();
	}

	private start(): TaskRuntime {
		const queue: QueueSender = {
			sendBatch: async (messages) => {
				this.atSend.push({
					owed: this.store
						.listSteps()
						.filter((s) => s.dispatchDueAt !== null)
						.map((s) => s.name),
					alarmAt: this.store.getMeta("alarm_at"),
				});
				if (this.failSends) throw new Error("queue unavailable");
				this.sent.push(messages.map((m) => m.body as StepMessage));
			},
		};
		return new TaskRuntime({
			store: this.store,
			atomically: (operation) => {
				const rollback = this.store.snapshot();
				try {
					return operation();
				} catch (error) {
					rollback();
					throw error;
				}
			},
			alarm: {
				set: (at) => {
					this.platformAlarm = at;
				},
				delete: () => {
					this.platformAlarm = null;
				},
			},
			queueFor: () => queue,
			domainEventQueue: () => undefined,
			checkRouting: () => {},
			now: () => this.now,
			random: () => 0.5,
			newId: () => `00000000-0000-4000-8000-${String(++this.ids).padStart(12, "0")}`,
			syncFleet: () => {},
			broadcast: () => {},
		});
	}

	create(shape: Record<string, string[]>) {
		return this.createFrom(dagTemplate(shape, { maxAttempts: 1 }));
	}

	createFrom(template: TaskTemplate) {
		return this.runtime.create({
			taskUuid: "00000000-0000-4000-8000-ffffffffffff",
			template,
			context: {},
			initiator: "test",
			sourceSystem: "unit",
			reason: "runtime",
			tags: [],
			priority: 0,
			correlationId: "corr",
			parentCorrelationId: null,
		});
	}

	step(name: string) {
		return this.store.stepNamed(name);
	}
}
