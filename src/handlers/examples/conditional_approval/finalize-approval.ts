// Approval routing, the convergence step: it runs once every approval that was created has run, and
// sees exactly those (the ones the decision did not choose never existed).
import { type StepContext, StepHandler, StepHandlerResult } from "tasker-edge";

const APPROVAL_STEPS = ["auto_approve", "manager_approval", "finance_review"] as const;

export class FinalizeApprovalHandler extends StepHandler {
	static override handlerName = "Examples.conditional_approval.step_handlers.FinalizeApprovalHandler";

	call(context: StepContext): StepHandlerResult {
		const ran = APPROVAL_STEPS.filter((name) => Object.hasOwn(context.dependencyResults, name));
		const approvals = ran.map(
			(name) => context.dependencyResults[name] as { approved: boolean; approval_type: string },
		);
		const { amount } = context.dependencyResults.validate_request as { amount: number };
		return StepHandlerResult.success({
			approved: approvals.length > 0 && approvals.every((a) => a.approved),
			approval_chain: ran,
			approval_types: approvals.map((a) => a.approval_type),
			final_amount: amount,
		});
	}
}
