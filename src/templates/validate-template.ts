// Turns a template (YAML text or parsed value) into a normalised `TaskTemplate`, or into every problem
// found, each with the path of the offending field, so that an author can fix them all in one pass.

import { isNode, isScalar, LineCounter, parseDocument, visit } from "yaml";
import type { z } from "zod";
import { WAIT_CALLABLES } from "../core/wait-spec";
import { MAX_NESTING_DEPTH, MAX_YAML_ALIASES, STEP_DEADLINE_GRACE_MS, stepRunBudgetMs } from "../limits";
import { parseCron } from "../schedules/cron-spec";
import { closestName } from "../validation/closest-name";
import { formatPath } from "../validation/field-schemas";
import { compileSchema } from "../validation/json-schema";
import { storableValueProblem } from "../validation/storable-value";
import { dynamicStepFields, dynamicStepProblems } from "./dynamic-step-problems";
import { jsonSchemaProblems } from "./json-schema-check";
import { ALL_STEPS, resolveForEnvironment } from "./resolve-environment";
import {
	type EventDeclaration,
	HANDLER_RESOLVERS,
	type HandlerResolver,
	type RetryPolicy,
	type StepDefinition,
	type StepOverride,
	type TaskTemplate,
} from "./task-template";
import { normaliseSchedule } from "./template-schedules";
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
	/**
	 * Whether the handler registered as `callable` has a method `method`: true/false when its class is
	 * known, undefined when it is not (a handler Worker elsewhere runs it).
	 */
	handlerHasMethod?: (callable: string, method: string) => boolean | undefined;
	/**
	 * When given, the template returned is resolved for this environment (TASKER_ENV); otherwise it is
	 * returned as written, with its `environments` kept for the Worker to resolve at start-up.
	 */
	environment?: string;
}

export { closestName } from "../validation/closest-name";

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
	const problems = semanticProblems(parsed.data, options);
	if (problems.length > 0) return { ok: false, problems };
	const template = normalise(parsed.data);
	const environmentProblems = Object.keys(template.environments ?? {}).flatMap((environment) =>
		lifecycleProblems(resolveForEnvironment(template, environment)).map((p) => ({
			path: p.path,
			message: `${p.message} (with the overrides of environment "${environment}")`,
		})),
	);
	if (environmentProblems.length > 0) return { ok: false, problems: environmentProblems };
	return {
		ok: true,
		template:
			options.environment === undefined ? template : resolveForEnvironment(template, options.environment),
	};
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
	const found: Array<{ pos: number; problem: TemplateProblem; tooDeep?: boolean }> = doc.errors.map(
		(error) => {
			// The parser's own depth limit, or its stack running out first (how deep it gets before that
			// depends on the stack already in use): the same problem either way.
			const tooDeep = error.code === "RESOURCE_EXHAUSTION" || /call stack/i.test(error.message);
			return {
				pos: error.pos[0],
				tooDeep,
				problem: {
					path: "",
					message: tooDeep
						? `YAML nested too deeply at ${where(error.pos[0])} (at most ${MAX_NESTING_DEPTH} levels are accepted)`
						: `YAML syntax error at ${where(error.pos[0])}: ${error.message}`,
				},
			};
		},
	);
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
		// The parser may report one mistake several times (at one place, or nesting at every level past the
		// limit): each is said once, the first place it was found.
		const said = new Set<string>();
		const problems: TemplateProblem[] = [];
		for (const { problem, tooDeep } of found.sort((a, b) => a.pos - b.pos)) {
			const key = tooDeep ? "too deep" : problem.message;
			if (said.has(key)) continue;
			said.add(key);
			problems.push(problem);
		}
		return { ok: false, problems };
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
	// An alias inside its own anchor loads as a value that contains itself: no template is one. Nor is
	// a value JSON cannot carry to the task (.inf, .nan, a "__proto__" key).
	const problem = storableValueProblem(value, MAX_NESTING_DEPTH);
	if (problem !== null) {
		const message = {
			recursive: "contains itself (a YAML alias inside its own anchor); a template must be plain data",
			too_deep: `nests more than ${MAX_NESTING_DEPTH} levels deep`,
			not_finite: "is not a finite number (.inf and .nan cannot be carried as JSON)",
			proto_key: 'the key "__proto__" is not accepted (JavaScript objects drop it)',
		}[problem.kind];
		return { ok: false, problems: [{ path: formatPath(problem.path), message }] };
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

function didYouMean(target: string, candidates: Iterable<string>): string {
	const suggestion = closestName(target, candidates);
	return suggestion === null ? "" : ` (did you mean "${suggestion}"?)`;
}

function issueToProblem(issue: z.core.$ZodIssue): TemplateProblem {
	return { path: formatPath(issue.path), message: issue.message };
}

function dependenciesOf(step: ParsedStep): { key: "dependencies" | "depends_on"; names: string[] } {
	if (step.depends_on != null) return { key: "depends_on", names: step.depends_on };
	return { key: "dependencies", names: step.dependencies ?? [] };
}

function semanticProblems(template: ParsedTemplate, options: ValidateTemplateOptions): TemplateProblem[] {
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
		problems.push(...handlerHintProblems(step, i, template.namespace_name, options));
		problems.push(...stepSchemaProblems(step, i));
	});

	problems.push(...templateSchemaProblems(template));
	problems.push(...scheduleProblems(template));
	problems.push(...overrideProblems(template, stepNames));
	// Checked on the template as written: each environment's overrides are checked once they apply.
	if (problems.length === 0) problems.push(...lifecycleProblems(normalise(template)));

	for (const cycle of findCycles(template.steps, firstIndex)) {
		problems.push({
			path: "steps",
			message: `dependency cycle: ${renderCycle(cycle)} (each step depends on the next)`,
		});
	}
	// Dynamic steps are checked on a sound graph only: unknown names and cycles are reported first.
	if (problems.length === 0) problems.push(...dynamicStepProblems(normalise(template).steps));
	return problems;
}

