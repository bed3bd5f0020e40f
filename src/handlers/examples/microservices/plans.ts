// The user registration example's plans: what each costs and what a new user of it gets by default.

export const PLANS = ["free", "pro", "enterprise"] as const;
export type Plan = (typeof PLANS)[number];

export const PLAN_PRICES: Readonly<Record<Plan, number>> = { free: 0, pro: 29, enterprise: 299 };

export const PLAN_FEATURES: Readonly<Record<Plan, readonly string[]>> = {
	free: ["core"],
	pro: ["core", "analytics", "priority_email"],
	enterprise: ["core", "analytics", "priority_email", "sso", "dedicated_support"],
};

export function isPlan(value: unknown): value is Plan {
	return typeof value === "string" && (PLANS as readonly string[]).includes(value);
}

/** create_user_account's result, read by every later step. */
export type UserAccount = {
	user_id: string;
	email: string;
	name: string;
	plan: Plan;
	source: string;
	status: "created";
};
