// A submission's identity (tasker-core §8): what is hashed under the template's identity strategy,
// with the request's idempotency_key winning over it; its SHA-256 names the task (src/core/
// identity-task-uuid.ts), the one place where every duplicate meets and the first wins. The hash itself is
// the shell's (src/identity-hash.ts): the core decides what is hashed, never calls the platform's crypto.

import { MAX_IDEMPOTENCY_KEY_LENGTH } from "../limits";
import {
	DEFAULT_IDENTITY_STRATEGY,
	type IdentityStrategy,
	type TaskTemplate,
} from "../templates/task-template";
import { canonicalJson } from "./canonical-json";

export type IdentityTemplate = Pick<TaskTemplate, "namespace" | "name" | "version" | "identityStrategy">;

export type IdentityDecision =
	/** `always_unique` without a key: nothing to claim, never a duplicate. */
	| { kind: "unique" }
	/** Deduplicated on `source` (canonical JSON; hash it with `identityHash`). */
	| { kind: "identity"; strategy: IdentityStrategy; source: string; idempotencyKey: string | null }
	/** `caller_provided` without a key: a 400 with this message. */
	| { kind: "key_required"; message: string };

export function decideIdentity(
	template: IdentityTemplate,
	context: Record<string, unknown>,
	idempotencyKey: string | undefined,
): IdentityDecision {
	const { namespace, name, version } = template;
	const strategy = template.identityStrategy ?? DEFAULT_IDENTITY_STRATEGY;
	// The key always wins, whatever the strategy: it lets a client say which submissions are one task
	// (a retried request, a time bucket such as `job-2026-01-20-09`), whatever their context.
	if (idempotencyKey !== undefined) {
		const source = canonicalJson({ namespace, name, version, idempotency_key: idempotencyKey });
		return { kind: "identity", strategy, source, idempotencyKey };
	}
	switch (strategy) {
		case "always_unique":
			return { kind: "unique" };
		case "caller_provided":
			return {
				kind: "key_required",
				message:
					`idempotency_key: required but missing: expected a string of 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} ` +
					`characters (${describeTemplate(template)} has identity_strategy caller_provided)`,
			};
		case "strict":
			// The key names differ from the key branch's, so a context can never hash like a key.
			return {
				kind: "identity",
				strategy,
				source: canonicalJson({ namespace, name, version, context }),
				idempotencyKey: null,
			};
	}
}

/**
 * The 409's message. It names the existing task: the reference hides it (so as not to leak it), but
 * issue 4 asks for it, so that a client retrying a lost answer finds the task it already created.
 */
export function duplicateMessage(
	template: IdentityTemplate,
	decision: Extract<IdentityDecision, { kind: "identity" }>,
	existingTaskUuid: string,
): string {
	if (decision.idempotencyKey !== null) {
		return (
			`idempotency_key ${JSON.stringify(decision.idempotencyKey)} was already used for ` +
			`${describeTemplate(template)} by task ${existingTaskUuid}; send a new idempotency_key for a new task`
		);
	}
	return (
		`task ${existingTaskUuid} was already submitted with this context for ${describeTemplate(template)} ` +
		`(identity_strategy ${decision.strategy}); send a different context, or an idempotency_key, for a new task`
	);
}

function describeTemplate(template: IdentityTemplate): string {
	return `task template ${template.namespace}/${template.name} ${template.version}`;
}
