// collectHandlers / buildHandlerRegistry: handler classes found among module exports, every problem reported.
import { type StepContext, StepHandler, StepHandlerResult } from "tasker-edge";
import { describe, expect, it } from "vitest";
import * as chargePayment from "../../src/handlers/order/charge-payment";
import * as notifyCustomer from "../../src/handlers/order/notify-customer";
import * as orderIds from "../../src/handlers/order/order-ids";
import * as reserveInventory from "../../src/handlers/order/reserve-inventory";
import * as validateOrder from "../../src/handlers/order/validate-order";
import { buildHandlerRegistry, collectHandlers } from "../../src/registry/handler-registry";

class AlphaHandler extends StepHandler {
	static override handlerName = "Alpha";
	call(): StepHandlerResult {
		return StepHandlerResult.success("a");
	}
}

class BetaHandler extends StepHandler {
	static override handlerName = "Beta";
	call(): StepHandlerResult {
		return StepHandlerResult.success("b");
	}
}

class AlsoAlphaHandler extends StepHandler {
	static override handlerName = "Alpha";
	call(): StepHandlerResult {
		return StepHandlerResult.success("a2");
	}
}

class NamelessHandler extends StepHandler {
	call(): StepHandlerResult {
		return StepHandlerResult.success(null);
	}
}

class EmptyNameHandler extends StepHandler {
	static override handlerName = "";
	call(): StepHandlerResult {
		return StepHandlerResult.success(null);
	}
}

class AlphaVariant extends AlphaHandler {}

describe("collectHandlers", () => {
	it("registers every StepHandler subclass by its handlerName and ignores other exports", () => {
		const collected = collectHandlers([
			{ path: "src/handlers/a.ts", exports: { AlphaHandler, helper: () => 1, VERSION: "1", StepHandler } },
			{ path: "src/handlers/b.ts", exports: { default: BetaHandler, SomeClass: class Other {} } },
		]);
		expect(collected.ok).toBe(true);
		if (!collected.ok) return;
		expect(collected.registry.names()).toEqual(["Alpha", "Beta"]);
		expect(collected.registry.size).toBe(2);
		expect(collected.registry.get("Alpha")).toBe(AlphaHandler);
		expect(collected.registry.get("Beta")).toBe(BetaHandler);
		expect(collected.registry.get("Gamma")).toBeUndefined();
		expect(collected.registry.get("constructor")).toBeUndefined();
	});

	it("does not count a re-exported class as a duplicate", () => {
		const collected = collectHandlers([
			{ path: "src/handlers/a.ts", exports: { AlphaHandler } },
			{ path: "src/handlers/index.ts", exports: { AlphaHandler, Alias: AlphaHandler } },
		]);
		expect(collected.ok).toBe(true);
		if (collected.ok) expect(collected.registry.names()).toEqual(["Alpha"]);
	});

	it("reports every problem: duplicates and classes without a handlerName", () => {
		const collected = collectHandlers([
			{ path: "src/handlers/a.ts", exports: { AlphaHandler, NamelessHandler } },
			{ path: "src/handlers/b.ts", exports: { AlsoAlphaHandler, EmptyNameHandler } },
		]);
		expect(collected).toEqual({
			ok: false,
			problems: [
				"src/handlers/a.ts: class NamelessHandler extends StepHandler but has no static handlerName",
				'duplicate handler name "Alpha": src/handlers/a.ts (AlphaHandler) and src/handlers/b.ts (AlsoAlphaHandler)',
				"src/handlers/b.ts: class EmptyNameHandler extends StepHandler but has no static handlerName",
			],
		});
	});

	it("rejects a subclass that only inherits its parent's handlerName", () => {
		const collected = collectHandlers([
			{ path: "src/handlers/a.ts", exports: { AlphaHandler } },
			{ path: "src/handlers/variant.ts", exports: { AlphaVariant } },
		]);
		expect(collected).toEqual({
			ok: false,
			problems: [
				'src/handlers/variant.ts: class AlphaVariant extends StepHandler but has no static handlerName of its own (it would inherit "Alpha")',
			],
		});
	});

	it("recognises subclasses of a second copy of StepHandler", () => {
		// What a separately bundled copy of the API looks like: same brand symbol, different class identity.
		abstract class ForeignStepHandler {
			abstract call(context: StepContext): StepHandlerResult;
		}
		Object.defineProperty(ForeignStepHandler, Symbol.for("tasker-edge.StepHandler"), { value: true });
		class ForeignHandler extends ForeignStepHandler {
			static handlerName = "Foreign";
			call(): StepHandlerResult {
				return StepHandlerResult.success(1);
			}
		}
		class ForeignNameless extends ForeignStepHandler {
			call(): StepHandlerResult {
				return StepHandlerResult.success(1);
			}
		}
		const ok = collectHandlers([{ path: "x.ts", exports: { ForeignStepHandler, ForeignHandler } }]);
		expect(ok.ok && ok.registry.names()).toEqual(["Foreign"]);
		const bad = collectHandlers([{ path: "y.ts", exports: { ForeignNameless } }]);
		expect(bad).toEqual({
			ok: false,
			problems: ["y.ts: class ForeignNameless extends StepHandler but has no static handlerName"],
		});
	});

	it("recognises a duck-typed handler class (call method and static handlerName)", () => {
		class Ducky {
			static handlerName = "Ducky";
			call(): StepHandlerResult {
				return StepHandlerResult.success(1);
			}
		}
		const collected = collectHandlers([{ path: "d.ts", exports: { Ducky } }]);
		expect(collected.ok && collected.registry.names()).toEqual(["Ducky"]);
	});

	it("returns a copy of the names", () => {
		const collected = collectHandlers([{ path: "a.ts", exports: { AlphaHandler } }]);
		if (!collected.ok) throw new Error("expected ok");
		collected.registry.names().push("Injected");
		expect(collected.registry.names()).toEqual(["Alpha"]);
	});

	it("registers the seed's four order handlers (order-ids exports no handler)", () => {
		const registry = buildHandlerRegistry([
			{ path: "src/handlers/order/validate-order.ts", exports: validateOrder },
			{ path: "src/handlers/order/reserve-inventory.ts", exports: reserveInventory },
			{ path: "src/handlers/order/notify-customer.ts", exports: notifyCustomer },
			{ path: "src/handlers/order/charge-payment.ts", exports: chargePayment },
			{ path: "src/handlers/order/order-ids.ts", exports: orderIds },
		]);
		expect(registry.names()).toEqual([
			"ChargePaymentHandler",
			"NotifyCustomerHandler",
			"ReserveInventoryHandler",
			"ValidateOrderHandler",
		]);
		expect(registry.get("ValidateOrderHandler")).toBe(validateOrder.ValidateOrderHandler);
	});
});

describe("buildHandlerRegistry", () => {
	it("throws one Error listing every problem", () => {
		expect(() =>
			buildHandlerRegistry([
				{ path: "src/handlers/a.ts", exports: { AlphaHandler, NamelessHandler } },
				{ path: "src/handlers/b.ts", exports: { AlsoAlphaHandler } },
			]),
		).toThrow(
			[
				"invalid step handlers:",
				"  - src/handlers/a.ts: class NamelessHandler extends StepHandler but has no static handlerName",
				'  - duplicate handler name "Alpha": src/handlers/a.ts (AlphaHandler) and src/handlers/b.ts (AlsoAlphaHandler)',
			].join("\n"),
		);
	});

	it("returns an empty registry for no modules", () => {
		const registry = buildHandlerRegistry([]);
		expect(registry.size).toBe(0);
		expect(registry.names()).toEqual([]);
	});
});
