import { describe, expect, it } from "vitest";
import { DURATION_BUCKETS_MS, METRIC_COUNTERS } from "../../src/core/metrics-delta";
import { escapeLabel, renderPrometheus } from "../../src/metrics/prometheus-text";

describe("renderPrometheus", () => {
	it("writes every counter with HELP and TYPE, even before anything happened", () => {
		const text = renderPrometheus([], []);
		for (const name of METRIC_COUNTERS) {
			expect(text).toContain(`# TYPE tasker_${name}_total counter\n`);
			expect(text).toMatch(new RegExp(`# HELP tasker_${name}_total \\S`));
		}
		expect(text).toContain("# TYPE tasker_step_duration_seconds histogram\n");
		expect(text.endsWith("\n")).toBe(true);
	});

	it("labels counters by namespace and task", () => {
		const text = renderPrometheus(
			[{ name: "tasks_created", namespace: "default", task: "order_processing", value: 3 }],
			[],
		);
		expect(text).toContain('tasker_tasks_created_total{namespace="default",task="order_processing"} 3\n');
	});

	it("gauges the steps waiting now as waits started less waits ended, by namespace and task", () => {
		const text = renderPrometheus(
			[
				{ name: "waits_started", namespace: "default", task: "order_paid", value: 5 },
				{ name: "waits_ended", namespace: "default", task: "order_paid", value: 2 },
				{ name: "waits_started", namespace: "default", task: "nightly", value: 1 },
				{ name: "waits_ended", namespace: "default", task: "nightly", value: 1 },
			],
			[],
		);
		expect(text).toContain("# TYPE tasker_steps_waiting gauge\n");
		expect(text).toContain('tasker_steps_waiting{namespace="default",task="order_paid"} 3\n');
		expect(text).toContain('tasker_steps_waiting{namespace="default",task="nightly"} 0\n');
	});

	it("writes the consumers' malformed-message counter by queue, with HELP and TYPE even when zero", () => {
		expect(renderPrometheus([], [])).toContain("# TYPE tasker_messages_malformed_total counter\n");
		const text = renderPrometheus([], [], [{ name: "messages_malformed", queue: "tasker-steps", value: 4 }]);
		expect(text).toContain('tasker_messages_malformed_total{queue="tasker-steps"} 4\n');
	});

	it("makes histogram buckets cumulative, in seconds, ending with +Inf, _sum and _count", () => {
		const buckets = new Array(DURATION_BUCKETS_MS.length + 1).fill(0);
		buckets[0] = 2; // ≤ 5 ms
		buckets[3] = 1; // ≤ 50 ms
		buckets[DURATION_BUCKETS_MS.length] = 1; // > 60 s
		const text = renderPrometheus(
			[],
			[{ namespace: "default", task: "t", step: "s", buckets, sumMs: 61_050, count: 4 }],
		);
		const labels = 'namespace="default",task="t",step="s"';
		expect(text).toContain(`tasker_step_duration_seconds_bucket{${labels},le="0.005"} 2\n`);
		expect(text).toContain(`tasker_step_duration_seconds_bucket{${labels},le="0.025"} 2\n`);
		expect(text).toContain(`tasker_step_duration_seconds_bucket{${labels},le="0.05"} 3\n`);
		expect(text).toContain(`tasker_step_duration_seconds_bucket{${labels},le="60"} 3\n`);
		expect(text).toContain(`tasker_step_duration_seconds_bucket{${labels},le="+Inf"} 4\n`);
		expect(text).toContain(`tasker_step_duration_seconds_sum{${labels}} 61.05\n`);
		expect(text).toContain(`tasker_step_duration_seconds_count{${labels}} 4\n`);
	});

	it("escapes label values as the format requires", () => {
		expect(escapeLabel('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
	});
});
