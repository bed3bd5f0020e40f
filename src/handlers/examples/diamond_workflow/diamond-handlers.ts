// The diamond workflow (namespace diamond_workflow_example): one start step, two branches that run in parallel on
// its result, and an end step that waits for both. With even_number 6: start 36, branch B 36 + 25 = 61,
// branch C 36 × 2 = 72, end (61 + 72) / 2 = 66.5.
import { type StepContext, StepHandler, type StepHandlerResult } from "tasker-edge";
import { evenNumberInput, numberConfig, numberFrom } from "../number-input";

/** n → n² */
export class DiamondStartHandler extends StepHandler {
	static handlerName = "Examples.diamond_workflow.step_handlers.DiamondStartHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const input = evenNumberInput(context);
		return this.success({ squared_value: input * input, operation: "square", input });
	}
}

/** Left branch: n² + constant */
export class DiamondBranchBHandler extends StepHandler {
	static handlerName = "Examples.diamond_workflow.step_handlers.DiamondBranchBHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const input = numberFrom(context, "diamond_start_ts", "squared_value");
		const constant = numberConfig(context, "constant", 25);
		return this.success({ branch_b_value: input + constant, operation: "add", constant, input });
	}
}

/** Right branch: n² × factor */
export class DiamondBranchCHandler extends StepHandler {
	static handlerName = "Examples.diamond_workflow.step_handlers.DiamondBranchCHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const input = numberFrom(context, "diamond_start_ts", "squared_value");
		const factor = numberConfig(context, "factor", 2);
		return this.success({
			branch_c_value: input * factor,
			operation: "multiply",
			factor,
			input,
		});
	}
}

/** The convergence: the mean of both branches. */
export class DiamondEndHandler extends StepHandler {
	static handlerName = "Examples.diamond_workflow.step_handlers.DiamondEndHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const branchB = numberFrom(context, "diamond_branch_b_ts", "branch_b_value");
		const branchC = numberFrom(context, "diamond_branch_c_ts", "branch_c_value");
		return this.success({
			final_value: (branchB + branchC) / 2,
			operation: "average",
			branch_b_value: branchB,
			branch_c_value: branchC,
		});
	}
}
