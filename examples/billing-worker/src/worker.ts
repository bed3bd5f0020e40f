// The billing handler Worker's entry: its queue consumer runs the billing namespace's steps.
import { createHandlerWorker } from "tasker-edge";
import {
	ApplyDiscountHandler,
	ApplyTaxHandler,
	IssueInvoiceHandler,
	PriceLinesHandler,
} from "./billing-handlers";

export default createHandlerWorker({
	handlers: [PriceLinesHandler, ApplyTaxHandler, ApplyDiscountHandler, IssueInvoiceHandler],
});
