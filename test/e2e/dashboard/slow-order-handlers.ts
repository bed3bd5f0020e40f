// The seed order's four handlers, each 700 ms slower: the browser test watches the steps turn
// complete one after another, which the real ones (a millisecond each) finish before a page loads.
import { ChargePaymentHandler } from "../../../src/handlers/order/charge-payment";
import { NotifyCustomerHandler } from "../../../src/handlers/order/notify-customer";
import { ReserveInventoryHandler } from "../../../src/handlers/order/reserve-inventory";
import { ValidateOrderHandler } from "../../../src/handlers/order/validate-order";
import { type StepContext, StepHandler, type StepHandlerResult } from "../../../src/index";

export const STEP_DELAY_MS = 700;
const pause = () => new Promise((resolve) => setTimeout(resolve, STEP_DELAY_MS));

export class SlowValidateOrderHandler extends StepHandler {
	static override handlerName = ValidateOrderHandler.handlerName;
	async call(context: StepContext): Promise<StepHandlerResult> {
		await pause();
		return new ValidateOrderHandler().call(context);
	}
}

export class SlowReserveInventoryHandler extends StepHandler {
	static override handlerName = ReserveInventoryHandler.handlerName;
	async call(context: StepContext): Promise<StepHandlerResult> {
		await pause();
		return new ReserveInventoryHandler().call(context);
	}
}

export class SlowNotifyCustomerHandler extends StepHandler {
	static override handlerName = NotifyCustomerHandler.handlerName;
	async call(context: StepContext): Promise<StepHandlerResult> {
		await pause();
		return new NotifyCustomerHandler().call(context);
	}
}

export class SlowChargePaymentHandler extends StepHandler {
	static override handlerName = ChargePaymentHandler.handlerName;
	async call(context: StepContext): Promise<StepHandlerResult> {
		await pause();
		return new ChargePaymentHandler().call(context);
	}
}
