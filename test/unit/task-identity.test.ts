// A submission's identity: the three strategies, the idempotency_key winning over them, and the hash.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
	decideIdentity,
	duplicateMessage,
	type IdentityDecision,
	type IdentityTemplate,
} from "../../src/core/task-identity";
import { identityHash } from "../../src/identity-hash";

const strict: IdentityTemplate = {
	namespace: "default",
	name: "order_processing",
	version: "1.0.0",
	identityStrategy: "strict",
};
const callerProvided: IdentityTemplate = { ...strict, identityStrategy: "caller_provided" };
const alwaysUnique: IdentityTemplate = { ...strict, identityStrategy: "always_unique" };
const order = { order_id: "ORD-1", items: [{ sku: "A", quantity: 2 }] };

function sourceOf(decision: IdentityDecision): string {
	if (decision.kind !== "identity") throw new Error(`expected an identity, got ${decision.kind}`);
	return decision.source;
}

describe("decideIdentity", () => {
	it("strict: the template and the context, whatever the context's key order", () => {
		const source = sourceOf(decideIdentity(strict, order, undefined));
		expect(source).toBe(
			'{"context":{"items":[{"quantity":2,"sku":"A"}],"order_id":"ORD-1"},' +
				'"name":"order_processing","namespace":"default","version":"1.0.0"}',
		);
		const reordered = { items: [{ quantity: 2, sku: "A" }], order_id: "ORD-1" };
		expect(sourceOf(decideIdentity(strict, reordered, undefined))).toBe(source);
	});

	it("strict: a different context, version, name or namespace is another identity", () => {
		const source = sourceOf(decideIdentity(strict, order, undefined));
		expect(sourceOf(decideIdentity(strict, { ...order, order_id: "ORD-2" }, undefined))).not.toBe(source);
		expect(sourceOf(decideIdentity({ ...strict, version: "1.1.0" }, order, undefined))).not.toBe(source);
		expect(sourceOf(decideIdentity({ ...strict, name: "other" }, order, undefined))).not.toBe(source);
		expect(sourceOf(decideIdentity({ ...strict, namespace: "shop" }, order, undefined))).not.toBe(source);
	});

	it("a template built without identityStrategy is strict", () => {
		const { identityStrategy: _, ...bare } = strict;
		expect(decideIdentity(bare, order, undefined)).toEqual(decideIdentity(strict, order, undefined));
	});

	it("caller_provided without a key: a message naming the field, the template and its strategy", () => {
		expect(decideIdentity(callerProvided, order, undefined)).toEqual({
			kind: "key_required",
			message:
				"idempotency_key: required but missing: expected a string of 1 to 255 characters " +
				"(task template default/order_processing 1.0.0 has identity_strategy caller_provided)",
		});
	});

	it("always_unique without a key: nothing to claim", () => {
		expect(decideIdentity(alwaysUnique, order, undefined)).toEqual({ kind: "unique" });
	});

	it("an idempotency_key wins over every strategy: the template and the key, not the context", () => {
		const keyed = sourceOf(decideIdentity(strict, order, "job-2026-01-20-09"));
		expect(keyed).toBe(
			'{"idempotency_key":"job-2026-01-20-09","name":"order_processing","namespace":"default","version":"1.0.0"}',
		);
		// The same key with another context is the same identity; another key with the same context is not.
		expect(sourceOf(decideIdentity(strict, { other: true }, "job-2026-01-20-09"))).toBe(keyed);
		expect(sourceOf(decideIdentity(strict, order, "job-2026-01-20-10"))).not.toBe(keyed);
		// Whatever the strategy: caller_provided is satisfied, always_unique is deduplicated.
		expect(sourceOf(decideIdentity(callerProvided, order, "job-2026-01-20-09"))).toBe(keyed);
		expect(sourceOf(decideIdentity(alwaysUnique, order, "job-2026-01-20-09"))).toBe(keyed);
		// A key never collides with a context, even one that spells the key.
		expect(sourceOf(decideIdentity(strict, { idempotency_key: "job-2026-01-20-09" }, undefined))).not.toBe(
			keyed,
		);
	});
});

describe("identityHash", () => {
	it("is the SHA-256 of the source, in lower-case hex", async () => {
		const source = sourceOf(decideIdentity(strict, order, undefined));
		const hash = await identityHash(source);
		expect(hash).toMatch(/^[0-9a-f]{64}$/);
		expect(hash).toBe(createHash("sha256").update(source, "utf8").digest("hex"));
		expect(await identityHash("\u2603")).toBe(createHash("sha256").update("\u2603", "utf8").digest("hex"));
	});
});

describe("duplicateMessage", () => {
	const uuid = "019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b";

	it("names the existing task, the template, the strategy and what to do", () => {
		const decision = decideIdentity(strict, order, undefined) as Extract<
			IdentityDecision,
			{ kind: "identity" }
		>;
		expect(duplicateMessage(strict, decision, uuid)).toBe(
			`task ${uuid} was already submitted with this context for task template default/order_processing ` +
				"1.0.0 (identity_strategy strict); send a different context, or an idempotency_key, for a new task",
		);
	});

	it("with a key: names the key and the existing task", () => {
		const decision = decideIdentity(strict, order, "k-1") as Extract<IdentityDecision, { kind: "identity" }>;
		expect(duplicateMessage(strict, decision, uuid)).toBe(
			`idempotency_key "k-1" was already used for task template default/order_processing 1.0.0 by task ` +
				`${uuid}; send a new idempotency_key for a new task`,
		);
	});
});
