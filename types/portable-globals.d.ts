// The few globals that Workers and Node both provide, declared alone for the portability check of the
// task runtime (tsconfig.runtime.json): code that needs anything else of either platform fails there.
declare const console: { log(...data: unknown[]): void };
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
