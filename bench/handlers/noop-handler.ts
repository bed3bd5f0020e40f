// The benchmarks' step handler: does nothing and returns a tiny result at once, so what is timed is orchestration.
import { StepHandler, StepHandlerResult } from "tasker-edge";

export class BenchNoopHandler extends StepHandler {
	static override handlerName = "BenchNoopHandler";

	call(): StepHandlerResult {
		return StepHandlerResult.success({ ok: true });
	}
}
