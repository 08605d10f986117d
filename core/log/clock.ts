// Time source for rolling, retention and compaction; tests inject a fake one.
export interface Clock { now(): number }
export const systemClock: Clock = { now: () => Date.now() }
