// Creates a submitted task unless it is a duplicate: the identity is claimed in its own Durable Object
// before any task object is created, so that of any number of concurrent duplicates exactly one is.
import { v7 as uuidv7 } from "uuid";
import type { CreateTaskInput } from "../core/create-task";
import { decideIdentity, duplicateMessage } from "../core/task-identity";
import type { TaskView } from "../core/task-views";
import { identityHash } from "../identity-hash";
import { identityObject } from "../identity-object-stub";
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
	const fresh = uuidv7();
	if (identity.kind === "unique") {
		const task = await create(env, fresh, submission);
		if (!task) throw new Error(`task ${fresh} existed before it was created (a fresh UUIDv7)`);
		return { kind: "created", taskUuid: fresh, task };
	}

	const hash = await identityHash(identity.source);
	const claim = await identityObject(env, hash).claim(fresh);
	// If the claim is ours, the task is created under our fresh uuid. If not, the identity is held by a
	// task uuid: when that task exists this is a duplicate; when it does not, its creation failed after
	// the claim (and this is likely the retry) or is still on its way. Either way this request creates
	// that same task, never another one: the task object's create is idempotent per uuid, so exactly
	// one creation happens and every other submission is answered as a duplicate. (Claiming the
	// identity over for a new uuid instead could not tell "failed" from "slow": a slow first creation
	// would then make a second task.)
	const taskUuid = claim.claimed ? fresh : claim.taskUuid;
	const exists = !claim.claimed && (await taskObject(env, taskUuid).getTask()) !== null;
	const task = exists ? null : await create(env, taskUuid, submission);
	if (!task) {
		logEvent("task.duplicate", { task_uuid: taskUuid, identity: hash });
		return { kind: "duplicate", taskUuid, message: duplicateMessage(template, identity, taskUuid) };
	}
	if (!claim.claimed) logEvent("identity.claim_completed", { task_uuid: taskUuid, identity: hash });
	return { kind: "created", taskUuid, task };
}

/** The new task's view, or null when a task with this uuid already existed (nothing was written). */
async function create(env: Env, taskUuid: string, submission: Submission): Promise<TaskView | null> {
	const { task, created } = await taskObject(env, taskUuid).create({ taskUuid, ...submission });
	return created ? task : null;
}
