// The TypeScript client of the Tasker API (`tasker-edge/client`): runs wherever `fetch` does.
export type { CamelCase, CamelCaseKeys } from "./camel-case";
export type * from "./client-types";
export type { FetchLike } from "./http-transport";
export type * from "./schedule-types";
export { StreamTimeoutError, StreamUnavailableError } from "./task-stream-client";
export { TaskerApiError, type TaskerApiErrorDetails } from "./tasker-api-error";
export {
	DEFAULT_TASKER_URL,
	TASK_REQUEST_DEFAULTS,
	TaskerClient,
	type TaskerClientOptions,
} from "./tasker-client";
export { TaskerTimeoutError } from "./tasker-timeout-error";
