// Turns a template (YAML text or parsed value) into a normalised `TaskTemplate`, or into every problem
// found, each with the path of the offending field, so that an author can fix them all in one pass.
import { isNode, isScalar, LineCounter, parseDocument, visit } from "yaml";
import type { z } from "zod";
import { longestRunMs } from "../core/lifecycle";
import { WAIT_CALLABLES } from "../core/wait-spec";
import { MAX_NESTING_DEPTH, MAX_YAML_ALIASES, STEP_DEADLINE_GRACE_MS } from "../limits";
import { formatPath } from "../validation/field-schemas";
import { nestingProblem } from "../validation/nesting";
import type { StepDefinition, TaskTemplate } from "./task-template";
import { type ParsedStep, type ParsedTemplate, templateSchema } from "./template-schema";
import { desugarWaitSteps } from "./wait-steps";

export interface TemplateProblem {
	/** Where, e.g. `steps[2].dependencies[0]`; `""` for the whole template. */
	path: string;
	message: string;
}

export interface ValidateTemplateOptions {
	/** When given, every `handler.callable` must be one of these (the registered `handlerName`s). */
	knownHandlers?: ReadonlySet<string>;
	/**
	 * Namespaces whose steps go to another Worker's queue (NAMESPACE_QUEUES): their handlers live in
	 * that Worker, so `knownHandlers` is not asked about them.
	 */
	routedNamespaces?: ReadonlySet<string>;
}

export type TemplateValidation =
	| { ok: true; template: TaskTemplate }
	| { ok: false; problems: TemplateProblem[] };
export type YamlParse = { ok: true; value: unknown } | { ok: false; problems: TemplateProblem[] };

export function validateTemplate(
	original: unknown,
	options: ValidateTemplateOptions = {},
): TemplateValidation {
	// Waiting steps (wait_for_event, sleep) become steps of a reserved handler first (wait-steps.ts).
	const waits = desugarWaitSteps(original);
	if (waits.problems.length > 0) return { ok: false, problems: waits.problems };
	const input = waits.value;
	const parsed = templateSchema.safeParse(input);
	if (!parsed.success) return { ok: false, problems: parsed.error.issues.map(issueToProblem) };
	const problems = semanticProblems(parsed.data, input, options);
	if (problems.length > 0) return { ok: false, problems };
	return { ok: true, template: normalise(parsed.data) };
}

export function parseTemplateYaml(text: string): YamlParse {
	const lineCounter = new LineCounter();
	// Duplicate keys are found below in one pass: the library's own check compares each key with every
	// earlier one, so a mapping of 50,000 keys would take minutes.
	const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, lineCounter });
	const where = (pos: number) => {
		const { line, col } = lineCounter.linePos(pos);
		return `line ${line}, column ${col}`;
	};
	const found: Array<{ pos: number; problem: TemplateProblem }> = doc.errors.map((error) => ({
		pos: error.pos[0],
		problem: {
			path: "",
			message:
				error.code === "RESOURCE_EXHAUSTION"
					? `YAML nested too deeply at ${where(error.pos[0])} (at most ${MAX_NESTING_DEPTH} levels are accepted)`
					: `YAML syntax error at ${where(error.pos[0])}: ${error.message}`,
		},
	}));
	let aliases = 0;
	visit(doc, {
		Alias: () => {
			aliases += 1;
		},
		Map: (_key, map) => {
			const seen = new Set<string>();
			for (const pair of map.items) {
				// Keys become object keys, strings: `1` and "1" are the same key once loaded.
				const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
				if (!seen.has(key)) {
					seen.add(key);
					continue;
				}
				const [pos, end] = isNode(pair.key) ? (pair.key.range ?? [0, 0]) : [0, 0];
				const source = text.slice(pos, Math.min(end, pos + 200)).trim();
				const quoted = /^["']/.test(source) ? source : JSON.stringify(source);
				found.push({
					pos,
					problem: {
						path: "",
						message: `duplicate key ${quoted} at ${where(pos)} (a key may appear once per mapping)`,
					},
				});
			}
		},
	});
	if (found.length > 0) {
		return { ok: false, problems: found.sort((a, b) => a.pos - b.pos).map((f) => f.problem) };
	}
	// Each alias is resolved against the whole document: many of them cost time quadratic in its size.
	if (aliases > MAX_YAML_ALIASES) {
		return {
			ok: false,
			problems: [
				{
					path: "",
					message: `${aliases} YAML aliases (*name); at most ${MAX_YAML_ALIASES} are accepted in a template`,
				},
			],
		};
	}
	let value: unknown;
	try {
		value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
	} catch (error) {
		// Unresolved aliases and alias bombs surface only when converting to plain values.
		return { ok: false, problems: [{ path: "", message: `YAML error: ${(error as Error).message}` }] };
	}
	// An alias inside its own anchor loads as a value that contains itself: no template is one.
	const nesting = nestingProblem(value, MAX_NESTING_DEPTH);
	if (nesting !== null) {
		const message =
			nesting.kind === "recursive"
				? "contains itself (a YAML alias inside its own anchor); a template must be plain data"
				: `nests more than ${MAX_NESTING_DEPTH} levels deep`;
		return { ok: false, problems: [{ path: formatPath(nesting.path), message }] };
	}
	return { ok: true, value };
}

