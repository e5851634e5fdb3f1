/** Where the service reads the time. Tests inject a ManualClock instead of sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that moves when told to, and optionally by `stepMs` after every reading: a rule that compares
 * times taken at different moments must hold when they differ, which a frozen clock never shows.
 */
export class ManualClock implements Clock {
  #ms: number;
  readonly #stepMs: number;
  constructor(start: Date | string = "2026-11-27T12:00:00.000Z", options: { stepMs?: number } = {}) {
    this.#ms = new Date(start).getTime();
    this.#stepMs = options.stepMs ?? 0;
  }
  now(): Date {
    const reading = new Date(this.#ms);
    this.#ms += this.#stepMs;
    return reading;
  }
  set(to: Date | string): void {
    this.#ms = new Date(to).getTime();
  }
  advance(ms: number): void {
    this.#ms += ms;
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
