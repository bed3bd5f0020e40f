// How a task object's push reaches D1: through the fleet writer its task falls to (FLEET_WRITERS, class
// FleetWriter), or, in a Worker that binds no writers, written by the task object itself.
import { FLEET_WRITER_SHARDS } from "../limits";
import { applyFleetPushes, type FleetPush } from "./fleet-push";

/** A writer's answer: whether the push is in D1 (an error travels as a value, not a rejection). */
export type PushOutcome = { landed: true } | { landed: false; error: string };

export interface FleetWriterApi {
	push(push: FleetPush): Promise<PushOutcome>;
}

export interface FleetWritersEnv {
	TASK_INDEX: D1Database;
	FLEET_WRITERS?: Pick<DurableObjectNamespace, "idFromName" | "get">;
}

/** The writer a task's pushes go to, by its uuid: the tasks spread evenly over the writers. */
export function fleetWriterName(taskUuid: string, shards = FLEET_WRITER_SHARDS): string {
	// A uuid's last hex digits are random (UUIDv7) or hash bits (an identity's uuid): spread evenly.
	return `fleet-writer-${Number.parseInt(taskUuid.slice(-4), 16) % shards}`;
}

/** Resolves once the push is in D1; throws if it could not be written (the task object tries again). */
export async function deliverFleetPush(env: FleetWritersEnv, push: FleetPush): Promise<void> {
	const writers = env.FLEET_WRITERS;
	if (!writers) return applyFleetPushes(env.TASK_INDEX, [push]);
	const writer = writers.get(
		writers.idFromName(fleetWriterName(push.task.taskUuid)),
	) as unknown as FleetWriterApi;
	const outcome = await writer.push(push);
	if (!outcome.landed) throw new Error(`the fleet writer could not write the push: ${outcome.error}`);
}
