// Reports step outcomes to one task object, coalescing those that finish in the same tick into one
// RPC: a wide fan-in (a hundred leaves finishing together) costs the object a few calls, not one each.
// A slow handler's outcome is not held back for others: each tick's outcomes go out on their own.
import type { StepOutcome } from "../core/step-outcome";
import type { TaskObjectApi } from "../task-object-stub";

type Reply = Awaited<ReturnType<TaskObjectApi["reportMany"]>>[number];

interface Pending {
	item: { stepUuid: string; attempt: number; outcome: StepOutcome; takeNext: boolean };
	resolve: (reply: Reply) => void;
	reject: (error: unknown) => void;
}

export class TaskReporter {
	private readonly task: TaskObjectApi;
	private pending: Pending[] = [];
	private scheduled = false;

	constructor(task: TaskObjectApi) {
		this.task = task;
	}

	report(stepUuid: string, attempt: number, outcome: StepOutcome, takeNext: boolean): Promise<Reply> {
		return new Promise((resolve, reject) => {
			this.pending.push({ item: { stepUuid, attempt, outcome, takeNext }, resolve, reject });
			if (!this.scheduled) {
				this.scheduled = true;
				// The next macrotask: every outcome that settles in this one joins the same call.
				setTimeout(() => void this.flush(), 0);
			}
		});
	}

	private async flush(): Promise<void> {
		const batch = this.pending;
		this.pending = [];
		this.scheduled = false;
		try {
			const replies = await this.task.reportMany(batch.map((p) => p.item));
			batch.forEach((p, i) => {
				const reply = replies[i];
				if (reply) p.resolve(reply);
				else p.reject(new Error("reportMany answered fewer replies than items"));
			});
		} catch (error) {
			for (const p of batch) p.reject(error);
		}
	}
}
