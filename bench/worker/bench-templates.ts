// The bench templates (reference shapes and scale cases) by name, for the Workflow that runs the same DAGs.
import * as scale from "bench-scale-registry";
import * as shapes from "bench-shapes-registry";
import type { TaskTemplate } from "../../src/templates/task-template";

export const BENCH_TEMPLATES: readonly TaskTemplate[] = [...shapes.templates, ...scale.templates];

const byName = new Map(BENCH_TEMPLATES.map((template) => [template.name, template]));

export function findBenchTemplate(name: string): TaskTemplate | undefined {
	return byName.get(name);
}
