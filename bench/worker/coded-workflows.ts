// The dynamic bench's Workflows side (bench/dynamic.ts): the same dynamic shapes written in code, as a Workflows
// user would: a decision is an `if` over a step's result, a batch a Promise.all over the analyzer's count.
import type { WorkflowStep } from "cloudflare:workers";

const CODED: Record<string, (step: WorkflowStep) => Promise<unknown>> = {
	/** approval_routing for an amount of 10,000: the decision picks manager_approval and finance_review. */
	"code:approval_routing": async (step) => {
		const { amount } = await step.do("validate_request", async () => ({ amount: 10_000 }));
		const chosen = await step.do("routing_decision", async () =>
			amount < 1000
				? ["auto_approve"]
				: amount < 5000
					? ["manager_approval"]
					: ["manager_approval", "finance_review"],
		);
		const approvals = await Promise.all(
			chosen.map((name) => step.do(name, async () => ({ approved: true }))),
		);
		return step.do("finalize_approval", async () => ({ approved: approvals.every((a) => a.approved) }));
	},
	/** A 1,000-worker batch: the analyzer counts the batches, each runs as a step, then the aggregate. */
	"code:batch_1000": async (step) => {
		const batches = await step.do("analyze_csv", async () => 1000);
		const results = await Promise.all(
			Array.from({ length: batches }, (_, i) =>
				step.do(`process_csv_batch_${i + 1}`, async () => ({ items: 1 })),
			),
		);
		return step.do("aggregate_csv_results", async () => ({
			total: results.reduce((t, r) => t + r.items, 0),
		}));
	},
};

export function isCodedWorkflow(name: string): boolean {
	return Object.hasOwn(CODED, name);
}

export function codedWorkflow(name: string): ((step: WorkflowStep) => Promise<unknown>) | undefined {
	return Object.hasOwn(CODED, name) ? CODED[name] : undefined;
}
