// The platform floor: a Durable Object doing N bare sequential hops (alarm -> queue.send -> consumer -> RPC back
// -> one storage write -> next alarm) with no orchestration logic, timed inside the object. One sequential step
// of a queue-driven engine cannot cost less than this on the same platform.
import { DurableObject } from "cloudflare:workers";
import { Waiters } from "../../src/runtime/waiters";
import type { BenchEnv } from "./bench-env";

/** `alarm`: each hop is sent from an alarm (the brief's floor). `direct`: sent from the RPC itself, no alarm. */
export type FloorMode = "alarm" | "direct";
export const FLOOR_MODES: readonly FloorMode[] = ["alarm", "direct"];

export interface FloorRun {
	run: string;
	hops: number;
	mode: FloorMode;
	/** Hops whose RPC came back. */
	done: number;
	/** The object's clock (whole ms) when the run was started and when the last hop came back. */
	startedAt: number;
	finishedAt: number | null;
}

export class FloorObject extends DurableObject<BenchEnv> {
	/** The run's row, cached: a hop writes it and never reads it, as an engine would keep its hot state. */
	private state: FloorRun | null = null;
	private readonly waiters = new Waiters();

	constructor(ctx: DurableObjectState, env: BenchEnv) {
		super(ctx, env);
		ctx.storage.sql.exec(
			"CREATE TABLE IF NOT EXISTS run (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL)",
		);
		const row = ctx.storage.sql.exec("SELECT state FROM run WHERE id = 1").toArray()[0];
		if (row) this.state = JSON.parse(String(row.state)) as FloorRun;
	}

	async start(run: string, hops: number, mode: FloorMode): Promise<void> {
		if (this.state) throw new Error(`floor run ${run} was already started`);
		this.save({ run, hops, mode, done: 0, startedAt: Date.now(), finishedAt: null });
		await this.next();
	}

	async hop(hop: number): Promise<void> {
		const state = this.state;
		// A redelivered message: already counted.
		if (!state || hop !== state.done + 1) return;
		state.done = hop;
		if (hop === state.hops) state.finishedAt = Date.now();
		this.save(state);
		if (state.finishedAt !== null) {
			this.waiters.wakeAll();
			return;
		}
		await this.next();
	}

	override async alarm(): Promise<void> {
		if (this.state) await this.send(this.state);
	}

	/** The run; with `waitMs`, answers as soon as it has finished, or when the wait runs out. */
	async result(waitMs: number): Promise<FloorRun | null> {
		if (!this.state || this.state.finishedAt !== null || waitMs <= 0) return this.state;
		await this.waiters.wait(waitMs);
		return this.state;
	}

	private async next(): Promise<void> {
		const state = this.state;
		if (!state) return;
		if (state.mode === "alarm") await this.ctx.storage.setAlarm(Date.now());
		else await this.send(state);
	}

	private async send(state: FloorRun): Promise<void> {
		await this.env.FLOOR_QUEUE.send({ run: state.run, hop: state.done + 1 }, { contentType: "json" });
	}

	/** The hop's one storage write. */
	private save(state: FloorRun): void {
		this.state = state;
		this.ctx.storage.sql.exec(
			"INSERT INTO run (id, state) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state",
			JSON.stringify(state),
		);
	}
}
