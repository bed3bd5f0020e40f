// The one error every failed request raises: the server's error envelope, an unreadable answer, or no answer.

export interface TaskerApiErrorDetails {
	/** The server's `X-Request-Id`, which its log names; absent when no answer came. */
	requestId?: string;
	/** The `Location` of a 409 duplicate submission: the task that holds that identity. */
	location?: string;
}

export class TaskerApiError extends Error {
	override readonly name = "TaskerApiError";
	/** The HTTP status; 0 when the server could not be reached. */
	readonly status: number;
	/** The envelope's code (`NOT_FOUND`, `CONFLICT`, ...), `HTTP_<status>` for a non-JSON answer, or `NETWORK_ERROR`. */
	readonly code: string;
	readonly requestId: string | undefined;
	readonly location: string | undefined;

	constructor(status: number, code: string, message: string, details: TaskerApiErrorDetails = {}) {
		super(message);
		this.status = status;
		this.code = code;
		this.requestId = details.requestId;
		this.location = details.location;
	}
}
