// Approval routing, the three possible approvals: each records who approved what. Which of them run
// is the decision's choice.
import { type StepContext, StepHandler, StepHandlerResult } from "tasker-edge";

function approval(context: StepContext, approvalType: string, approver: string): StepHandlerResult {
	const { amount } = context.getDependencyResult<{ amount: number }>("validate_request");
	return StepHandlerResult.success({ approved: true, approval_type: approvalType, approver, amount });
}

export class AutoApproveHandler extends StepHandler {
	static override handlerName = "Examples.conditional_approval.step_handlers.AutoApproveHandler";
	call(context: StepContext): StepHandlerResult {
		return approval(context, "automatic", "system");
	}
}

export class ManagerApprovalHandler extends StepHandler {
	static override handlerName = "Examples.conditional_approval.step_handlers.ManagerApprovalHandler";
	call(context: StepContext): StepHandlerResult {
		return approval(context, "manager", "manager");
	}
}

export class FinanceReviewHandler extends StepHandler {
	static override handlerName = "Examples.conditional_approval.step_handlers.FinanceReviewHandler";
	call(context: StepContext): StepHandlerResult {
		return approval(context, "finance", "finance");
	}
}