/** `handler.resolver` must name a resolver; `handler.method` must exist on the handler when its class is known here. */
function handlerHintProblems(
	step: ParsedStep,
	i: number,
	namespace: string,
	options: ValidateTemplateOptions,
): TemplateProblem[] {
	const problems: TemplateProblem[] = [];
	const { resolver, method } = step.handler;
	if (resolver != null && !(HANDLER_RESOLVERS as readonly string[]).includes(resolver)) {
		problems.push({
			path: `steps[${i}].handler.resolver`,
			message: `unknown resolver "${resolver}" (expected one of: ${HANDLER_RESOLVERS.join(", ")})${didYouMean(resolver, HANDLER_RESOLVERS)}`,
		});
	}
	if (method != null && method !== "call" && !options.routedNamespaces?.has(namespace)) {
		const known = options.handlerHasMethod?.(step.handler.callable, method);
		if (known === false) {
			problems.push({
				path: `steps[${i}].handler.method`,
				message: `handler "${step.handler.callable}" has no method "${method}" (handler.method names the method called instead of call)`,
			});
		}
	}
	return problems;
}

/** Each JSON Schema a step declares must be one. */
function stepSchemaProblems(step: ParsedStep, i: number): TemplateProblem[] {
	const problems: TemplateProblem[] = [];
	if (step.result_schema != null)
		problems.push(...jsonSchemaProblems(step.result_schema, ["steps", i, "result_schema"]));
	(step.publishes_events ?? []).forEach((event, j) => {
		if (event.schema != null) {
			problems.push(...jsonSchemaProblems(event.schema, ["steps", i, "publishes_events", j, "schema"]));
		}
	});
	return problems;
}

function templateSchemaProblems(template: ParsedTemplate): TemplateProblem[] {
	const problems: TemplateProblem[] = [];
	if (template.input_schema != null)
		problems.push(...jsonSchemaProblems(template.input_schema, ["input_schema"]));
	(template.domain_events ?? []).forEach((event, j) => {
		if (event.schema != null)
			problems.push(...jsonSchemaProblems(event.schema, ["domain_events", j, "schema"]));
	});
	return problems;
}

/** An override must name a step of the template (or ALL): one naming nothing would silently do nothing. */
function overrideProblems(template: ParsedTemplate, stepNames: readonly string[]): TemplateProblem[] {
	const problems: TemplateProblem[] = [];
	for (const [environment, override] of Object.entries(template.environments ?? {})) {
		(override?.steps ?? []).forEach((step, j) => {
			if (step.name === ALL_STEPS || stepNames.includes(step.name)) return;
			problems.push({
				path: `environments.${environment}.steps[${j}].name`,
				message: `unknown step "${step.name}" (expected a step of this template, or ${ALL_STEPS} for every step)${didYouMean(step.name, stepNames)}`,
			});
		});
	}
	return problems;
}

/**
 * A threshold the template sets must leave room for what its own steps may legitimately take: a run
 * up to its timeout (plus the task object's grace), a wait up to its max backoff. A lifetime shorter
 * than the worst case is the author's deadline to set, and is not checked.
 */
