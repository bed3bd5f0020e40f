// `npm run generate:billing`: opts the billing example in. Validates its templates against its handlers,
// writes them as a registry for the orchestrator's billing entry, and writes the orchestrator's config
// with the billing namespace routed to its queue (derived from wrangler.toml; see lib/billing-example.ts).
import { BILLING_EXAMPLE, writeBillingExample } from "./lib/billing-example";
import { formatReport } from "./lib/load-project";

async function main(): Promise<number> {
	const result = await writeBillingExample();
	if (!result.ok) {
		for (const line of formatReport(result.registry.problems)) console.error(line);
		return 1;
	}
	const { registry } = result;
	console.log(
		`billing example: ${registry.templateCount} template(s) checked against ${registry.handlerCount} handler(s) -> ${registry.outFile}`,
	);
	console.log(
		`billing example: orchestrator config -> ${BILLING_EXAMPLE.orchestratorConfig}${result.configWritten ? "" : " (unchanged)"}`,
	);
	return 0;
}

process.exitCode = await main();
