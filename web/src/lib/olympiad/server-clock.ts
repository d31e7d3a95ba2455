/**
 * The server's clock as this device sees it. Answers are stamped with it, and the last answer given wins whichever
 * device gave it, so two phones must agree on the time to well under a second.
 *
 * The first guess comes from the time the page was rendered on the server; it runs late by however long the page took
 * to arrive and start (seconds on a slow phone), which would make every answer of that phone look older than it is.
 * Each round trip to the server then gives a measurement: the server's time is taken to be the middle of the trip, so
 * its error is at most half the trip; the shortest trip seen is kept, as NTP does.
 */
export class ServerClock {
  /** The server's clock minus this device's (ms). */
  offsetMs: number;
  private bestTripMs = Number.POSITIVE_INFINITY;

  constructor(
    /** The server's time when it rendered the page (ISO), read when the page started here. */
    renderedAt: string,
    private readonly deviceNow: () => number = Date.now,
  ) {
    this.offsetMs = new Date(renderedAt).getTime() - this.deviceNow();
  }

  /** The server's time now (ms since the epoch). */
  now(): number {
    return this.deviceNow() + this.offsetMs;
  }

  /** A reply stamped `serverNow` (ISO) to a request sent at `sentAt` and answered at `receivedAt` (this device's ms). */
  learn(serverNow: string, sentAt: number, receivedAt: number): void {
    const server = new Date(serverNow).getTime();
    const trip = receivedAt - sentAt;
    if (!Number.isFinite(server) || trip < 0 || trip >= this.bestTripMs) return;
    this.bestTripMs = trip;
    this.offsetMs = server - (sentAt + trip / 2);
  }

  /** Half the shortest round trip: how far off the estimate can be (Infinity before the first measurement). */
  get uncertaintyMs(): number {
    return this.bestTripMs / 2;
  }
}
