/** Lets the event loop serve other requests before long synchronous work goes on (imports, exports, PDF batches). */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
