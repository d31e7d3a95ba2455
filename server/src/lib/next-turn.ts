/** Lets the event loop serve other requests before long synchronous work goes on (imports, exports, PDF batches). */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Rows handled per turn by inSlices: a few milliseconds of work each. */
const SLICE = 1000;

/** Calls `each` for every item, letting the event loop serve other requests after every SLICE of them. */
export async function inSlices<T>(items: readonly T[], each: (item: T, index: number) => void): Promise<void> {
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % SLICE === 0) await nextTurn();
    each(items[i], i);
  }
}
