// A deep copy of a record that is JSON data (what the store reads back from SQLite is nothing else).
// The store hands out a fresh copy on every read, since the engine changes the records it reads; in the
// Workers runtime a JSON round trip costs a fraction of structuredClone, a platform call, per copy.
export function jsonCopy<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}
