// GET /v1/analytics/performance and /bottlenecks: the reference's analytics shapes, computed from the
// task index and the step executions the task objects push to D1 (never by visiting task objects).
// Rates in `performance` are percentages (0–100), as the reference's; a step's or template's
// `error_rate` is a fraction (0–1), as the reference's. Percentiles (ours) are in seconds.
import { createRoute, z } from "@hono/zod-openapi";
import { performanceFigures, slowest } from "../../analytics/analytics-store";
import { StepState, TaskState } from "../../core/states";
import { iso } from "../../core/task-views";
import { createRouter } from "../openapi-router";
import { integerValue, strictQuery } from "../query-params";
import { errorResponses, jsonResponse } from "../route-responses";

const tags = ["analytics"];
export const MAX_ANALYTICS_HOURS = 24 * 90;
const HOUR = 3_600_000;

const percentilesSchema = z
	.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() })
	.meta({ id: "DurationPercentiles", description: "Seconds; null when nothing was measured." });

export const performanceSchema = z
	.object({
		total_tasks: z.number().int(),
		active_tasks: z.number().int(),
		completed_tasks: z.number().int(),
		failed_tasks: z.number().int(),
		completion_rate: z.number().meta({ description: "Percent of the window's tasks that completed." }),
		error_rate: z.number().meta({ description: "Percent of the window's tasks that ended in error." }),
		average_task_duration_seconds: z.number(),
		average_step_duration_seconds: z.number(),
		tasks_per_hour: z.number().int(),
		steps_per_hour: z.number().int(),
		system_health_score: z
			.number()
			.meta({ description: "0–100: 100 minus the task and step error percentages, halved each." }),
		analysis_period_start: z.string().meta({ format: "date-time" }),
		calculated_at: z.string().meta({ format: "date-time" }),
		task_duration_percentiles: percentilesSchema,
		step_duration_percentiles: percentilesSchema,
		step_executions: z.number().int(),
		step_error_rate: z
			.number()
			.meta({ description: "Fraction of the window's step attempts that failed (retried or not)." }),
		step_retry_rate: z
			.number()
			.meta({ description: "Fraction of the window's step attempts that were retried." }),
	})
	.meta({ id: "PerformanceMetrics" });

const slowStepSchema = z
	.object({
		namespace_name: z.string(),
		task_name: z.string(),
		version: z.string(),
		step_name: z.string(),
		average_duration_seconds: z.number(),
		max_duration_seconds: z.number(),
		p95_duration_seconds: z.number().nullable(),
		execution_count: z.number().int(),
		error_count: z.number().int(),
		error_rate: z.number(),
		retry_count: z.number().int(),
		last_executed_at: z.string().nullable(),
	})
	.meta({ id: "SlowStepInfo" });

const slowTaskSchema = z
	.object({
		namespace_name: z.string(),
		task_name: z.string(),
		version: z.string(),
		average_duration_seconds: z.number(),
		max_duration_seconds: z.number(),
		p95_duration_seconds: z.number().nullable(),
		execution_count: z.number().int(),
		average_step_count: z.number(),
		error_count: z.number().int(),
		error_rate: z.number(),
		last_executed_at: z.string().nullable(),
	})
	.meta({ id: "SlowTaskInfo" });

const healthCountsShape = Object.fromEntries(
	[...Object.values(TaskState).map((s) => `${s}_tasks`), "resolved_manually_tasks", "total_tasks"].map(
		(k) => [k, z.number().int()],
	),
);

export const bottlenecksSchema = z
	.object({
		slow_steps: z.array(slowStepSchema),
		slow_tasks: z.array(slowTaskSchema),
		resource_utilization: z.object({
			database_pool_utilization: z.number().meta({ description: "Always 0: D1 has no connection pool." }),
			system_health: z
				.object(healthCountsShape)
				.meta({ description: "Tasks per status, from the task index." }),
		}),
		recommendations: z.array(z.string()),
	})
	.meta({ id: "BottleneckAnalysis" });

const hoursQuery = integerValue(0, MAX_ANALYTICS_HOURS)
	.optional()
	.meta({ default: 24, description: "Hours to look back (0: all time)." });

const performance = createRoute({
	method: "get",
	path: "/performance",
	tags,
	summary: "Completion, error and retry rates, durations and throughput over a time window",
	request: { query: strictQuery({ hours: hoursQuery }) },
	responses: {
		200: jsonResponse(performanceSchema, "The window's figures"),
		...errorResponses({ 400: "an unknown, repeated or malformed query parameter" }),
	},
});

const bottlenecks = createRoute({
	method: "get",
	path: "/bottlenecks",
	tags,
	summary: "The slowest steps and templates, with their error rates, and recommendations",
	request: {
		query: strictQuery({
			limit: integerValue(1, 100).optional().meta({ default: 10 }),
			min_executions: integerValue(1, 1_000_000).optional().meta({ default: 5 }),
			hours: hoursQuery,
		}),
	},
	responses: {
		200: jsonResponse(bottlenecksSchema, "The analysis"),
		...errorResponses({ 400: "an unknown, repeated or malformed query parameter" }),
	},
});

const seconds = (ms: number | null) => (ms === null ? null : round3(ms / 1000));