export function validateTemplateText(
	text: string,
	options: ValidateTemplateOptions = {},
): TemplateValidation {
	const parsed = parseTemplateYaml(text);
	return parsed.ok ? validateTemplate(parsed.value, options) : parsed;
}

/** `file: path: message`, or `file: message` for a problem with the whole file. */
export function formatProblem(file: string, problem: TemplateProblem): string {
	return problem.path === "" ? `${file}: ${problem.message}` : `${file}: ${problem.path}: ${problem.message}`;
}

/** The candidate a typo most likely meant: same name in another case, a prefix/infix, or a small edit away. */
export function closestName(target: string, candidates: Iterable<string>): string | null {
	const wanted = target.toLowerCase();
	let best: string | null = null;
	let bestScore = Number.POSITIVE_INFINITY;
	for (const candidate of candidates) {
		const lower = candidate.toLowerCase();
		const distance = editDistance(wanted, lower);
		const shorter = Math.min(wanted.length, lower.length);
		const contains = shorter >= 3 && (lower.includes(wanted) || wanted.includes(lower));
		const near = distance <= Math.max(1, Math.floor(Math.max(wanted.length, lower.length) / 3));
		if ((contains || near) && distance < bestScore) {
			best = candidate;
			bestScore = distance;
		}
	}
	return best;
}

function didYouMean(target: string, candidates: Iterable<string>): string {
	const suggestion = closestName(target, candidates);
	return suggestion === null ? "" : ` (did you mean "${suggestion}"?)`;
}

/** Optimal-string-alignment distance: Levenshtein plus adjacent transpositions (the commonest typo). */
function editDistance(a: string, b: string): number {
	const rows: number[][] = [];
	for (let i = 0; i <= a.length; i++) {
		const row: number[] = [i];
		for (let j = 1; j <= b.length; j++) {
			if (i === 0) {
				row.push(j);
				continue;
			}
			const prev = rows[i - 1] as number[];
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				d = Math.min(d, ((rows[i - 2] as number[])[j - 2] as number) + 1);
			}
			row.push(d);
		}
		rows.push(row);
	}
	return (rows[a.length] as number[])[b.length] as number;
}

function issueToProblem(issue: z.core.$ZodIssue): TemplateProblem {
	return { path: formatPath(issue.path), message: issue.message };
}

function dependenciesOf(step: ParsedStep): { key: "dependencies" | "depends_on"; names: string[] } {
	if (step.depends_on !== undefined) return { key: "depends_on", names: step.depends_on };
	return { key: "dependencies", names: step.dependencies ?? [] };
}