function lifecycleProblems(template: TaskTemplate): TemplateProblem[] {
	const lifecycle = template.lifecycle;
	if (!lifecycle) return [];
	const problems: TemplateProblem[] = [];
	const inProcess = lifecycle.maxStepsInProcessMinutes;
	if (inProcess !== null) {
		const longest = maxBy(template.steps, (step) => stepRunBudgetMs(step.timeoutSeconds));
		if (longest && longest.value > inProcess * 60_000) {
			problems.push({
				path: "lifecycle.max_steps_in_process_minutes",
				message:
					`${inProcess} minute(s) is shorter than step "${longest.item.name}" may run (timeout_seconds ` +
					`${longest.item.timeoutSeconds} plus ${STEP_DEADLINE_GRACE_MS / 1000} s of grace): ` +
					`expected at least ${Math.ceil(longest.value / 60_000)}`,
			});
		}
	}
	const retryWait = lifecycle.maxWaitingForRetryMinutes;
	if (retryWait !== null) {
		const retrying = template.steps.filter((s) => s.retry.retryable && s.retry.maxAttempts > 1);
		const longest = maxBy(retrying, (step) => step.retry.maxBackoffMs);
		if (longest && longest.value > retryWait * 60_000) {
			problems.push({
				path: "lifecycle.max_waiting_for_retry_minutes",
				message:
					`${retryWait} minute(s) is shorter than step "${longest.item.name}" may wait for a retry ` +
					`(retry.max_backoff_ms ${longest.item.retry.maxBackoffMs}): expected at least ${Math.ceil(longest.value / 60_000)}`,
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

type ParsedRetry = ParsedStep["retry"];

function normaliseRetry(retry: ParsedRetry): RetryPolicy {
	return {
		retryable: retry.retryable,
		// The reference reads max_attempts as any unsigned integer; 0 still runs the step once.
		maxAttempts: Math.max(1, retry.max_attempts),
		backoff: retry.backoff,
		backoffBaseMs: retry.backoff_base_ms,
		maxBackoffMs: retry.max_backoff_ms,
	};
}

function normaliseEvent(event: NonNullable<ParsedStep["publishes_events"]>[number]): EventDeclaration {
	return {
		name: event.name,
		description: event.description ?? null,
		condition: event.condition,
		schema: event.schema ?? null,
		deliveryMode: event.delivery_mode,
		publisher: event.publisher ?? null,
	};
}

/** The keys of the reference's wider format, each only when the YAML has it: a plain template normalises as before. */
function normaliseStep(step: ParsedStep): StepDefinition {
	const definition: StepDefinition = {
		name: step.name,
		description: step.description ?? null,
		callable: step.handler.callable,
		initialization: step.handler.initialization,
		dependencies: [...dependenciesOf(step).names],
		retry: normaliseRetry(step.retry),
		timeoutSeconds: step.timeout_seconds,
		...dynamicStepFields(step),
	};
	if (step.handler.method != null && step.handler.method !== "call") definition.method = step.handler.method;
	if (step.handler.resolver != null) definition.resolver = step.handler.resolver as HandlerResolver;
	if (step.result_schema != null) definition.resultSchema = step.result_schema;
	if (step.system_dependency != null) definition.systemDependency = step.system_dependency;
	if (step.publishes_events != null && step.publishes_events.length > 0) {
		definition.publishesEvents = step.publishes_events.map(normaliseEvent);
	}
	if (step.composition !== undefined && step.composition !== null) definition.composition = step.composition;
	return definition;
}

function normaliseEnvironments(
	environments: NonNullable<ParsedTemplate["environments"]>,
): Record<string, StepOverride[]> {
	return Object.fromEntries(
		Object.entries(environments).map(([name, override]) => [
			name,
			(override?.steps ?? []).map(
				(step): StepOverride => ({
					name: step.name,
					initialization: step.handler?.initialization ?? null,
					timeoutSeconds: step.timeout_seconds ?? null,
					retry: step.retry == null ? null : normaliseRetry(step.retry),
				}),
			),
		]),
	);
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
		steps: template.steps.map(normaliseStep),
		...(template.input_schema != null ? { inputSchema: template.input_schema } : {}),
		...(template.metadata != null ? { metadata: template.metadata } : {}),
		...(template.system_dependencies != null
			? {
					systemDependencies: {
						primary: template.system_dependencies.primary,
						secondary: template.system_dependencies.secondary ?? [],
					},
				}
			: {}),
		...(template.domain_events != null
			? {
					domainEvents: template.domain_events.map((e) => ({
						name: e.name,
						description: e.description ?? null,
						schema: e.schema ?? null,
					})),
				}
			: {}),
		...(template.environments != null ? { environments: normaliseEnvironments(template.environments) } : {}),
		...(template.schedules != null && template.schedules.length > 0
			? { schedules: template.schedules.map(normaliseSchedule) }
			: {}),
	};
}

/**
 * Each schedule's name is unique in its template, its cron parses in its time zone, and its context
 * matches the template's input_schema (else every run would be refused; a broken schema is reported
 * on its own).
 */
function scheduleProblems(template: ParsedTemplate): TemplateProblem[] {
	const problems: TemplateProblem[] = [];
	const seen = new Set<string>();
	const schema = template.input_schema;
	const checkable = schema != null && jsonSchemaProblems(schema, ["input_schema"]).length === 0;
	(template.schedules ?? []).forEach((schedule, i) => {
		if (seen.has(schedule.name)) {
			problems.push({ path: `schedules[${i}].name`, message: `duplicate schedule name "${schedule.name}"` });
		}
		seen.add(schedule.name);
		const cron = parseCron(schedule.cron, schedule.timezone);
		if (!cron.ok) problems.push({ path: `schedules[${i}].${cron.field}`, message: cron.reason });
		if (!checkable) return;
		for (const violation of compileSchema(schema, ["schedules", i, "context"])(schedule.context)) {
			problems.push({
				path: violation.path,
				message: `does not match the input_schema: ${violation.message} (${violation.rule})`,
			});
		}
	});
	return problems;
}
