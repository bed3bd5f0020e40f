# The benchmarks' step handler in Python (npm run bench:python): does nothing and returns a tiny result at
# once, as bench/handlers/noop-handler.ts does, so what is timed is orchestration and the pull round trips.
from tasker_core import StepHandler, StepHandlerResult


class BenchNoopHandler(StepHandler):
    handler_name = "BenchNoopHandler"

    def call(self, context):
        return StepHandlerResult.success({"ok": True})