function semanticProblems(
	template: ParsedTemplate,
	input: unknown,
	options: ValidateTemplateOptions,
): TemplateProblem[] {
	const problems: TemplateProblem[] = [];
	const firstIndex = new Map<string, number>();
	template.steps.forEach((step, i) => {
		const earlier = firstIndex.get(step.name);
		if (earlier === undefined) firstIndex.set(step.name, i);
		else
			problems.push({
				path: `steps[${i}].name`,
				message: `duplicate step name "${step.name}" (also steps[${earlier}])`,
			});
	});
	const stepNames = [...firstIndex.keys()];

	template.steps.forEach((step, i) => {
		const { key, names } = dependenciesOf(step);
		const seen = new Map<string, number>();
		names.forEach((dependency, j) => {
			const path = `steps[${i}].${key}[${j}]`;
			const earlier = seen.get(dependency);
			if (earlier !== undefined) {
				problems.push({ path, message: `"${dependency}" is listed twice (also ${key}[${earlier}])` });
				return;
			}
			seen.set(dependency, j);
			if (dependency === step.name) {
				problems.push({ path, message: `step "${step.name}" depends on itself` });
			} else if (!firstIndex.has(dependency)) {
				const others = stepNames.filter((n) => n !== step.name);
				problems.push({ path, message: `unknown step "${dependency}"${didYouMean(dependency, others)}` });
			}
		});

		const retry = step.retry;
		const backoffApplies = retry.retryable && retry.max_attempts > 1 && retry.backoff !== "none";
		if (backoffApplies && retry.max_backoff_ms < retry.backoff_base_ms) {
			const givenMax = readPath(input, ["steps", i, "retry", "max_backoff_ms"]) !== undefined;
			const givenBase = readPath(input, ["steps", i, "retry", "backoff_base_ms"]) !== undefined;
			problems.push({
				path: `steps[${i}].retry.max_backoff_ms`,
				message:
					`must be at least backoff_base_ms (${retry.backoff_base_ms}${givenBase ? "" : ", the default"}), ` +
					`got ${retry.max_backoff_ms}${givenMax ? "" : " (the default)"}`,
			});
		}

		const handlers = options.routedNamespaces?.has(template.namespace_name)
			? undefined
			: options.knownHandlers;
		if (
			handlers !== undefined &&
			!handlers.has(step.handler.callable) &&
			!WAIT_CALLABLES.has(step.handler.callable)
		) {
			problems.push({
				path: `steps[${i}].handler.callable`,
				message: `no registered handler "${step.handler.callable}"${didYouMean(step.handler.callable, handlers)}`,
			});
		}
	});

	problems.push(...lifecycleProblems(template));

	for (const cycle of findCycles(template.steps, firstIndex)) {
		problems.push({
			path: "steps",
			message: `dependency cycle: ${renderCycle(cycle)} (each step depends on the next)`,
		});
	}
	return problems;
}

/**
 * A threshold the template sets must leave room for what its own steps may legitimately take: a run
 * up to its timeout (plus the task object's grace), a wait up to its max backoff. A lifetime shorter
 * than the worst case is the author's deadline to set, and is not checked.
 */
function lifecycleProblems(template: ParsedTemplate): TemplateProblem[] {
	const lifecycle = template.lifecycle;
	if (!lifecycle) return [];
	const problems: TemplateProblem[] = [];
	const inProcess = lifecycle.max_steps_in_process_minutes;
	if (inProcess !== undefined) {
		const longest = maxBy(template.steps, (step) => longestRunMs({ timeoutSeconds: step.timeout_seconds }));
		if (longest && longest.value > inProcess * 60_000) {
			problems.push({
				path: "lifecycle.max_steps_in_process_minutes",
				message:
					`${inProcess} minute(s) is shorter than step "${longest.item.name}" may run (timeout_seconds ` +
					`${longest.item.timeout_seconds} plus ${STEP_DEADLINE_GRACE_MS / 1000} s of grace): ` +
					`expected at least ${Math.ceil(longest.value / 60_000)}`,
			});
		}
	}
	const retryWait = lifecycle.max_waiting_for_retry_minutes;
	if (retryWait !== undefined) {
		const retrying = template.steps.filter((s) => s.retry.retryable && s.retry.max_attempts > 1);
		const longest = maxBy(retrying, (step) => step.retry.max_backoff_ms);
		if (longest && longest.value > retryWait * 60_000) {
			problems.push({
				path: "lifecycle.max_waiting_for_retry_minutes",
				message:
					`${retryWait} minute(s) is shorter than step "${longest.item.name}" may wait for a retry ` +
					`(retry.max_backoff_ms ${longest.item.retry.max_backoff_ms}): expected at least ${Math.ceil(longest.value / 60_000)}`,
			});
		}
	}
	return problems;
}

function maxBy<T>(items: readonly T[], value: (item: T) => number): { item: T; value: number } | null {
	let best: { item: T; value: number } | null = null;
	for (const item of items) {
		const v = value(item);
		if (best === null || v > best.value) best = { item, value: v };
	}
	return best;
}

const MAX_CYCLE_NAMES_SHOWN = 12;

/** `a → b → c → a`; a very long cycle keeps its ends and says how many steps it leaves out. */
function renderCycle(cycle: readonly string[]): string {
	const closed = [...cycle, cycle[0] as string];
	if (closed.length <= MAX_CYCLE_NAMES_SHOWN) return closed.join(" → ");
	const head = closed.slice(0, MAX_CYCLE_NAMES_SHOWN - 4);
	const tail = closed.slice(-3);
	return [...head, `… (${closed.length - head.length - tail.length} more) …`, ...tail].join(" → ");
}

/**
 * One cycle per strongly connected component of the "depends on" graph, as step names, starting at the
 * component's earliest step. Iterative (Tarjan) so a 10,000-step chain cannot overflow the stack.
 * Self-dependencies and unknown names are reported elsewhere and skipped here.
 */
