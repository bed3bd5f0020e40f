// What must hold after every chaos run, whatever the faults: the task ended; each step's result was
// applied once; no step started before its dependencies completed; the transition log replays to the
// final state; and every message and run is accounted for (see `accountingIdentity`).
import { satisfiesDependents } from "../../../src/core/states";
import { emptyStepCounts } from "../../../src/core/task-status";
import { stepName } from "./chaos-scenario";
import type { ChaosRun } from "./simulated-platform";

export function checkInvariants(run: ChaosRun): string[] {
	const violations = [...run.violations];
	const { store, counts } = run;
	const task = store.loadTask();
	if (!task) return [...violations, "no task was created"];
	const steps = store.listSteps();

	// 1. Every task ends terminal, in the state its steps call for.
	const endings = run.cancelled ? ["cancelled"] : ["complete", "error"];
	if (!endings.includes(task.status))
		violations.push(`the task ended ${task.status}, not ${endings.join(" or ")}`);
	const allDone = steps.every((s) => satisfiesDependents(s.state));
	if (!run.cancelled && (task.status === "complete") !== allDone)
		violations.push(`task ${task.status} but all steps done = ${allDone}`);
	if (task.status === "error" && !steps.some((s) => s.state === "error"))
		violations.push("task in error with no step in error");
	for (const s of steps) {
		if (["enqueued", "in_progress"].includes(s.state))
			violations.push(`${s.name} still ${s.state} in a finished task`);
		if (s.dispatchDueAt !== null || s.deadlineAt !== null)
			violations.push(`${s.name} still owes a dispatch or has a deadline`);
	}
	if (task.pendingSends !== 0) violations.push(`pendingSends ${task.pendingSends} in a finished task`);

	// 2. Each step's result applied exactly once, and it is the one its handler returned.
	for (const s of steps) {
		const applied = run.successes.get(s.name) ?? [];
		if (s.state === "complete") {
			if (applied.length !== 1)
				violations.push(`${s.name} complete with ${applied.length} successes applied`);
			const expected = { step: s.name, attempt: s.result?.metadata.attempt };
			if (
				JSON.stringify(s.result?.result) !== JSON.stringify(expected) ||
				JSON.stringify(applied[0]) !== JSON.stringify(expected)
			) {
				violations.push(`${s.name}: stored result ${JSON.stringify(s.result)} is not its applied attempt's`);
			}
		} else if (applied.length !== 0) violations.push(`${s.name} is ${s.state} yet a success was applied`);
	}

	// 3 and 4. The transition log replays to the final state, and orders starts after dependencies.
	violations.push(...checkLog(run));

	// 5. The engine's counters agree with what the harness saw, and every delivery is accounted for.
	const stats = task.stats;
	const timedOut = run.started.size - run.appliedKeys.size - run.counts.cutByCancel;
	const expect = (name: string, engine: number, harness: number) => {
		if (engine !== harness) violations.push(`${name}: engine ${engine}, harness ${harness}`);
	};
	expect("resultsApplied", stats.resultsApplied, counts.applied);
	expect("resultsDropped", stats.resultsDropped, counts.resultDrops);
	expect("claimsDropped", stats.claimsDropped, counts.claimDrops);
	expect("timeouts", stats.timeouts, timedOut);
	const identity = accountingIdentity(run);
	expect("dropped (claims + results) vs surplus", identity.dropped, identity.surplus);
	return violations;
}

/**
 * Every drop has a counted cause. Per attempt: its copies (the first, plus duplicates, re-sends and
 * redeliveries) and hand-overs each end as one applied outcome, a drop, or a run that never
 * reported; an attempt with no applied outcome was timed out by the object, or cut by a cancel
 * (and an attempt sent but never started before a cancel has only drops). Summed:
 *
 *   claims dropped + results dropped
 *     = injected duplicates + engine re-sends + redeliveries after a run + timeouts
 *       + attempts cut or never started by a cancel − unreported runs − copies the queue lost
 *
 * With duplicates as the only fault (no timeouts, no lost runs), that is: dropped = duplicates.
 */
export function accountingIdentity(run: ChaosRun) {
	const c = run.counts;
	const timeouts = run.started.size - run.appliedKeys.size - c.cutByCancel;
	return {
		dropped: c.claimDrops + c.resultDrops,
		surplus:
			c.duplicates +
			c.resends +
			c.runRedeliveries +
			timeouts +
			c.cutByCancel +
			c.neverStarted -
			c.unreported -
			c.lost,
	};
}

function checkLog(run: ChaosRun): string[] {
	const violations: string[] = [];
	const { store } = run;
	const task = store.loadTask();
	if (!task) return violations;
	const tally = emptyStepCounts();
	const completedAt = new Map<string, number>();
	const all = store.transitions;
	const seqs = all.map((t) => t.seq);
	if (new Set(seqs).size !== seqs.length) violations.push("transition seq numbers repeat");
	if (Math.max(...seqs) !== task.transitionSeq)
		violations.push("the task's transitionSeq is not its last log entry");

	for (const step of store.listSteps()) {
		tally[step.state] += 1;
		const log = store.listTransitions(step.stepUuid).sort((a, b) => a.seq - b.seq);
		let state: string = "pending";
		let attempt = 0;
		for (const t of log) {
			if (t.fromState !== state)
				violations.push(`${step.name}: log goes ${t.fromState} → ${t.toState} but it was ${state}`);
			if ((t.attempt ?? 0) < attempt)
				violations.push(`${step.name}: attempt went back from ${attempt} to ${t.attempt}`);
			state = t.toState;
			attempt = t.attempt ?? attempt;
			if (t.toState === "complete") {
				if (completedAt.has(step.name)) violations.push(`${step.name} completed twice in the log`);
				completedAt.set(step.name, t.seq);
			}
		}
		if (state !== step.state) violations.push(`${step.name}: log ends ${state}, step is ${step.state}`);
		if (attempt !== step.attempt)
			violations.push(`${step.name}: log's last attempt ${attempt}, step's ${step.attempt}`);
	}
	// A step's first start (in_progress) comes after every dependency's completion, in log order.
	run.scenario.steps.forEach((spec, i) => {
		const log = store.listTransitions(run.store.stepNamed(stepName(i)).stepUuid);
		const firstStart = log.find((t) => t.toState === "in_progress")?.seq;
		if (firstStart === undefined) return;
		for (const dep of spec.deps) {
			const done = completedAt.get(stepName(dep));
			if (done === undefined || done > firstStart)
				violations.push(
					`${stepName(i)} started (seq ${firstStart}) before ${stepName(dep)} completed (${done})`,
				);
		}
	});
	for (const [state, n] of Object.entries(tally)) {
		if (task.counts[state as keyof typeof tally] !== n)
			violations.push(`task counts ${state}=${task.counts[state as keyof typeof tally]}, steps ${n}`);
	}
	const taskLog = store.listTransitions(null).sort((a, b) => a.seq - b.seq);
	let status: string | null = null;
	for (const t of taskLog) {
		if (t.fromState !== status)
			violations.push(`task log goes ${t.fromState} → ${t.toState} but it was ${status}`);
		status = t.toState;
	}
	if (status !== task.status) violations.push(`task log ends ${status}, task is ${task.status}`);
	return violations;
}
