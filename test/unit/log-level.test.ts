// TASKER_LOG_LEVEL: which lifecycle lines are written, and a bad value named once, never fatal.
import { afterEach, describe, expect, it, vi } from "vitest";
import { configureLogging, eventLevel, logEvent, setLogLevel } from "../../src/observability/log-event";
import { parseLogLevel } from "../../src/observability/log-level";

function written(run: () => void): Array<Record<string, unknown>> {
	const lines: Array<Record<string, unknown>> = [];
	const spy = vi.spyOn(console, "log").mockImplementation((line: unknown) => {
		lines.push(JSON.parse(String(line)));
	});
	try {
		run();
	} finally {
		spy.mockRestore();
	}
	return lines;
}

afterEach(() => {
	configureLogging({});
	setLogLevel("info");
});

describe("TASKER_LOG_LEVEL", () => {
	it("accepts the four levels in any case, and unset or empty as the default (info)", () => {
		expect(parseLogLevel("DEBUG")).toEqual({ ok: true, level: "debug" });
		expect(parseLogLevel(" warn ")).toEqual({ ok: true, level: "warn" });
		expect(parseLogLevel(undefined)).toEqual({ ok: true, level: "info" });
		expect(parseLogLevel("")).toEqual({ ok: true, level: "info" });
	});

	it("names the variable, the value and the levels when it is not one", () => {
		expect(parseLogLevel("verbose")).toEqual({
			ok: false,
			problem:
				'TASKER_LOG_LEVEL: "verbose" is not a log level; expected one of debug, info, warn, error (kept info)',
		});
		expect(parseLogLevel(3)).toMatchObject({
			ok: false,
			problem: expect.stringContaining("3 is not a log level"),
		});
	});

	it("gives a step's success debug, its failure and every …_failed event warn, the rest info", () => {
		expect(eventLevel("step.succeeded")).toBe("debug");
		expect(eventLevel("step.failed")).toBe("warn");
		expect(eventLevel("dispatch.send_failed")).toBe("warn");
		expect(eventLevel("task.created")).toBe("info");
		expect(eventLevel("task.complete")).toBe("info");
		expect(eventLevel("http.internal_error")).toBe("error");
	});

	it("writes the lines at or above the level, each with its level", () => {
		const emit = () => {
			logEvent("step.succeeded", { step_name: "a" });
			logEvent("task.created", { task_uuid: "t" });
			logEvent("step.failed", { step_name: "b" });
		};
		expect(written(emit).map((l) => [l.event, l.level])).toEqual([
			["task.created", "info"],
			["step.failed", "warn"],
		]);
		configureLogging({ TASKER_LOG_LEVEL: "debug" });
		expect(written(emit)).toHaveLength(3);
		configureLogging({ TASKER_LOG_LEVEL: "error" });
		expect(written(emit)).toEqual([]);
	});

	it("keeps the default on a bad value and says so once, not on every request", () => {
		const first = written(() => configureLogging({ TASKER_LOG_LEVEL: "loud" }));
		expect(first).toEqual([
			expect.objectContaining({
				event: "config.invalid",
				level: "error",
				variable: "TASKER_LOG_LEVEL",
				problem: expect.stringContaining('"loud" is not a log level'),
			}),
		]);
		expect(written(() => configureLogging({ TASKER_LOG_LEVEL: "loud" }))).toEqual([]);
		expect(written(() => logEvent("task.created", {})).map((l) => l.event)).toEqual(["task.created"]);
		expect(written(() => logEvent("step.succeeded", {}))).toEqual([]);
	});
});
