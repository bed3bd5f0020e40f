// One Durable Object per schedule, driving itself by alarm: each alarm plans the due times since its
// cursor (catch-up policy), saves them as pending runs in the same transaction that moves the cursor,
// then submits each run's task through the same path as POST /v1/tasks, under an idempotency key made
// of the schedule id and the due time. Save, then send: a run saved but not yet submitted is submitted
// again by the next alarm, and the key makes that the same task, so a run fires exactly once however
// often the alarm fires.
import { DurableObject } from "cloudflare:workers";
import type { TaskState } from "../src/core/states";
import { isTerminalTaskState } from "../src/core/states";
import { submitTask } from "../src/http/submit-task";
import { SCHEDULE_NEXT_RUNS_SHOWN, SCHEDULE_RETRY_MS } from "../src/limits";
import { configureLogging, logEvent } from "../src/observability/log-event";
import { TemplateRegistry } from "../src/registry/template-registry";
import type { ScheduleChange, ScheduleReply } from "../src/schedule-object-stub";
import { checkSettings } from "../src/schedules/check-settings";
import { cronOf, nextDueTimes } from "../src/schedules/cron-spec";
import { planDueRuns } from "../src/schedules/plan-due-runs";
import { upsertScheduleIndex } from "../src/schedules/schedule-index";
import {
	type Overlap,
	runIdempotencyKey,
	type ScheduleDetailView,
	type ScheduleRecord,
	type ScheduleRun,
	type ScheduleRunView,
	type ScheduleSettings,
	type ScheduleView,
	toRunView,
	toScheduleView,
} from "../src/schedules/schedule-records";
import { taskObject } from "../src/task-object-stub";
import { contextMismatch } from "../src/templates/context-mismatch";
import type { TaskTemplate } from "../src/templates/task-template";
import { ScheduleStore } from "./schedule-store";

/**
 * One schedule. A Worker exports its own subclass (createScheduleObject) that says which templates the
 * schedule's runs are submitted against; the class itself serves none.
 */
export class ScheduleObject extends DurableObject<Env> {
	/** The templates this Worker serves: set by the subclass createScheduleObject makes. */
	static templates = new TemplateRegistry([]);

	private get templates(): TemplateRegistry {
		return (this.constructor as typeof ScheduleObject).templates;
	}