function findCycles(steps: readonly ParsedStep[], indexOf: ReadonlyMap<string, number>): string[][] {
	const n = steps.length;
	const edges: number[][] = steps.map((step, i) => {
		if (indexOf.get(step.name) !== i) return []; // a duplicate name: its first occurrence stands for it
		const targets = new Set<number>();
		for (const dependency of dependenciesOf(step).names) {
			const j = indexOf.get(dependency);
			if (j !== undefined && j !== i) targets.add(j);
		}
		return [...targets];
	});

	const index = new Array<number>(n).fill(-1);
	const low = new Array<number>(n).fill(0);
	const onStack = new Array<boolean>(n).fill(false);
	const stack: number[] = [];
	const components: number[][] = [];
	let counter = 0;

	for (let root = 0; root < n; root++) {
		if (index[root] !== -1) continue;
		const work: Array<{ node: number; next: number }> = [{ node: root, next: 0 }];
		index[root] = low[root] = counter++;
		stack.push(root);
		onStack[root] = true;
		while (work.length > 0) {
			const frame = work[work.length - 1] as { node: number; next: number };
			const out = edges[frame.node] as number[];
			if (frame.next < out.length) {
				const target = out[frame.next++] as number;
				if (index[target] === -1) {
					index[target] = low[target] = counter++;
					stack.push(target);
					onStack[target] = true;
					work.push({ node: target, next: 0 });
				} else if (onStack[target]) {
					low[frame.node] = Math.min(low[frame.node] as number, index[target] as number);
				}
				continue;
			}
			work.pop();
			const parent = work[work.length - 1];
			if (parent !== undefined)
				low[parent.node] = Math.min(low[parent.node] as number, low[frame.node] as number);
			if (low[frame.node] === index[frame.node]) {
				const component: number[] = [];
				let member: number;
				do {
					member = stack.pop() as number;
					onStack[member] = false;
					component.push(member);
				} while (member !== frame.node);
				if (component.length > 1) components.push(component);
			}
		}
	}

	return components
		.map((component) => shortestCycle(Math.min(...component), new Set(component), edges))
		.sort((a, b) => (a[0] as number) - (b[0] as number))
		.map((cycle) => cycle.map((i) => (steps[i] as ParsedStep).name));
}

/** Breadth-first from `start` back to itself inside one component: the shortest cycle through it. */
function shortestCycle(start: number, members: ReadonlySet<number>, edges: readonly number[][]): number[] {
	const previous = new Map<number, number>();
	const queue = [start];
	for (let head = 0; head < queue.length; head++) {
		const node = queue[head] as number;
		for (const target of edges[node] as number[]) {
			if (!members.has(target)) continue;
			if (target === start) {
				const cycle = [node];
				for (let at = node; at !== start; ) {
					at = previous.get(at) as number;
					cycle.push(at);
				}
				return cycle.reverse();
			}
			if (!previous.has(target)) {
				previous.set(target, node);
				queue.push(target);
			}
		}
	}
	return [start]; // unreachable for a strongly connected component of two or more steps
}

function readPath(value: unknown, path: ReadonlyArray<string | number>): unknown {
	let at = value;
	for (const key of path) {
		if (at === null || typeof at !== "object") return undefined;
		at = (at as Record<string | number, unknown>)[key];
	}
	return at;
}

function normalise(template: ParsedTemplate): TaskTemplate {
	return {
		name: template.name,
		namespace: template.namespace_name,
		version: template.version,
		description: template.description ?? null,
		identityStrategy: template.identity_strategy,
		// Only when the YAML has the block: a template without one reads as it always did (defaults apply).
		...(template.lifecycle
			? {
					lifecycle: {
						maxDurationMinutes: template.lifecycle.max_duration_minutes ?? null,
						maxWaitingForDependenciesMinutes: template.lifecycle.max_waiting_for_dependencies_minutes ?? null,
						maxWaitingForRetryMinutes: template.lifecycle.max_waiting_for_retry_minutes ?? null,
						maxStepsInProcessMinutes: template.lifecycle.max_steps_in_process_minutes ?? null,
						stalenessAction: template.lifecycle.staleness_action,
					},
				}
			: {}),
		steps: template.steps.map(
			(step): StepDefinition => ({
				name: step.name,
				description: step.description ?? null,
				callable: step.handler.callable,
				initialization: step.handler.initialization,
				dependencies: [...dependenciesOf(step).names],
				retry: {
					retryable: step.retry.retryable,
					maxAttempts: step.retry.max_attempts,
					backoff: step.retry.backoff,
					backoffBaseMs: step.retry.backoff_base_ms,
					maxBackoffMs: step.retry.max_backoff_ms,
				},
				timeoutSeconds: step.timeout_seconds,
			}),
		),
	};
}
