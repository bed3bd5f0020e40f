// The checks a schedule's settings pass before they are stored (on create and on every change): the
// template exists, the cron parses in its time zone, the context fits and matches the template's
// input_schema (as POST /v1/tasks would check each run's). Each problem names its field.
import { MAX_TASK_CONTEXT_BYTES } from "../limits";
import type { TemplateRegistry } from "../registry/template-registry";
import { contextMismatch } from "../templates/context-mismatch";
import { parseCron } from "./cron-spec";
import type { ScheduleSettings } from "./schedule-records";

export type SettingsProblem = { status: 400 | 404 | 413; message: string };

export function checkSettings(
	settings: ScheduleSettings,
	templates: TemplateRegistry,
): SettingsProblem | null {
	const found = templates.find(settings.namespace, settings.name, settings.version ?? undefined);
	if (!found.ok) return { status: 404, message: found.message };
	const cron = parseCron(settings.cron, settings.timezone);
	if (!cron.ok) return { status: 400, message: `${cron.field}: ${cron.reason}` };
	const bytes = new TextEncoder().encode(JSON.stringify(settings.context)).length;
	if (bytes > MAX_TASK_CONTEXT_BYTES) {
		return {
			status: 413,
			message: `context is ${bytes} bytes as JSON; the limit is ${MAX_TASK_CONTEXT_BYTES}`,
		};
	}
	const mismatch = contextMismatch(found.template, settings.context);
	if (mismatch !== null) return { status: 400, message: mismatch };
	return null;
}
