/**
 * Keeps the script from taking the host down with it and records what it leaves pending:
 * `process.exit()` ends the script (not the thread, not the host), `process.kill` of our own
 * process and `process.abort` are refused, and timers remember the call that created them.
 */

/** Thrown by the script's `process.exit(code)`; unwinds the script like an exception. */
export class ExitRequest extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code}) called`);
    this.name = 'ExitRequest';
  }
}

interface PendingTimer {
  kind: 'setTimeout' | 'setInterval' | 'setImmediate';
  site: number;
  handle: { hasRef?(): boolean };
}

export interface PendingWork {
  timers: { kind: PendingTimer['kind']; site: number }[];
  /** Other resources keeping the event loop alive (`process.getActiveResourcesInfo()`). */
  others: string[];
}

export class ProcessGuards {
  private readonly timers = new Set<PendingTimer>();

  /** `currentSite()`: the call site executing now (for where a timer was created). */
  constructor(private readonly currentSite: () => number) {}

  install(): void {
    const exit = (code?: number | string | null): never => {
      const n = code === undefined || code === null ? (typeof process.exitCode === 'number' ? process.exitCode : 0) : Number(code);
      throw new ExitRequest(Number.isFinite(n) ? n : 1);
    };
    process.exit = exit as typeof process.exit;
    process.abort = (() => { throw new ExitRequest(134); }) as typeof process.abort;
    const kill = process.kill.bind(process);
    process.kill = ((pid: number, signal?: string | number) => {
      if (pid === process.pid || pid === 0 || pid === -process.pid) {
        throw new Error('process.kill of the process running Gradscope is not allowed in a script');
      }
      return kill(pid, signal);
    }) as typeof process.kill;
    this.wrapTimers();
  }

  private wrapTimers(): void {
    const g = globalThis as unknown as Record<string, unknown>;
    const realSetTimeout = globalThis.setTimeout;
    const realSetInterval = globalThis.setInterval;
    const realSetImmediate = globalThis.setImmediate;
    const realClearTimeout = globalThis.clearTimeout;
    const realClearInterval = globalThis.clearInterval;
    const realClearImmediate = globalThis.clearImmediate;
    const byHandle = new Map<unknown, PendingTimer>();
    const track = (kind: PendingTimer['kind'], handle: { hasRef?(): boolean }, once: boolean) => {
      const entry: PendingTimer = { kind, site: this.currentSite(), handle };
      this.timers.add(entry);
      byHandle.set(handle, entry);
      return once ? () => { this.timers.delete(entry); byHandle.delete(handle); } : () => {};
    };
    const untrack = (handle: unknown): void => {
      const entry = byHandle.get(handle);
      if (entry) { this.timers.delete(entry); byHandle.delete(handle); }
    };
    const wrapSchedule = (kind: PendingTimer['kind'], real: (...a: never[]) => { hasRef?(): boolean }, once: boolean) => {
      const wrapped = (fn: unknown, ...rest: unknown[]) => {
        if (typeof fn !== 'function') return (real as (...a: unknown[]) => unknown)(fn, ...rest);
        let done: () => void = () => {};
        const handle = (real as (...a: unknown[]) => { hasRef?(): boolean })(function (this: unknown, ...args: unknown[]) {
          done();
          return (fn as (...a: unknown[]) => unknown).apply(this, args);
        }, ...rest);
        done = track(kind, handle, once);
        return handle;
      };
      // util.promisify(setTimeout) and friends rely on this.
      const custom = (real as unknown as Record<symbol, unknown>)[Symbol.for('nodejs.util.promisify.custom')];
      if (custom) Object.defineProperty(wrapped, Symbol.for('nodejs.util.promisify.custom'), { value: custom });
      return wrapped;
    };
    g.setTimeout = wrapSchedule('setTimeout', realSetTimeout as never, true);
    g.setInterval = wrapSchedule('setInterval', realSetInterval as never, false);
    g.setImmediate = wrapSchedule('setImmediate', realSetImmediate as never, true);
    g.clearTimeout = (h: unknown) => { untrack(h); realClearTimeout(h as never); };
    g.clearInterval = (h: unknown) => { untrack(h); realClearInterval(h as never); };
    g.clearImmediate = (h: unknown) => { untrack(h); realClearImmediate(h as never); };
  }

  /** What still keeps the script alive (timers the script did not unref). */
  pendingWork(): PendingWork {
    const timers = [...this.timers].filter((t) => t.handle.hasRef?.() ?? true).map((t) => ({ kind: t.kind, site: t.site }));
    const counts = new Map<string, number>();
    for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
    // Our timers are listed as Timeout/Immediate: only report the kinds we did not track.
    counts.delete('Timeout');
    counts.delete('Immediate');
    counts.delete('MessagePort');
    return { timers, others: [...counts].map(([k, n]) => (n > 1 ? `${n} × ${k}` : k)) };
  }
}
