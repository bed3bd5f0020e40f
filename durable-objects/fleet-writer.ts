// A fleet writer: task objects hand it their pushes to the fleet-wide views in D1 (task index, metrics,
// analytics, DLQ), and it writes the pushes that arrive together in one batch of a few statements, where
// each task would otherwise make a D1 request of its own. D1 is one database for the whole fleet, so its
// requests are what bounds the fleet's throughput; here they grow with the load far more slowly.
//
// It holds nothing durable. A push stays staged in its task object until the writer's reply says it
// landed; a writer lost mid-write costs that task a retry (its alarm), and a retried push that had in
// fact landed changes nothing (see src/fleet/fleet-push.ts).
import { DurableObject } from "cloudflare:workers";
import { applyFleetPushes, type FleetPush } from "../src/fleet/fleet-push";
import type { FleetWriterApi, PushOutcome } from "../src/fleet/fleet-writer-stub";
import { GroupCommit } from "../src/fleet/group-commit";
import { FLEET_WRITER_LINGER_MS, FLEET_WRITER_MAX_GROUP } from "../src/limits";
import { configureLogging } from "../src/observability/log-event";

export class FleetWriter extends DurableObject<Env> implements FleetWriterApi {
	// The binding is read at each write, not captured: tests swap it for a faulty double.
	private readonly commits = new GroupCommit<FleetPush>(
		(pushes) => applyFleetPushes(this.env.TASK_INDEX, pushes),
		{ maxGroup: FLEET_WRITER_MAX_GROUP, lingerMs: FLEET_WRITER_LINGER_MS },
	);

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		configureLogging(env);
	}

	/** Answers once the push is in D1, or that it could not be written (the task object retries). */
	async push(push: FleetPush): Promise<PushOutcome> {
		try {
			await this.commits.submit(push);
			return { landed: true };
		} catch (error) {
			return { landed: false, error: String(error) };
		}
	}
}
