// A compile-time check that two types are the same, both ways: a response schema and the view it describes
// (built elsewhere from records) must not drift apart, and `tsc` is where that is cheapest to notice.

/** true when A and B are identical (optional vs required, readonly and literal types all count). */
export type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Fails to compile unless T is true; used as `export type _Check = Assert<Same<A, B>>`. */
export type Assert<T extends true> = T;