	private readonly store: ScheduleStore;
	/** Runs are submitted one at a time, in order: an alarm and a trigger never race on one run. */
	private draining: Promise<void> = Promise.resolve();

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		// TASKER_LOG_LEVEL: an object may run where no request of this Worker has set it.
		configureLogging(env);
		this.store = new ScheduleStore(ctx.storage.sql);
	}

	/** Creates the schedule once; a second create of the same id answers the existing one. */
	async create(scheduleId: string, settings: ScheduleSettings): Promise<ScheduleReply<ScheduleView>> {
		const existing = this.store.load();
		if (existing) return { kind: "applied", value: this.view(existing) };
		const problem = checkSettings(settings, this.templates);
		if (problem) return { kind: "invalid", problem };
		const now = Date.now();
		const record: ScheduleRecord = {
			...settings,
			scheduleId,
			// Nothing before its creation is due: the first run is the first due time after now.
			cursor: now,
			createdAt: now,
			updatedAt: now,
			revision: 1,
			runsStarted: 0,
			runsSkipped: 0,
			runsFailed: 0,
			runsMissed: 0,
		};
		this.store.save(record);
		await this.arm(record);
		logEvent("schedule.created", { schedule_id: scheduleId, cron: settings.cron });
		await this.syncIndex(record);
		return { kind: "applied", value: this.view(record) };
	}

	async read(): Promise<ScheduleDetailView | null> {
		const record = this.store.load();
		if (!record) return null;
		const next = record.paused
			? []
			: nextDueTimes(cronOf(record.cron, record.timezone), this.after(record), SCHEDULE_NEXT_RUNS_SHOWN);
		return {
			...this.view(record),
			next_runs: next.map((time) => new Date(time).toISOString()),
			last_runs: this.store.lastRuns(20).map(toRunView),
		};
	}

	/** Pauses, resumes or changes the schedule. A resumed or re-timed schedule starts from now: nothing missed meanwhile runs. */
	async change(change: ScheduleChange): Promise<ScheduleReply<ScheduleView>> {
		const current = this.store.load();
		if (!current) return { kind: "unknown_schedule" };
		const defined = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
		const next: ScheduleRecord = { ...current, ...defined };
		const problem = checkSettings(next, this.templates);
		if (problem) return { kind: "invalid", problem };
		const now = Date.now();
		const retimed =
			next.cron !== current.cron || next.timezone !== current.timezone || (current.paused && !next.paused);
		if (retimed) next.cursor = Math.max(current.cursor, now);
		next.updatedAt = now;
		next.revision = current.revision + 1;
		this.store.save(next);
		await this.arm(next);
		logEvent("schedule.changed", { schedule_id: next.scheduleId, change: Object.keys(defined) });
		await this.syncIndex(next);
		return { kind: "applied", value: this.view(next) };
	}

	/** Runs now (paused or not), under the schedule's overlap policy or the one given. */
	async trigger(overlap: Overlap | null): Promise<ScheduleReply<ScheduleRunView>> {
		const record = this.store.load();
		if (!record) return { kind: "unknown_schedule" };
		const { run } = this.store.addRun("triggered", Date.now(), overlap, Date.now());
		await this.drain();
		const settled = this.store.getRun(run.seq) ?? run;
		await this.syncIndex(this.store.load() ?? record);
		return { kind: "applied", value: toRunView(settled) };
	}

	/** Deletes the schedule: its alarm and storage go, its index row becomes a tombstone. Runs already started go on. */
	async remove(): Promise<ScheduleView | null> {
		const record = this.store.load();
		if (!record) return null;
		await this.ctx.storage.deleteAlarm();
		await this.ctx.storage.deleteAll();
		this.store.ensureSchema();
		const removed = { ...record, paused: true, revision: record.revision + 1, updatedAt: Date.now() };
		const view = toScheduleView(removed, null);
		await upsertScheduleIndex(this.env.TASK_INDEX, view, removed.revision, true);
		logEvent("schedule.deleted", { schedule_id: record.scheduleId });
		return view;
	}

	override async alarm(): Promise<void> {
		const record = this.store.load();
		if (!record || record.paused) return;
		// An alarm fires at or after its time; acting as of that time lets tests fire it early.
		const now = Math.max(Date.now(), this.store.alarmAt() ?? 0);
		const cron = cronOf(record.cron, record.timezone);
		const plan = planDueRuns(cron, record.cursor, now, record.catchUp);
		// One transaction: the runs owed and the cursor past them. A second firing plans nothing new.
		this.ctx.storage.transactionSync(() => {
			for (const dueAt of plan.fire) this.store.addRun("scheduled", dueAt, null, now);
			this.store.save({
				...record,
				cursor: plan.cursor,
				runsMissed: record.runsMissed + plan.missed,
				revision: record.revision + 1,
			});
		});
		if (plan.missed > 0) {
			logEvent("schedule.missed", {
				schedule_id: record.scheduleId,
				missed: plan.missed,
				catch_up: record.catchUp,
			});
		}
		try {
			await this.drain();
			await this.arm(this.store.load() ?? record);
		} catch (error) {
			// The runs still pending are submitted by the next alarm, under the same keys.
			logEvent("schedule.run_deferred", { schedule_id: record.scheduleId, error: String(error) });
			await this.setAlarm(Date.now() + SCHEDULE_RETRY_MS);
		}
		await this.syncIndex(this.store.load() ?? record).catch((error) =>
			logEvent("schedule.index_failed", { schedule_id: record.scheduleId, error: String(error) }),
		);
	}

	private drain(): Promise<void> {
		const next = this.draining.then(() => this.submitPending());
		// A failure is the caller's; the chain itself goes on for the next caller.
		this.draining = next.catch(() => undefined);
		return next;
	}

	private async submitPending(): Promise<void> {
		for (const run of this.store.pendingRuns()) await this.submitRun(run);
	}

	/** Applies the overlap policy, then submits the run's task (idempotently) and records the outcome. */
	private async submitRun(run: ScheduleRun): Promise<void> {
		const record = this.store.load();
		if (!record) return;
		const overlap = run.overlap ?? record.overlap;
		const previous = this.store.previousStarted(run.seq);
		if (previous?.taskUuid && overlap !== "allow") {
			const task = await taskObject(this.env, previous.taskUuid).getTask();
			if (task && !isTerminalTaskState(task.status as TaskState)) {
				if (overlap === "skip") {
					return this.settle(
						run,
						"skipped",
						null,
						`the previous run's task ${previous.taskUuid} is still ${task.status}`,
					);
				}
				await taskObject(this.env, previous.taskUuid).cancel(
					`cancelled by schedule ${record.scheduleId}: a newer run started (overlap cancel_previous)`,
				);
			}
		}
		const found = this.templates.find(record.namespace, record.name, record.version ?? undefined);
		if (!found.ok) return this.settle(run, "failed", null, found.message);
		// Checked when the schedule was saved, but a run takes the newest version unless one is pinned,
		// and a newer template may ask for more: POST /v1/tasks would refuse this context now.
		const mismatch = contextMismatch(found.template, record.context);
		if (mismatch !== null) return this.settle(run, "failed", null, mismatch);
		const due = new Date(run.dueAt).toISOString();
		const outcome = await submitTask(
			this.env,
			{
				template: found.template,
				context: record.context,
				initiator: `schedule:${record.scheduleId}`,
				sourceSystem: "tasker-schedule",
				reason: `${run.kind} run of schedule ${record.scheduleId} due ${due}`,
				tags: [`schedule:${record.scheduleId}`],
				priority: 0,
				correlationId: crypto.randomUUID(),
				parentCorrelationId: null,
			},
			runIdempotencyKey(record.scheduleId, run.kind, run.dueAt),
		);
		// A duplicate is this run's own task, submitted before a crash or by an earlier firing.
		logEvent("schedule.run_started", {
			schedule_id: record.scheduleId,
			due_at: due,
			task_uuid: outcome.taskUuid,
			already: outcome.kind === "duplicate",
		});
		return this.settle(run, "started", outcome.taskUuid, null);
	}

	private settle(
		run: ScheduleRun,
		state: "started" | "skipped" | "failed",
		taskUuid: string | null,
		detail: string | null,
	): void {
		this.ctx.storage.transactionSync(() => {
			const record = this.store.load();
			if (!record) return;
			const now = Date.now();
			this.store.settleRun(run.seq, state, taskUuid, detail, now);
			this.store.save({
				...record,
				runsStarted: record.runsStarted + (state === "started" ? 1 : 0),
				runsSkipped: record.runsSkipped + (state === "skipped" ? 1 : 0),
				runsFailed: record.runsFailed + (state === "failed" ? 1 : 0),
				revision: record.revision + 1,
			});
		});
		if (state !== "started")
			logEvent(`schedule.run_${state}`, {
				schedule_id: this.store.load()?.scheduleId,
				seq: run.seq,
				detail,
			});
	}

	/** The alarm at the next due time after the cursor (or now); none while paused. */
	private async arm(record: ScheduleRecord): Promise<void> {
		const [next] = record.paused
			? []
			: nextDueTimes(cronOf(record.cron, record.timezone), this.after(record), 1);
		await this.setAlarm(next ?? null);
	}

	private async setAlarm(at: number | null): Promise<void> {
		this.store.setAlarmAt(at);
		if (at === null) await this.ctx.storage.deleteAlarm();
		else await this.ctx.storage.setAlarm(at);
	}

	private after(record: ScheduleRecord): number {
		return Math.max(record.cursor, Date.now());
	}

	private view(record: ScheduleRecord): ScheduleView {
		const [next] = record.paused
			? []
			: nextDueTimes(cronOf(record.cron, record.timezone), this.after(record), 1);
		return toScheduleView(record, next ?? null);
	}

	private syncIndex(record: ScheduleRecord): Promise<void> {
		return upsertScheduleIndex(this.env.TASK_INDEX, this.view(record), record.revision, false);
	}
}

/** The schedule object class for a Worker serving these templates (each run looks its template up). */
export function createScheduleObject(templateList: readonly TaskTemplate[]): typeof ScheduleObject {
	return class extends ScheduleObject {
		static override templates = new TemplateRegistry(templateList);
	};
}
