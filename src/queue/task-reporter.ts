// Reports step outcomes to one task object, coalescing those that finish together into one RPC: a
// wide fan-in (a hundred leaves finishing at once) costs the object a few calls, not one each. An
// outcome goes out at once when no other run of this reporter is still executing (a chain waits for
// nothing), else at the next tick, so a slow handler never holds back the others' outcomes.
import type { StepOutcome } from "../core/step-outcome";
import type { TaskObjectApi } from "../runtime/task-object-api";
import type { ReportItem } from "../runtime/task-object-replies";

type Reply = Awaited<ReturnType<TaskObjectApi["reportMany"]>>[number];

interface Pending {
	item: ReportItem;
	resolve: (reply: Reply) => void;
	reject: (error: unknown) => void;
}

/** Runs a callback at the next macrotask (the platform's `setTimeout(fn, 0)`; simulated time in the chaos suite). */
export type Defer = (callback: () => void) => void;

const nextMacrotask: Defer = (callback) => void setTimeout(callback, 0);

export class TaskReporter {
	private readonly task: Pick<TaskObjectApi, "reportMany">;
	private readonly defer: Defer;
	/** The handlers this consumer can run, sent with each report: it is handed only steps it can run. */
	private readonly handlers: readonly string[] | undefined;
	private pending: Pending[] = [];
	private scheduled = false;
	/** Runs that have started a handler and not yet reported: only they could join a pending call. */
	private running = 0;

	constructor(
		task: Pick<TaskObjectApi, "reportMany">,
		handlers?: readonly string[],
		defer: Defer = nextMacrotask,
	) {
		this.task = task;
		this.handlers = handlers;
		this.defer = defer;
	}

	/** A run starts executing a handler whose outcome this reporter will carry. */
	begin(): void {
		this.running += 1;
	}

	/** `inputsToken`: the `inputs_token` of the input the attempt ran with, if it had one. */
	report(
		stepUuid: string,
		attempt: number,
		outcome: StepOutcome,
		takeNext: boolean,
		inputsToken?: string,
	): Promise<Reply> {
		this.running = Math.max(0, this.running - 1);
		const item: ReportItem = { stepUuid, attempt, outcome, takeNext };
		if (inputsToken !== undefined) item.inputsToken = inputsToken;
		return new Promise((resolve, reject) => {
			this.pending.push({ item, resolve, reject });
			if (this.running === 0) {
				void this.flush();
			} else if (!this.scheduled) {
				this.scheduled = true;
				// The next macrotask: every outcome that settles in this one joins the same call.
				this.defer(() => void this.flush());
			}
		});
	}

	private async flush(): Promise<void> {
		const batch = this.pending;
		this.pending = [];
		this.scheduled = false;
		if (batch.length === 0) return;
		try {
			const items = batch.map((p) => p.item);
			const replies = await (this.handlers === undefined
				? this.task.reportMany(items)
				: this.task.reportMany(items, { handlers: this.handlers }));
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