export function analyticsRoutes() {
	const app = createRouter();

	app.openapi(performance, async (c) => {
		const hours = c.req.valid("query").hours ?? 24;
		const now = Date.now();
		const since = hours === 0 ? 0 : now - hours * HOUR;
		const f = await performanceFigures(c.env.TASK_INDEX, since);
		const finished = f.createdInWindow;
		const pct = (n: number) => (finished === 0 ? 0 : round2((n / finished) * 100));
		const stepErrorRate = f.stepExecutions === 0 ? 0 : round3(f.stepErrors / f.stepExecutions);
		// All time (hours=0) spans from the first task on, at least an hour.
		const spanHours = hours > 0 ? hours : Math.max(1, (now - (f.firstCreatedAt ?? now)) / HOUR);
		const perHour = (n: number) => Math.round(n / spanHours);
		const health = Math.max(0, round2(100 - pct(f.failedTasks) / 2 - (stepErrorRate * 100) / 2));
		const durations = (p: { p50: number | null; p95: number | null; p99: number | null }) => ({
			p50: seconds(p.p50),
			p95: seconds(p.p95),
			p99: seconds(p.p99),
		});
		return c.json(
			{
				total_tasks: f.totalTasks,
				active_tasks: f.activeTasks,
				completed_tasks: f.completedTasks,
				failed_tasks: f.failedTasks,
				completion_rate: pct(f.completedTasks),
				error_rate: pct(f.failedTasks),
				average_task_duration_seconds: seconds(f.avgTaskDurationMs) ?? 0,
				average_step_duration_seconds: seconds(f.avgStepDurationMs) ?? 0,
				tasks_per_hour: perHour(f.createdInWindow),
				steps_per_hour: perHour(f.stepExecutions),
				system_health_score: health,
				analysis_period_start: iso(since) ?? "",
				calculated_at: iso(now) ?? "",
				task_duration_percentiles: durations(f.taskDurationsMs),
				step_duration_percentiles: durations(f.stepDurationsMs),
				step_executions: f.stepExecutions,
				step_error_rate: stepErrorRate,
				step_retry_rate: f.stepExecutions === 0 ? 0 : round3(f.stepRetries / f.stepExecutions),
			},
			200,
		);
	});

	app.openapi(bottlenecks, async (c) => {
		const q = c.req.valid("query");
		const hours = q.hours ?? 24;
		const since = hours === 0 ? 0 : Date.now() - hours * HOUR;
		const found = await slowest(c.env.TASK_INDEX, since, q.limit ?? 10, q.min_executions ?? 5);
		const slowSteps = found.steps.map((s) => ({
			namespace_name: s.namespace,
			task_name: s.taskName,
			version: s.version,
			step_name: s.stepName,
			average_duration_seconds: seconds(s.avgMs) ?? 0,
			max_duration_seconds: seconds(s.maxMs) ?? 0,
			p95_duration_seconds: seconds(s.p95Ms),
			execution_count: s.executions,
			error_count: s.errors,
			error_rate: s.executions === 0 ? 0 : round3(s.errors / s.executions),
			retry_count: s.retries,
			last_executed_at: iso(s.lastAt),
		}));
		const slowTasks = found.tasks.map((t) => ({
			namespace_name: t.namespace,
			task_name: t.taskName,
			version: t.version,
			average_duration_seconds: seconds(t.avgMs) ?? 0,
			max_duration_seconds: seconds(t.maxMs) ?? 0,
			p95_duration_seconds: seconds(t.p95Ms),
			execution_count: t.executions,
			average_step_count: round2(t.avgStepCount),
			error_count: t.errors,
			error_rate: t.executions === 0 ? 0 : round3(t.errors / t.executions),
			last_executed_at: iso(t.lastAt),
		}));
		const health: Record<string, number> = {};
		let total = 0;
		for (const state of [...Object.values(TaskState), StepState.resolvedManually]) {
			const n = found.stateCounts[state] ?? 0;
			health[`${state}_tasks`] = n;
			total += n;
		}
		health.total_tasks = total;
		return c.json(
			{
				slow_steps: slowSteps,
				slow_tasks: slowTasks,
				resource_utilization: { database_pool_utilization: 0, system_health: health },
				recommendations: recommendations(slowSteps),
			},
			200,
		);
	});

	return app;
}

/** The reference's two step recommendations (error rate above 20%, the slowest step above 30 s). */
function recommendations(
	steps: ReadonlyArray<{ error_rate: number; average_duration_seconds: number } & Record<string, unknown>>,
): string[] {
	const out: string[] = [];
	const worst = Math.max(0, ...steps.map((s) => s.error_rate));
	if (worst > 0.2)
		out.push(
			`High error rate detected (${(worst * 100).toFixed(1)}%). Review error handling and retry logic.`,
		);
	const first = steps[0];
	if (first && first.average_duration_seconds > 30) {
		out.push(
			`Step '${first.namespace_name}/${first.task_name}@${first.version}::${first.step_name}' averages ${first.average_duration_seconds.toFixed(1)}s. Consider optimization or timeout adjustment.`,
		);
	}
	return out;
}

function round2(n: number): number {
	return Math.round(n * 100) / 100;
}

function round3(n: number): number {
	return Math.round(n * 1000) / 1000;
}
