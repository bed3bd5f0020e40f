// Cloudflare Workflows running the bench templates' DAGs: every step is `step.do(name, async () => tinyResult)`,
// started once all its parents are done, so independent branches run in parallel (Promise.all over the parents).
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import type { BenchEnv, BenchWorkflowParams } from "./bench-env";
import { findBenchTemplate } from "./bench-templates";
import { codedWorkflow } from "./coded-workflows";

export class BenchWorkflow extends WorkflowEntrypoint<BenchEnv, BenchWorkflowParams> {
	override async run(event: Readonly<WorkflowEvent<BenchWorkflowParams>>, step: WorkflowStep) {
		const coded = codedWorkflow(event.payload.template);
		if (coded) return coded(step);
		const template = findBenchTemplate(event.payload.template);
		if (!template) throw new Error(`no bench template named ${event.payload.template}`);
		const definitions = new Map(template.steps.map((s) => [s.name, s]));
		const started = new Map<string, Promise<unknown>>();
		const run = (name: string): Promise<unknown> => {
			let promise = started.get(name);
			if (!promise) {
				const parents = definitions.get(name)?.dependencies ?? [];
				// The same tiny result as the engine's no-op handler (bench/handlers/noop-handler.ts).
				promise = Promise.all(parents.map(run)).then(() => step.do(name, async () => ({ ok: true })));
				started.set(name, promise);
			}
			return promise;
		};
		await Promise.all(template.steps.map((s) => run(s.name)));
		return { steps: template.steps.length };
	}
}
