// The linear workflow (namespace linear_workflow_example): four steps in a chain, each one arithmetic operation on
// the previous step's result. With even_number 6: 6² = 36, 36 + 10 = 46, 46 × 3 = 138, 138 / 2 = 69.
// The constants come from each step's handler.initialization (the template's), with the reference's values
// as defaults.
import { type StepContext, StepHandler, type StepHandlerResult } from "tasker-edge";
import { evenNumberInput, numberConfig, numberFrom } from "../number-input";

/** n → n² */
export class LinearStep1Handler extends StepHandler {
	static handlerName = "Examples.LinearWorkflow.StepHandlers.LinearStep1Handler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const input = evenNumberInput(context);
		return this.success({ squared_value: input * input, operation: "square", input });
	}
}

/** n² → n² + constant */
export class LinearStep2Handler extends StepHandler {
	static handlerName = "Examples.LinearWorkflow.StepHandlers.LinearStep2Handler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const input = numberFrom(context, "linear_step_1", "squared_value");
		const constant = numberConfig(context, "constant", 10);
		return this.success({ added_value: input + constant, operation: "add", constant, input });
	}
}

/** → × factor */
export class LinearStep3Handler extends StepHandler {
	static handlerName = "Examples.LinearWorkflow.StepHandlers.LinearStep3Handler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const input = numberFrom(context, "linear_step_2", "added_value");
		const factor = numberConfig(context, "factor", 3);
		return this.success({
			multiplied_value: input * factor,
			operation: "multiply",
			factor,
			input,
		});
	}
}

/** → ÷ divisor: the workflow's final value */
export class LinearStep4Handler extends StepHandler {
	static handlerName = "Examples.LinearWorkflow.StepHandlers.LinearStep4Handler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const input = numberFrom(context, "linear_step_3", "multiplied_value");
		const divisor = numberConfig(context, "divisor", 2);
		return this.success({ final_value: input / divisor, operation: "divide", divisor, input });
	}
}
