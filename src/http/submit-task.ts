// Creates a submitted task unless it is a duplicate. A deduplicated submission's task uuid is derived
// from its identity, so every duplicate reaches the same task object, whose create is first-writer-wins:
// of any number of concurrent duplicates exactly one creates the task, and the others are told its uuid.
import { v7 as uuidv7 } from "uuid";
import type { CreateTaskInput } from "../core/create-task";
import { identityTaskUuid } from "../core/identity-task-uuid";
import { decideIdentity, duplicateMessage } from "../core/task-identity";
import type { TaskView } from "../core/task-views";
import { identityHash } from "../identity-hash";
import { logEvent } from "../observability/log-event";
import { taskObject } from "../task-object-stub";
import { badRequest } from "./api-error";

export type Submission = Omit<CreateTaskInput, "taskUuid">;

export type SubmitOutcome =
	| { kind: "created"; taskUuid: string; task: TaskView }
	/** `message` names the existing task: the 409's message. */
	| { kind: "duplicate"; taskUuid: string; message: string };

export async function submitTask(
	env: Env,
	submission: Submission,
	idempotencyKey: string | undefined,
): Promise<SubmitOutcome> {
	const { template } = submission;
	const identity = decideIdentity(template, submission.context, idempotencyKey);
	if (identity.kind === "key_required") throw badRequest(identity.message);
	if (identity.kind === "unique") {
		const fresh = uuidv7();
		const task = await create(env, fresh, submission);
		if (!task) throw new Error(`task ${fresh} existed before it was created (a fresh UUIDv7)`);
		return { kind: "created", taskUuid: fresh, task };
	}

	// The identity names the task. A creation that failed before its task object committed left
	// nothing behind, so its retry simply creates the task; one that committed makes the retry a
	// duplicate naming it (the client finds the task its lost answer was about). A finished task is
	// never deleted, so a duplicate is refused for good, as the reference's unique index refuses it.
	const hash = await identityHash(identity.source);
	const taskUuid = identityTaskUuid(hash);
	const task = await create(env, taskUuid, submission);
	if (!task) {
		logEvent("task.duplicate", { task_uuid: taskUuid, identity: hash });
		return { kind: "duplicate", taskUuid, message: duplicateMessage(template, identity, taskUuid) };
	}
	return { kind: "created", taskUuid, task };
}

/** The new task's view, or null when a task with this uuid already existed (nothing was written). */
async function create(env: Env, taskUuid: string, submission: Submission): Promise<TaskView | null> {
	const { task, created } = await taskObject(env, taskUuid).create({ taskUuid, ...submission });
	return created ? task : null;
}
