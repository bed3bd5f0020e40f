// Waiting steps in a template: `type: wait_for_event` with `event: {name, timeout_seconds, match?,
// on_timeout?}`, and `type: sleep` with `sleep: {seconds}` or `sleep: {until}`. Before the template's
// schema sees them, each becomes an ordinary step whose handler is a reserved name and whose
// initialization is its normalised wait (src/core/wait-spec.ts): the rest of the template pipeline,
// the step rows and their views stay as they are, and no handler is ever looked up for them.
import { z } from "zod";
import {
	EVENT_NAME_PATTERN,
	type EventWait,
	MATCH_PATH_PATTERN,
	MAX_MATCH_PATH_LENGTH,
	ON_TIMEOUT,
	SLEEP_CALLABLE,
	type SleepWait,
	WAIT_FOR_EVENT_CALLABLE,
} from "../core/wait-spec";
import { MAX_EVENT_NAME_LENGTH, MAX_WAIT_SECONDS_LIMIT } from "../limits";
import { closestName } from "../validation/closest-name";
import {
	expecting,
	formatPath,
	intInRange,
	patternedName,
	strictObject,
	stringOfLength,
} from "../validation/field-schemas";
import { STEP_TYPES } from "./step-types";

export const WAIT_STEP_TYPES = ["wait_for_event", "sleep"] as const;

export const eventNameSchema = () =>
	patternedName(EVENT_NAME_PATTERN, MAX_EVENT_NAME_LENGTH, "an event name such as payment_confirmed");

const eventSchema = strictObject(
	{
		name: eventNameSchema(),
		timeout_seconds: intInRange(1, MAX_WAIT_SECONDS_LIMIT),
		match: patternedName(MATCH_PATH_PATTERN, MAX_MATCH_PATH_LENGTH, "a dot path such as order_id").optional(),
		on_timeout: z.enum(ON_TIMEOUT, { error: expecting(`one of ${ON_TIMEOUT.join(", ")}`) }).default("fail"),
	},
	"a mapping such as {name: payment_confirmed, timeout_seconds: 3600}",
);

const sleepSchema = strictObject(
	{
		seconds: intInRange(0, MAX_WAIT_SECONDS_LIMIT).optional(),
		until: stringOfLength(1, 300, "a dot path such as context.remind_at or a_step.wake_at").optional(),
	},
	"a mapping with seconds (a number) or until (context.<path> or <dependency>.<path>)",
).refine((sleep) => (sleep.seconds === undefined) !== (sleep.until === undefined), {
	error: "expected exactly one of seconds or until",
});

/** Keys a waiting step may have besides `type` and its `event` or `sleep` block. */
const ALLOWED_KEYS = new Set(["name", "description", "dependencies", "depends_on", "retry"]);

export interface WaitProblem {
	path: string;
	message: string;
}

/**
 * The template with each waiting step rewritten as a step of a reserved handler, or the problems of
 * its waiting steps. Anything that is not a template with a list of steps is returned as it is, for
 * the schema to describe.
 */
export function desugarWaitSteps(input: unknown): { value: unknown; problems: WaitProblem[] } {
	if (!isMapping(input) || !Array.isArray(input.steps)) return { value: input, problems: [] };
	const problems: WaitProblem[] = [];
	const steps = input.steps.map((step: unknown, i: number) => {
		if (!isMapping(step)) return step;
		// Checked here, where every type is known: the schema after this knows only the types that remain
		// once waits are rewritten, and a misspelt wait type would draw errors about its wait's keys too.
		const unknownType = unknownStepType(step);
		if (unknownType !== null) {
			problems.push({ path: `steps[${i}].${unknownType.key}`, message: unknownType.message });
			return step;
		}
		// `step_type` is the reference's alias of `type`, for waits too.
		const typeKey = step.type !== undefined ? "type" : "step_type";
		const type = step[typeKey];
		if (type !== "wait_for_event" && type !== "sleep") return step;
		const at = (key: string) => `steps[${i}].${key}`;
		const block = type === "wait_for_event" ? "event" : "sleep";
		for (const key of Object.keys(step)) {
			if (key === typeKey || key === block || ALLOWED_KEYS.has(key)) continue;
			const why =
				key === "handler"
					? `a ${type} step has no handler (nothing runs it: it waits)`
					: key === "timeout_seconds" && type === "wait_for_event"
						? "a wait_for_event step's timeout is event.timeout_seconds"
						: `unknown key for a ${type} step (expected one of: ${[...ALLOWED_KEYS, "type", block].join(", ")})`;
			problems.push({ path: at(key), message: why });
		}
		const { [typeKey]: _type, [block]: raw, ...rest } = step;
		const parsed = (type === "wait_for_event" ? eventSchema : sleepSchema).safeParse(raw);
		if (!parsed.success) {
			for (const issue of parsed.error.issues) {
				const path = formatPath([block, ...issue.path]);
				problems.push({ path: at(path), message: issue.message });
			}
			return step;
		}
		if (type === "wait_for_event") {
			const event = parsed.data as z.output<typeof eventSchema>;
			const wait: EventWait = {
				kind: "event",
				name: event.name,
				timeoutSeconds: event.timeout_seconds,
				match: event.match ?? null,
				onTimeout: event.on_timeout,
			};
			return { ...rest, handler: { callable: WAIT_FOR_EVENT_CALLABLE, initialization: wait } };
		}
		const sleep = parsed.data as z.output<typeof sleepSchema>;
		if (sleep.until !== undefined) {
			const head = sleep.until.split(".")[0] ?? "";
			const dependencies = [
				...(Array.isArray(step.dependencies) ? step.dependencies : []),
				...(Array.isArray(step.depends_on) ? step.depends_on : []),
			];
			if (head !== "context" && !dependencies.includes(head)) {
				problems.push({
					path: at("sleep.until"),
					message: `must start with context or one of this step's dependencies, got ${JSON.stringify(sleep.until)}`,
				});
			}
		}
		const wait: SleepWait = { kind: "sleep", seconds: sleep.seconds ?? null, until: sleep.until ?? null };
		return { ...rest, handler: { callable: SLEEP_CALLABLE, initialization: wait } };
	});
	return { value: { ...input, steps }, problems };
}

function isMapping(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every step type a template may name: the reference's, and the waits this module rewrites. */
const ALL_STEP_TYPES: readonly string[] = [...STEP_TYPES, ...WAIT_STEP_TYPES];

/** A `type` (or `step_type`) that is no step type: the message names them all and the closest. */
function unknownStepType(step: Record<string, unknown>): { key: string; message: string } | null {
	for (const key of ["type", "step_type"]) {
		const value = step[key];
		if (typeof value !== "string" || ALL_STEP_TYPES.includes(value)) continue;
		const closest = closestName(value, ALL_STEP_TYPES);
		const hint = closest === null ? "" : ` (did you mean "${closest}"?)`;
		return {
			key,
			message: `expected one of: ${ALL_STEP_TYPES.join(", ")}, got ${JSON.stringify(value)}${hint}`,
		};
	}
	return null;
}
