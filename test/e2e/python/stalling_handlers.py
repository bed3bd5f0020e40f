# A worker that dies mid-step, for the e2e test: the guide's ValidateOrderHandler, except that it
# announces it has started and then never finishes (the test SIGKILLs its process meanwhile).
import sys
import time

from tasker_core import StepHandler


class StallingValidateOrderHandler(StepHandler):
    handler_name = "ValidateOrderHandler"

    def call(self, context):
        print(f"stalling in {context.step_name} of {context.task_uuid}", file=sys.stderr, flush=True)
        time.sleep(600)
