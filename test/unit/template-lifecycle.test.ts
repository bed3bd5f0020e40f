// The template's `lifecycle` block: ranges and names as the reference, precise messages, and the
// checks that a threshold the template sets leaves room for what its own steps may take.
import { describe, expect, it } from "vitest";
import { type TemplateProblem, validateTemplate } from "../../src/templates/validate-template";

type Json = Record<string, unknown>;

function template(lifecycle: unknown, steps: Json[] = [{ name: "a", handler: { callable: "H" } }]): Json {
	return { name: "t", namespace_name: "default", version: "1.0.0", lifecycle, steps };
}

function problemsOf(input: unknown): TemplateProblem[] {
	const result = validateTemplate(input);
	if (result.ok) throw new Error("expected problems, the template is valid");
	return result.problems;
}

describe("lifecycle", () => {
	it("is normalised, thresholds left out are null (the defaults apply) and the action defaults to dlq", () => {
		const result = validateTemplate(template({ max_duration_minutes: 60 }));
		if (!result.ok) throw new Error(JSON.stringify(result.problems));
		expect(result.template.lifecycle).toEqual({
			maxDurationMinutes: 60,
			maxWaitingForDependenciesMinutes: null,
			maxWaitingForRetryMinutes: null,
			maxStepsInProcessMinutes: null,
			stalenessAction: "dlq",
		});
		const without = validateTemplate(template(undefined));
		expect(without.ok && without.template).not.toHaveProperty("lifecycle");
	});

	it("names each field out of range, with its range", () => {
		expect(
			problemsOf(
				template({
					max_duration_minutes: 43_201,
					max_waiting_for_dependencies_minutes: 0,
					max_waiting_for_retry_minutes: 1.5,
					max_steps_in_process_minutes: "30",
					staleness_action: "retry",
				}),
			),
		).toEqual([
			{ path: "lifecycle.max_duration_minutes", message: "expected an integer from 1 to 43200, got 43201" },
			{
				path: "lifecycle.max_waiting_for_dependencies_minutes",
				message: "expected an integer from 1 to 10080, got 0",
			},
			{
				path: "lifecycle.max_waiting_for_retry_minutes",
				message: "expected an integer from 1 to 10080, got 1.5",
			},
			{
				path: "lifecycle.max_steps_in_process_minutes",
				message: 'expected an integer from 1 to 10080, got "30"',
			},
			{ path: "lifecycle.staleness_action", message: 'expected one of: dlq, error, none, got "retry"' },
		]);
	});

	it("accepts the reference's auto_fail_on_timeout / auto_dlq_on_timeout flags, and names the key a typo meant", () => {
		expect(validateTemplate(template({ auto_dlq_on_timeout: true, auto_fail_on_timeout: false })).ok).toBe(
			true,
		);
		const [problem] = problemsOf(template({ auto_dlq_on_timout: true }));
		expect(problem?.path).toBe("lifecycle");
		expect(problem?.message).toContain('unknown key "auto_dlq_on_timout"');
		expect(problem?.message).toContain('did you mean "auto_dlq_on_timeout"?');
		expect(problemsOf(template("soon"))[0]?.message).toContain("expected a mapping of lifecycle thresholds");
	});

	it("refuses an in-process threshold shorter than a step may run, and a retry wait shorter than its backoff", () => {
		const steps = [
			{ name: "quick", handler: { callable: "H" } },
			{
				name: "slow",
				handler: { callable: "H" },
				timeout_seconds: 3_600,
				retry: { max_backoff_ms: 600_000 },
			},
		];
		expect(
			problemsOf(template({ max_steps_in_process_minutes: 30, max_waiting_for_retry_minutes: 5 }, steps)),
		).toEqual([
			{
				path: "lifecycle.max_steps_in_process_minutes",
				message:
					'30 minute(s) is shorter than step "slow" may run (timeout_seconds 3600 plus 5 s of grace): expected at least 61',
			},
			{
				path: "lifecycle.max_waiting_for_retry_minutes",
				message:
					'5 minute(s) is shorter than step "slow" may wait for a retry (retry.max_backoff_ms 600000): expected at least 10',
			},
		]);
		expect(
			validateTemplate(
				template({ max_steps_in_process_minutes: 61, max_waiting_for_retry_minutes: 10 }, steps),
			).ok,
		).toBe(true);
	});
});
