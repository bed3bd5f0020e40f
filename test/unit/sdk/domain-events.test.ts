// BasePublisher and BaseSubscriber as the reference's example publishers and subscribers use them: hooks that
// shape or veto an event (a publisher's error never escapes), patterns that pick the events a subscriber handles.
import {
	BasePublisher,
	BaseSubscriber,
	createDomainEvent,
	createStepEventContext,
	type DomainEvent,
	type DomainEventLogger,
	DuplicatePublisherError,
	type EventDeclaration,
	PublisherNotFoundError,
	PublisherRegistry,
	PublisherValidationError,
	RegistryFrozenError,
	type StepEventContext,
	StepHandlerResult,
	SubscriberRegistry,
} from "tasker-edge";
import { describe, expect, it } from "vitest";

const quiet: DomainEventLogger = { debug() {}, info() {}, warn() {}, error() {} };

class PaymentPublisher extends BasePublisher {
	readonly publisherName = "PaymentPublisher";
	protected override readonly logger = quiet;
	errors: string[] = [];

	protected transformPayload(
		stepResult: StepHandlerResult,
		_declaration: EventDeclaration,
		stepContext: StepEventContext | null,
	): Record<string, unknown> {
		const result = stepResult.result ?? {};
		if (result.explode) throw new Error("cannot shape");
		return {
			transaction_id: result.transaction_id,
			tier: stepContext?.task.context.customer_tier ?? "standard",
		};
	}

	protected shouldPublish(stepResult: StepHandlerResult): boolean {
		return Boolean(stepResult.result?.transaction_id);
	}

	protected additionalMetadata(): Record<string, unknown> {
		return { publisher_type: "custom" };
	}

	protected beforePublish(): void {}

	protected onPublishError(eventName: string, error: Error): void {
		this.errors.push(`${eventName}: ${error.message}`);
	}
}

const stepContext = createStepEventContext({
	taskUuid: "t-1",
	stepUuid: "s-1",
	stepName: "process_payment",
	namespace: "payments",
	taskContext: { customer_tier: "gold" },
});
const at = () => new Date("2026-01-01T00:00:00Z");

describe("BasePublisher", () => {
	it("shapes the payload and metadata through the hooks", () => {
		const publisher = new PaymentPublisher();
		const prepared = publisher.prepare(
			{
				eventName: "payment.processed",
				stepResult: StepHandlerResult.success({ transaction_id: "TXN-1" }),
				stepContext,
			},
			at,
		);
		expect(prepared).toEqual({
			eventName: "payment.processed",
			payload: { transaction_id: "TXN-1", tier: "gold" },
			metadata: {
				publisher: "PaymentPublisher",
				publishedAt: "2026-01-01T00:00:00.000Z",
				taskUuid: "t-1",
				stepUuid: "s-1",
				stepName: "process_payment",
				namespace: "payments",
				publisher_type: "custom",
			},
		});
		expect(
			publisher.publish({
				eventName: "payment.processed",
				stepResult: StepHandlerResult.success({ transaction_id: "x" }),
			}),
		).toBe(true);
	});

	it("drops an event that shouldPublish refuses, and one whose hook throws, without throwing", () => {
		const publisher = new PaymentPublisher();
		expect(
			publisher.prepare({ eventName: "payment.processed", stepResult: StepHandlerResult.success({}) }),
		).toBeNull();
		expect(
			publisher.prepare({
				eventName: "payment.processed",
				stepResult: StepHandlerResult.success({ transaction_id: "T", explode: true }),
			}),
		).toBeNull();
		expect(publisher.errors).toEqual(["payment.processed: cannot shape"]);
	});
});

describe("PublisherRegistry", () => {
	it("registers by name, falls back to the default publisher, validates and freezes", () => {
		const registry = PublisherRegistry.instance;
		registry.reset();
		const publisher = new PaymentPublisher();
		registry.register(publisher);
		expect(() => registry.register(new PaymentPublisher())).toThrow(DuplicatePublisherError);
		expect(registry.getOrDefault("PaymentPublisher")).toBe(publisher);
		expect(registry.getOrDefault("Unknown").publisherName).toBe("default");
		expect(() => registry.getStrict("Unknown")).toThrow(PublisherNotFoundError);
		expect(() => registry.validateRequired(["PaymentPublisher", "Missing"])).toThrow(
			PublisherValidationError,
		);
		registry.validateRequired(["PaymentPublisher", "default"]);
		expect(registry.isFrozen).toBe(true);
		expect(() => registry.register(new PaymentPublisher())).toThrow(RegistryFrozenError);
		registry.reset();
		expect(registry.count).toBe(0);
	});
});

class PaymentSubscriber extends BaseSubscriber {
	readonly subscriberName = "PaymentSubscriber";
	protected override readonly logger = quiet;
	protected patterns = ["payment.*"];
	seen: string[] = [];

	async handle(event: DomainEvent): Promise<void> {
		if (event.businessPayload.fail) throw new Error("subscriber broke");
		this.seen.push(`${event.eventName}:${event.metadata.taskUuid}`);
	}
}

class EverythingSubscriber extends BaseSubscriber {
	protected override readonly logger = quiet;
	count = 0;
	handle(): void {
		this.count++;
	}
}

const event = (eventName: string, payload: Record<string, unknown> = {}) =>
	createDomainEvent({
		eventId: "e-1",
		eventName,
		payload,
		metadata: { taskUuid: "t-1", stepUuid: "s-1", namespace: "payments", correlationId: "c", firedAt: "now" },
		executionResult: { success: true, result: payload },
	});

describe("BaseSubscriber", () => {
	it("handles the events its patterns match; `*` by default", async () => {
		const payments = new PaymentSubscriber();
		const everything = new EverythingSubscriber();
		expect(payments.matches("payment.processed")).toBe(true);
		expect(payments.matches("paymentXprocessed")).toBe(false);
		expect(payments.matches("order.created")).toBe(false);
		expect(await payments.dispatch(event("payment.processed"))).toBe(true);
		expect(await payments.dispatch(event("order.created"))).toBe(false);
		expect(await everything.dispatch(event("order.created"))).toBe(true);
		expect(payments.seen).toEqual(["payment.processed:t-1"]);
		expect(event("x", { a: 1 }).businessPayload).toEqual({ a: 1 });
	});

	it("contains a subscriber's error and stops when stopped", async () => {
		const payments = new PaymentSubscriber();
		expect(await payments.dispatch(event("payment.failed", { fail: true }))).toBe(false);
		payments.stop();
		expect(await payments.dispatch(event("payment.processed"))).toBe(false);
		expect(payments.seen).toEqual([]);
	});

	it("SubscriberRegistry offers an event to every subscriber", async () => {
		const registry = SubscriberRegistry.instance;
		registry.reset();
		registry.register(PaymentSubscriber);
		registry.registerInstance(new EverythingSubscriber());
		expect(await registry.dispatch(event("payment.processed"))).toBe(2);
		expect(await registry.dispatch(event("order.created"))).toBe(1);
		expect(registry.stats.subscribers.map((s) => s.patterns)).toEqual([["payment.*"], ["*"]]);
		registry.reset();
	});
});
