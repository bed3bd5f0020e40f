// A bench step that waits `sleep_ms` (its initialization) and succeeds: the stream benchmark's first step,
// which gives the subscribers time to connect before the timed steps run.
import { type StepContext, StepHandler, StepHandlerResult } from "tasker-edge";

export class BenchPauseHandler extends StepHandler {
	static override handlerName = "BenchPauseHandler";

	async call(context: StepContext): Promise<StepHandlerResult> {
		await new Promise((resolve) => setTimeout(resolve, context.getConfig<number>("sleep_ms") ?? 0));
		return StepHandlerResult.success({ ok: true });
	}
}
