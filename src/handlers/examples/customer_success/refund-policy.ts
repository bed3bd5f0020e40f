// The customer success team's refund policy, by customer tier: how long after the purchase a refund may be
// asked for, whether a manager must approve it, and the largest amount (in cents).

export type CustomerTier = "standard" | "gold" | "premium";

export interface RefundPolicy {
	window_days: number;
	requires_approval: boolean;
	max_amount: number;
}

export const REFUND_POLICIES: Readonly<Record<CustomerTier, RefundPolicy>> = {
	standard: { window_days: 30, requires_approval: true, max_amount: 10_000 },
	gold: { window_days: 60, requires_approval: false, max_amount: 50_000 },
	premium: { window_days: 90, requires_approval: false, max_amount: 100_000 },
};

/** The simulated CRM knows a customer's tier from its id: `vip`/`premium` ones are premium, `gold` ones gold. */
export function customerTier(customerId: string): CustomerTier {
	const id = customerId.toLowerCase();
	if (id.includes("vip") || id.includes("premium")) return "premium";
	if (id.includes("gold")) return "gold";
	return "standard";
}

export const formatCents = (cents: number): string => (cents / 100).toFixed(2);
