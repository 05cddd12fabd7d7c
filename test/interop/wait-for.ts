/** Polls `check` until it returns a truthy value or `timeoutMs` passes; then rejects with `what()` in the message. */
export async function waitFor<T>(check: () => T | null | undefined | false, timeoutMs: number, what: () => string, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
