// User registration across (simulated) microservices, the reference's blog post 03: the user service creates
// the account, then the billing and preferences services are called in parallel, the notification service
// sends the welcome sequence once both are done, and the user service marks the account active.
// Every id derives from the task or the step, so a retried call is recognised by the service it calls.
import { PermanentError, type StepContext, StepHandler, type StepHandlerResult } from "tasker-edge";
import { deterministicId } from "../../order/order-ids";
import { isPlan, PLAN_FEATURES, PLAN_PRICES, type Plan, type UserAccount } from "./plans";

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export class CreateUserAccountHandler extends StepHandler {
	static handlerName = "Examples.Microservices.StepHandlers.CreateUserAccountHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const info = context.getInput<Record<string, unknown>>("user_info") ?? {};
		const { email, name } = info;
		if (typeof email !== "string" || !EMAIL.test(email)) {
			throw new PermanentError(`user_info.email must be an e-mail address (got ${JSON.stringify(email)})`, {
				errorCode: "INVALID_EMAIL",
			});
		}
		if (typeof name !== "string" || name.trim() === "") {
			throw new PermanentError("user_info.name is required", { errorCode: "MISSING_NAME" });
		}
		const plan = info.plan ?? "free";
		if (!isPlan(plan)) {
			throw new PermanentError(
				`user_info.plan must be free, pro or enterprise (got ${JSON.stringify(plan)})`,
				{
					errorCode: "UNKNOWN_PLAN",
				},
			);
		}
		const account: UserAccount = {
			// One account per e-mail address: the user service would answer a repeat with the same user.
			user_id: deterministicId("USR", email.toLowerCase()),
			email,
			name,
			plan,
			source: typeof info.source === "string" ? info.source : "web",
			status: "created",
		};
		return this.success(account, { service: "user_service" });
	}
}

export class SetupBillingProfileHandler extends StepHandler {
	static handlerName = "Examples.Microservices.StepHandlers.SetupBillingProfileHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const user = context.requireDependencyResult<UserAccount>("create_user_account");
		if (user.plan === "free") {
			// Graceful degradation: a free plan has nothing to bill, which is a success, not a failure.
			return this.success({
				user_id: user.user_id,
				plan: user.plan,
				status: "skipped_free_plan",
			});
		}
		return this.success(
			{
				billing_id: deterministicId("BIL", context.idempotencyKey),
				user_id: user.user_id,
				plan: user.plan,
				monthly_price: PLAN_PRICES[user.plan],
				status: "active",
			},
			{ service: "billing_service" },
		);
	}
}

export class InitializePreferencesHandler extends StepHandler {
	static handlerName = "Examples.Microservices.StepHandlers.InitializePreferencesHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const user = context.requireDependencyResult<UserAccount>("create_user_account");
		return this.success(
			{
				preferences_id: deterministicId("PRF", context.idempotencyKey),
				user_id: user.user_id,
				plan: user.plan,
				features: PLAN_FEATURES[user.plan],
				email_notifications: true,
				status: "active",
			},
			{ service: "preferences_service" },
		);
	}
}

export class SendWelcomeSequenceHandler extends StepHandler {
	static handlerName = "Examples.Microservices.StepHandlers.SendWelcomeSequenceHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const user = context.requireDependencyResult<UserAccount>("create_user_account");
		const billing = context.requireDependencyResult<{ status: string }>("setup_billing_profile");
		const preferences = context.requireDependencyResult<{ features: string[] }>("initialize_preferences");
		const messages = welcomeMessages(user.plan, billing.status === "active", preferences.features);
		return this.success(
			{
				user_id: user.user_id,
				recipient: user.email,
				messages_sent: messages.length,
				messages,
				welcome_sequence_id: deterministicId("WEL", context.idempotencyKey),
				status: "sent",
			},
			{ service: "notification_service" },
		);
	}
}

export class UpdateUserStatusHandler extends StepHandler {
	static handlerName = "Examples.Microservices.StepHandlers.UpdateUserStatusHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const user = context.requireDependencyResult<UserAccount>("create_user_account");
		const welcome = context.requireDependencyResult<{ messages_sent: number }>("send_welcome_sequence");
		return this.success(
			{
				user_id: user.user_id,
				status: "active",
				plan: user.plan,
				registration_status: "complete",
				welcome_messages: welcome.messages_sent,
			},
			{ service: "user_service" },
		);
	}
}

function welcomeMessages(plan: Plan, billed: boolean, features: readonly string[]): string[] {
	const messages = [`welcome to the ${plan} plan`, `your features: ${features.join(", ")}`];
	if (billed) messages.push(`your first invoice: ${PLAN_PRICES[plan]} per month`);
	if (plan === "enterprise") messages.push("your dedicated support contact");
	return messages;
}
