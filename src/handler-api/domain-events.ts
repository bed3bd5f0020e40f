// Domain events as handler code sees them (the reference's BasePublisher, BaseSubscriber, DomainEvent and
// their registries). A publisher shapes the event a completed step publishes (its payload and metadata, or
// whether to publish at all); a subscriber handles the events whose names match its patterns (`payment.*`).
// Where events travel is the engine's business: these classes only transform, filter and dispatch.
import type { StepHandlerResult } from "./step-handler-result";

/** The logger publishers and subscribers get as `this.logger`: a message, or fields then a message. */
export interface DomainEventLogger {
	debug(fieldsOrMessage: unknown, message?: string): void;
	info(fieldsOrMessage: unknown, message?: string): void;
	warn(fieldsOrMessage: unknown, message?: string): void;
	error(fieldsOrMessage: unknown, message?: string): void;
}

function consoleLogger(component: string): DomainEventLogger {
	const write =
		(level: "debug" | "info" | "warn" | "error") =>
		(fieldsOrMessage: unknown, message?: string): void => {
			if (typeof fieldsOrMessage === "string") console[level](`[${component}] ${fieldsOrMessage}`);
			else console[level](`[${component}] ${message ?? ""}`, fieldsOrMessage);
		};
	return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

const log = consoleLogger("domain-events");

/** The step an event comes from, as a publisher sees it. */
export interface StepEventContext {
	readonly taskUuid: string;
	readonly stepUuid: string;
	readonly stepName: string;
	readonly namespace: string;
	readonly correlationId: string;
	readonly result?: Record<string, unknown>;
	readonly metadata: Record<string, unknown>;
	/** The task, with its `context` (the submitted input). */
	readonly task: { readonly context: Record<string, unknown>; readonly [key: string]: unknown };
}

/** A step's `publishes_events` entry. */
export interface EventDeclaration {
	readonly name: string;
	readonly condition?: "success" | "failure" | "retryable_failure" | "permanent_failure" | "always";
	readonly deliveryMode?: "durable" | "fast" | "broadcast";
	/** The name of the custom publisher (`publisherName`) that shapes it. */
	readonly publisher?: string;
	readonly schema?: Record<string, unknown>;
}

/** What a subscriber receives about the step's execution. */
export interface StepResult {
	readonly success: boolean;
	readonly result?: Record<string, unknown>;
	readonly metadata?: Record<string, unknown>;
}

export interface DomainEventMetadata {
	readonly taskUuid: string;
	readonly stepUuid: string;
	readonly stepName?: string;
	readonly namespace: string;
	readonly correlationId: string;
	readonly firedAt: string;
	readonly publisher?: string;
	readonly [key: string]: unknown;
}

export interface DomainEvent {
	readonly eventId: string;
	readonly eventName: string;
	readonly payload: Record<string, unknown>;
	/** The same object as `payload` (the name the other SDKs use). */
	readonly businessPayload: Record<string, unknown>;
	readonly metadata: DomainEventMetadata;
	readonly executionResult: StepResult;
}

export interface PublishContext {
	readonly eventName: string;
	readonly stepResult: StepHandlerResult;
	readonly eventDeclaration?: EventDeclaration;
	readonly stepContext?: StepEventContext | null;
}

/** An event ready to be sent: the transformed payload and the publisher's metadata. */
export interface PreparedEvent {
	readonly eventName: string;
	readonly payload: Record<string, unknown>;
	readonly metadata: Record<string, unknown>;
}

/** Shapes the events of the steps that name it (`publisher:` in `publishes_events`). Override the hooks. */
export abstract class BasePublisher {
	protected readonly logger: DomainEventLogger = log;

	abstract readonly publisherName: string;

	/** The event's payload; the step's result by default. */
	protected transformPayload(
		stepResult: StepHandlerResult,
		_eventDeclaration: EventDeclaration,
		_stepContext: StepEventContext | null,
	): Record<string, unknown> {
		return stepResult.result ?? {};
	}

	/** Whether to publish at all; true by default. */
	protected shouldPublish(
		_stepResult: StepHandlerResult,
		_eventDeclaration: EventDeclaration,
		_stepContext: StepEventContext | null,
	): boolean {
		return true;
	}

	/** Metadata merged over the publisher's own. */
	protected additionalMetadata(
		_stepResult: StepHandlerResult,
		_eventDeclaration: EventDeclaration,
		_stepContext: StepEventContext | null,
	): Record<string, unknown> {
		return {};
	}

	/** Returning `false` vetoes the event. */
	protected beforePublish(
		eventName: string,
		_payload: Record<string, unknown>,
		_metadata: Record<string, unknown>,
		// biome-ignore lint/suspicious/noConfusingVoidType: an override that returns nothing (void) means "go ahead"
	): boolean | void {
		this.logger.debug({ eventName }, "Publishing event");
		return true;
	}

	protected afterPublish(
		eventName: string,
		_payload: Record<string, unknown>,
		_metadata: Record<string, unknown>,
	): void {
		this.logger.debug({ eventName }, "Event published");
	}

	protected onPublishError(eventName: string, error: Error, _payload: Record<string, unknown>): void {
		this.logger.error({ eventName, error: error.message }, "Failed to publish event");
	}

	/**
	 * Runs the hooks and returns the event to send, or null when a hook declined it or failed (a publisher's
	 * error never fails the step: it is reported to `onPublishError` and the event is dropped).
	 */
	prepare(ctx: PublishContext, now: () => Date = () => new Date()): PreparedEvent | null {
		const declaration = ctx.eventDeclaration ?? { name: ctx.eventName };
		const stepContext = ctx.stepContext ?? null;
		let payload: Record<string, unknown> = {};
		try {
			if (!this.shouldPublish(ctx.stepResult, declaration, stepContext)) return null;
			payload = this.transformPayload(ctx.stepResult, declaration, stepContext);
			const metadata: Record<string, unknown> = {
				publisher: this.publisherName,
				publishedAt: now().toISOString(),
			};
			if (stepContext) {
				metadata.taskUuid = stepContext.taskUuid;
				metadata.stepUuid = stepContext.stepUuid;
				metadata.stepName = stepContext.stepName;
				metadata.namespace = stepContext.namespace;
			}
			Object.assign(metadata, this.additionalMetadata(ctx.stepResult, declaration, stepContext));
			if (this.beforePublish(ctx.eventName, payload, metadata) === false) return null;
			this.afterPublish(ctx.eventName, payload, metadata);
			return { eventName: ctx.eventName, payload, metadata };
		} catch (error) {
			this.onPublishError(ctx.eventName, error instanceof Error ? error : new Error(String(error)), payload);
			return null;
		}
	}

	/** The reference's form: whether the event is to be published. */
	publish(ctx: PublishContext): boolean {
		return this.prepare(ctx) !== null;
	}
}

/** Publishes the step's result as the payload. */
export class DefaultPublisher extends BasePublisher {
	readonly publisherName = "default";
}

export interface SubscriberClass {
	subscribesTo(): string[];
	new (): BaseSubscriber;
}

function matchesPattern(eventName: string, pattern: string): boolean {
	if (pattern === "*") return true;
	const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
	return new RegExp(`^${escaped}$`).test(eventName);
}

/**
 * Handles the events whose names match its patterns: set `protected patterns = ["payment.*"]` (or a static
 * `subscribesTo()`), implement `handle`. A handler's error goes to `onHandleError`, never further.
 */
export abstract class BaseSubscriber {
	protected readonly logger: DomainEventLogger = log;
	/** `*` matches any run of characters; `["*"]` (everything) by default. */
	protected patterns: string[];
	#active = true;

	constructor() {
		this.patterns = (this.constructor as { subscribesTo?: () => string[] }).subscribesTo?.() ?? ["*"];
	}

	static subscribesTo(): string[] {
		return ["*"];
	}

	get active(): boolean {
		return this.#active;
	}

	get subscriptions(): readonly string[] {
		return this.patterns;
	}

	abstract handle(event: DomainEvent): void | Promise<void>;

	/** Returning false skips the event. */
	protected beforeHandle(_event: DomainEvent): boolean {
		return true;
	}

	protected afterHandle(_event: DomainEvent): void {}

	protected onHandleError(event: DomainEvent, error: Error): void {
		this.logger.error(
			{ eventName: event.eventName, error: error.message },
			`${this.constructor.name}: Failed to handle event`,
		);
	}

	matches(eventName: string): boolean {
		return this.patterns.some((pattern) => matchesPattern(eventName, pattern));
	}

	/** Handles `event` if it matches and the subscriber is active; true when `handle` ran without error. */
	async dispatch(event: DomainEvent): Promise<boolean> {
		if (!this.#active || !this.matches(event.eventName) || !this.beforeHandle(event)) return false;
		try {
			await this.handle(event);
			this.afterHandle(event);
			return true;
		} catch (error) {
			this.onHandleError(event, error instanceof Error ? error : new Error(String(error)));
			return false;
		}
	}

	start(): void {
		this.#active = true;
	}

	stop(): void {
		this.#active = false;
	}
}

export class PublisherNotFoundError extends Error {
	readonly publisherName: string;
	readonly registeredPublishers: string[];

	constructor(name: string, registered: string[]) {
		super(`Publisher '${name}' not found. Registered: ${registered.join(", ")}`);
		this.name = "PublisherNotFoundError";
		this.publisherName = name;
		this.registeredPublishers = registered;
	}
}

export class PublisherValidationError extends Error {
	readonly missingPublishers: string[];
	readonly registeredPublishers: string[];

	constructor(missing: string[], registered: string[]) {
		super(`Missing publishers: ${missing.join(", ")}. Registered: ${registered.join(", ")}`);
		this.name = "PublisherValidationError";
		this.missingPublishers = missing;
		this.registeredPublishers = registered;
	}
}

export class RegistryFrozenError extends Error {
	constructor() {
		super("Registry is frozen after validation");
		this.name = "RegistryFrozenError";
	}
}

export class DuplicatePublisherError extends Error {
	readonly publisherName: string;

	constructor(name: string) {
		super(`Publisher '${name}' is already registered`);
		this.name = "DuplicatePublisherError";
		this.publisherName = name;
	}
}

/** Custom publishers by name; `default` is always there. `PublisherRegistry.instance` is the shared one. */
export class PublisherRegistry {
	static #instance: PublisherRegistry | null = null;
	readonly #publishers = new Map<string, BasePublisher>();
	readonly #default = new DefaultPublisher();
	#frozen = false;

	static get instance(): PublisherRegistry {
		PublisherRegistry.#instance ??= new PublisherRegistry();
		return PublisherRegistry.#instance;
	}

	register(publisher: BasePublisher): void {
		if (this.#frozen) throw new RegistryFrozenError();
		if (this.#publishers.has(publisher.publisherName))
			throw new DuplicatePublisherError(publisher.publisherName);
		this.#publishers.set(publisher.publisherName, publisher);
	}

	get(name: string): BasePublisher | undefined {
		return this.#publishers.get(name);
	}

	/** The named publisher, or the default one when it has no name or is not registered. */
	getOrDefault(name?: string): BasePublisher {
		if (!name || name === "default") return this.#default;
		return this.#publishers.get(name) ?? this.#default;
	}

	getStrict(name: string): BasePublisher {
		if (name === "default") return this.#default;
		const publisher = this.#publishers.get(name);
		if (!publisher) throw new PublisherNotFoundError(name, this.registeredNames);
		return publisher;
	}

	isRegistered(name: string): boolean {
		return name === "default" || this.#publishers.has(name);
	}

	get registeredNames(): string[] {
		return [...this.#publishers.keys()];
	}

	get count(): number {
		return this.#publishers.size;
	}

	get isEmpty(): boolean {
		return this.#publishers.size === 0;
	}

	get isFrozen(): boolean {
		return this.#frozen;
	}

	unregister(name: string): boolean {
		if (this.#frozen) throw new RegistryFrozenError();
		return this.#publishers.delete(name);
	}

	clear(): void {
		if (this.#frozen) throw new RegistryFrozenError();
		this.#publishers.clear();
	}

	/** Throws naming every publisher the templates need but nobody registered; then freezes the registry. */
	validateRequired(requiredPublishers: string[]): void {
		const missing = requiredPublishers.filter((name) => !this.isRegistered(name));
		if (missing.length > 0) throw new PublisherValidationError(missing, this.registeredNames);
		this.#frozen = true;
	}

	freeze(): void {
		this.#frozen = true;
	}

	reset(): void {
		this.#publishers.clear();
		this.#frozen = false;
	}
}

export interface SubscriberStats {
	readonly subscriberCount: number;
	readonly activeCount: number;
	readonly subscribers: ReadonlyArray<{
		readonly className: string;
		readonly active: boolean;
		readonly patterns: readonly string[];
	}>;
}

/** Subscribers (classes or instances) that every event is offered to. `SubscriberRegistry.instance` is the shared one. */
export class SubscriberRegistry {
	static #instance: SubscriberRegistry | null = null;
	readonly #subscribers: BaseSubscriber[] = [];

	static get instance(): SubscriberRegistry {
		SubscriberRegistry.#instance ??= new SubscriberRegistry();
		return SubscriberRegistry.#instance;
	}

	register(subscriberClass: SubscriberClass): void {
		this.#subscribers.push(new subscriberClass());
	}

	registerInstance(subscriber: BaseSubscriber): void {
		this.#subscribers.push(subscriber);
	}

	/** Offers `event` to every subscriber in turn; returns how many handled it. */
	async dispatch(event: DomainEvent): Promise<number> {
		let handled = 0;
		for (const subscriber of this.#subscribers) {
			if (await subscriber.dispatch(event)) handled++;
		}
		return handled;
	}

	get count(): number {
		return this.#subscribers.length;
	}

	get stats(): SubscriberStats {
		return {
			subscriberCount: this.#subscribers.length,
			activeCount: this.#subscribers.filter((s) => s.active).length,
			subscribers: this.#subscribers.map((s) => ({
				className: s.constructor.name,
				active: s.active,
				patterns: s.subscriptions,
			})),
		};
	}

	reset(): void {
		this.#subscribers.length = 0;
	}
}

export function createStepEventContext(data: {
	taskUuid: string;
	stepUuid: string;
	stepName: string;
	namespace?: string;
	correlationId?: string;
	result?: Record<string, unknown>;
	metadata?: Record<string, unknown>;
	taskContext?: Record<string, unknown>;
}): StepEventContext {
	const base = {
		taskUuid: data.taskUuid,
		stepUuid: data.stepUuid,
		stepName: data.stepName,
		namespace: data.namespace ?? "default",
		correlationId: data.correlationId ?? data.taskUuid,
		metadata: data.metadata ?? {},
		task: { context: data.taskContext ?? {} },
	};
	return data.result === undefined ? base : { ...base, result: data.result };
}

export function createDomainEvent(data: {
	eventId: string;
	eventName: string;
	payload: Record<string, unknown>;
	metadata: Record<string, unknown>;
	executionResult: StepResult;
}): DomainEvent {
	return {
		eventId: data.eventId,
		eventName: data.eventName,
		payload: data.payload,
		businessPayload: data.payload,
		metadata: data.metadata as DomainEventMetadata,
		executionResult: data.executionResult,
	};
}
