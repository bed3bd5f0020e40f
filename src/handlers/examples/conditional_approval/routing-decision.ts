// Approval routing, the decision point: below the small threshold the request is approved
// automatically; up to the large one a manager approves; from it on, a manager and finance both do.
// Only the steps named here are created; the others never exist for this task.
import { DecisionHandler, type StepContext, type StepHandlerResult } from "tasker-edge";

export class RoutingDecisionHandler extends DecisionHandler {
	static override handlerName = "Examples.conditional_approval.step_handlers.RoutingDecisionHandler";

	call(context: StepContext): StepHandlerResult {
		const { amount } = context.getDependencyResult<{ amount: number }>("validate_request");
		const thresholds = context.getConfig<{ small: number; large: number }>("thresholds") ?? {
			small: 1000,
			large: 5000,
		};
		const stepNames =
			amount < thresholds.small
				? ["auto_approve"]
				: amount < thresholds.large
					? ["manager_approval"]
					: ["manager_approval", "finance_review"];
		return this.decisionSuccess(stepNames, { amount, thresholds });
	}
}
