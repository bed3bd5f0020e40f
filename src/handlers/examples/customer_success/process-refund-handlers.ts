// The customer success team's refund workflow (the reference's blog post 04, "team scaling"): it validates
// the support ticket, checks the refund policy, gets a manager's approval when the policy asks for one, hands
// the refund itself to the payments team's workflow, and resolves the ticket. The ticket service, the
// approval portal and the hand-over are simulated; special ticket ids simulate their other answers
// (ticket_closed, ticket_cancelled, ticket_duplicate, ticket_denied, ticket_pending, ticket_locked).
import {
	PermanentError,
	RetryableError,
	type StepContext,
	StepHandler,
	type StepHandlerResult,
} from "tasker-edge";
import { deterministicId, fnv1a64Hex } from "../../order/order-ids";
import { customerTier, formatCents, REFUND_POLICIES, type RefundPolicy } from "./refund-policy";

/** The simulated ticket system dates every purchase this many days back. */
const DAYS_SINCE_PURCHASE = 30;

type ValidatedRequest = {
	request_validated: true;
	ticket_id: string;
	customer_id: string;
	customer_tier: keyof typeof REFUND_POLICIES;
	refund_amount: number;
	days_since_purchase: number;
	payment_id: string;
	ticket_status: "open";
};

export class ValidateRefundRequestHandler extends StepHandler {
	static handlerName = "Examples.TeamScaling.CustomerSuccess.StepHandlers.ValidateRefundRequestHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const ticketId = context.getInput<unknown>("ticket_id");
		const customerId = context.getInput<unknown>("customer_id");
		const amount = context.getInput<unknown>("refund_amount");
		const missing = [
			typeof ticketId === "string" && ticketId !== "" ? null : "ticket_id",
			typeof customerId === "string" && customerId !== "" ? null : "customer_id",
			typeof amount === "number" && amount > 0 ? null : "refund_amount",
		].filter((field) => field !== null);
		if (missing.length > 0 || typeof ticketId !== "string" || typeof customerId !== "string") {
			throw new PermanentError(`missing or invalid: ${missing.join(", ")}`, { errorCode: "INVALID_REQUEST" });
		}
		for (const status of ["closed", "cancelled", "duplicate"]) {
			if (ticketId.includes(`ticket_${status}`)) {
				throw new PermanentError(`cannot refund a ${status} ticket`, { errorCode: "TICKET_NOT_OPEN" });
			}
		}
		const request: ValidatedRequest = {
			request_validated: true,
			ticket_id: ticketId,
			customer_id: customerId,
			customer_tier: customerTier(customerId),
			refund_amount: amount as number,
			days_since_purchase: DAYS_SINCE_PURCHASE,
			// The ticket system links the ticket to the purchase's payment.
			payment_id: `pay_${fnv1a64Hex(ticketId)}`,
			ticket_status: "open",
		};
		return this.success(request, { service: "ticket_system" });
	}
}

export class CheckRefundPolicyHandler extends StepHandler {
	static handlerName = "Examples.TeamScaling.CustomerSuccess.StepHandlers.CheckRefundPolicyHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const request = context.requireDependencyResult<ValidatedRequest>("validate_refund_request");
		const policy: RefundPolicy = REFUND_POLICIES[request.customer_tier];
		if (request.days_since_purchase > policy.window_days) {
			throw new PermanentError(
				`outside the refund window: ${request.days_since_purchase} days (at most ${policy.window_days})`,
				{ errorCode: "OUTSIDE_REFUND_WINDOW" },
			);
		}
		if (request.refund_amount > policy.max_amount) {
			throw new PermanentError(
				`refund of ${formatCents(request.refund_amount)} exceeds the ${request.customer_tier} limit of ${formatCents(policy.max_amount)}`,
				{ errorCode: "OVER_REFUND_LIMIT" },
			);
		}
		return this.success({
			policy_checked: true,
			policy_compliant: true,
			customer_tier: request.customer_tier,
			refund_window_days: policy.window_days,
			max_allowed_amount: policy.max_amount,
			requires_approval: policy.requires_approval,
		});
	}
}

export class GetManagerApprovalHandler extends StepHandler {
	static handlerName = "Examples.TeamScaling.CustomerSuccess.StepHandlers.GetManagerApprovalHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const request = context.requireDependencyResult<ValidatedRequest>("validate_refund_request");
		const policy = context.requireDependencyResult<{ requires_approval: boolean }>("check_refund_policy");
		if (!policy.requires_approval) {
			return this.success({
				approval_obtained: true,
				approval_required: false,
				auto_approved: true,
				approval_id: null,
			});
		}
		if (request.ticket_id.includes("ticket_denied")) {
			throw new PermanentError("the manager denied the refund", { errorCode: "APPROVAL_DENIED" });
		}
		if (request.ticket_id.includes("ticket_pending")) {
			throw new RetryableError("waiting for the manager's approval", { errorCode: "APPROVAL_PENDING" });
		}
		return this.success(
			{
				approval_obtained: true,
				approval_required: true,
				auto_approved: false,
				approval_id: deterministicId("APR", context.idempotencyKey),
			},
			{ service: "approval_portal" },
		);
	}
}

export class ExecuteRefundWorkflowHandler extends StepHandler {
	static handlerName = "Examples.TeamScaling.CustomerSuccess.StepHandlers.ExecuteRefundWorkflowHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const request = context.requireDependencyResult<ValidatedRequest>("validate_refund_request");
		const approval = context.requireDependencyResult<{ approval_obtained: boolean }>("get_manager_approval");
		if (!approval.approval_obtained) {
			throw new PermanentError("no approval to execute the refund on", { errorCode: "NOT_APPROVED" });
		}
		// The hand-over to the payments team (simulated): its own process_refund workflow, in its own
		// namespace, under this task's correlation id so that both tasks can be followed together.
		const correlationId = context.getInputOr<string>("correlation_id", context.correlationId);
		return this.success(
			{
				task_delegated: true,
				target_namespace: "payments_example",
				target_workflow: "payments_process_refund_ts",
				delegated_task_id: deterministicId("TSK", context.idempotencyKey),
				delegated_context: {
					payment_id: request.payment_id,
					refund_amount: request.refund_amount,
					refund_reason: "customer_request",
					customer_email: context.getInputOr<string | null>("customer_email", null),
					correlation_id: correlationId,
				},
				correlation_id: correlationId,
			},
			{ service: "task_delegation" },
		);
	}
}

export class UpdateTicketStatusHandler extends StepHandler {
	static handlerName = "Examples.TeamScaling.CustomerSuccess.StepHandlers.UpdateTicketStatusHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const request = context.requireDependencyResult<ValidatedRequest>("validate_refund_request");
		const delegation = context.requireDependencyResult<{ delegated_task_id: string }>(
			"execute_refund_workflow",
		);
		if (request.ticket_id.includes("ticket_locked")) {
			throw new RetryableError("the ticket is locked by another agent", { errorCode: "TICKET_LOCKED" });
		}
		return this.success({
			ticket_updated: true,
			ticket_id: request.ticket_id,
			previous_status: "open",
			new_status: "resolved",
			resolution_note: `refund of ${formatCents(request.refund_amount)} handed to payments as ${delegation.delegated_task_id}`,
			refund_completed: true,
		});
	}
}
