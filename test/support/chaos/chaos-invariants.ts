// What must hold after every chaos run, whatever the faults: the task ended; each step's result was
// applied once; no step started before its dependencies completed; the transition log replays to the
// final state; and every message and run is accounted for (see `accountingIdentity`).
import { satisfiesDependents } from "../../../src/core/states";
import { emptyStepCounts } from "../../../src/core/task-status";
import { type Role, stepName } from "./chaos-scenario";
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
		const failedInBatch = (s.result?.result as { batch_failed?: boolean } | undefined)?.batch_failed === true;
		if (s.state === "complete" && failedInBatch) {
			// continue_on_failure: the worker completed with its failure; no success of it was applied.
			if (applied.length !== 0) violations.push(`${s.name} completed as failed yet a success was applied`);
		} else if (s.state === "complete") {
			if (applied.length !== 1)
				violations.push(`${s.name} complete with ${applied.length} successes applied`);
			const stored = s.result?.result as { step?: string; attempt?: number } | undefined;
			if (
				stored?.step !== s.name ||
				stored?.attempt !== s.result?.metadata.attempt ||
				JSON.stringify(applied[0]) !== JSON.stringify(stored)
			) {
				violations.push(`${s.name}: stored result ${JSON.stringify(s.result)} is not its applied attempt's`);
			}
		} else if (applied.length !== 0) violations.push(`${s.name} is ${s.state} yet a success was applied`);
	}

	// Dynamic scenarios: only chosen branches exist, and convergence sees exactly the created parents.
	violations.push(...checkDynamic(run));

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
			// A step created while the task runs logs its creation first.
			if (t === log[0] && t.fromState === null && t.toState === "pending") continue;
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
	// A step's first start (in_progress) comes after every parent's completion, in log order.
	for (const step of store.listSteps()) {
		const log = store.listTransitions(step.stepUuid);
		const firstStart = log.find((t) => t.toState === "in_progress")?.seq;
		if (firstStart === undefined) continue;
		for (const parentIdx of store.parents.get(step.idx) ?? []) {
			const parent = store.stepAt(parentIdx).name;
			const done = completedAt.get(parent);
			if (done === undefined || done > firstStart)
				violations.push(`${step.name} started (seq ${firstStart}) before ${parent} completed (${done})`);
		}
	}
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

/**
 * Dynamic scenarios: a step exists only if its decision chose it or a step before it in the same
 * segment exists (so no step outside a chosen branch ever runs); batch workers are exactly those the
 * analyzer asked for; a convergence step exists iff one of its declared dependencies does, and when it
 * ran it had seen every declared dependency that exists (no more, no fewer).
 */
function checkDynamic(run: ChaosRun): string[] {
	const roles = run.scenario.roles;
	if (!roles) return [];
	const violations: string[] = [];
	const { store, scenario } = run;
	const existing = new Set(store.listSteps().map((s) => s.name));
	const decisionOf = new Map<number, number>();
	roles.forEach((role, i) => {
		if (role.kind !== "decision") return;
		scenario.steps.forEach((spec, j) => {
			if (spec.deps.includes(i) && roles[j]?.kind !== "deferred") decisionOf.set(j, i);
		});
	});
	// Expected existence, in template order (parents come first).
	const expected = new Set<string>();
	const completeNamed = (i: number) =>
		store.listSteps().find((s) => s.name === stepName(i))?.state === "complete";
	scenario.steps.forEach((spec, i) => {
		const role = roles[i] as Role;
		const name = stepName(i);
		const decision = decisionOf.get(i);
		if (decision !== undefined) {
			const choice = roles[decision] as Extract<Role, { kind: "decision" }>;
			const chosen = completeNamed(decision) && choice.choose.includes(i);
			const follows = spec.deps.some(
				(d) => d !== decision && decisionOf.get(d) === decision && expected.has(stepName(d)),
			);
			if (chosen || follows) expected.add(name);
		} else if (role.kind === "batch_worker") {
			const analyzer = spec.deps[0] as number;
			const batchable = roles[analyzer] as Extract<Role, { kind: "batchable" }>;
			if (completeNamed(analyzer)) {
				const ids =
					batchable.workers === 0
						? ["000"]
						: Array.from({ length: batchable.workers }, (_, k) => String(k + 1));
				for (const id of ids) expected.add(`${name}_${id}`);
			}
		} else if (role.kind === "deferred") {
			const exists = (d: number) =>
				expected.has(stepName(d)) || [...expected].some((n) => n.startsWith(`${stepName(d)}_`));
			if (spec.deps.some(exists)) expected.add(name);
		} else if (
			spec.deps.every(
				(d) =>
					expected.has(stepName(d)) || (roles[d]?.kind === "standard" && decisionOf.get(d) === undefined),
			)
		) {
			expected.add(name);
		}
	});
	for (const name of existing)
		if (!expected.has(name)) violations.push(`${name} exists, but no choice or batch called for it`);
	if (!run.cancelled) {
		for (const name of expected)
			if (!existing.has(name)) violations.push(`${name} was called for but never created`);
	}
	// Convergence: what it saw when it ran = its declared dependencies that exist now.
	for (const [name, saw] of run.convergenceSaw) {
		const spec = scenario.steps[Number(name.slice(1))];
		const declared = (spec?.deps ?? []).map(stepName);
		const created = [...existing]
			.filter((n) => declared.includes(n) || declared.includes(n.split("_")[0] ?? ""))
			.sort();
		if (saw.join() !== created.join())
			violations.push(`${name} converged over [${saw}] but [${created}] exist`);
	}
	return violations;
}
