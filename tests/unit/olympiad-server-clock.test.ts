import { describe, expect, it } from 'vitest';
import { ServerClock } from '../../web/src/lib/olympiad/server-clock.ts';

/** A device whose clock reads `device` while the server's reads `device + skew`. */
function device(startMs: number) {
  let now = startMs;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('the server clock a page stamps answers with', () => {
  it('is first taken from the render time, which runs late by the time the page took to start', () => {
    const d = device(1_000_000);
    // Rendered at server time 1 000 000; the page started 2.5 s later on a slow phone (same clocks).
    d.advance(2500);
    const clock = new ServerClock(new Date(1_000_000).toISOString(), d.now);
    expect(clock.now()).toBe(1_000_000);
    expect(clock.uncertaintyMs).toBe(Number.POSITIVE_INFINITY);
  });

  it('is corrected by a round trip to within half of it, the server time taken at its middle', () => {
    const d = device(1_000_000);
    d.advance(2500);
    const clock = new ServerClock(new Date(1_000_000).toISOString(), d.now);
    // The device's clock equals the server's; a request sent now takes 40 ms there and back.
    const sentAt = d.now();
    d.advance(40);
    clock.learn(new Date(sentAt + 20).toISOString(), sentAt, d.now());
    expect(clock.now()).toBe(d.now());
    expect(clock.uncertaintyMs).toBe(20);
  });

  it('keeps the measurement of the shortest trip; a slower one, skewed by a queue, does not move it', () => {
    const skew = 7_000; // the server's clock is 7 s ahead of this device's
    const d = device(500_000);
    const clock = new ServerClock(new Date(500_000 + skew).toISOString(), d.now);
    let sentAt = d.now();
    d.advance(30);
    clock.learn(new Date(sentAt + 15 + skew).toISOString(), sentAt, d.now());
    expect(clock.now() - d.now()).toBe(skew);
    // A trip of 900 ms whose reply waited 800 ms in a queue on the way back would put the clock 400 ms off.
    sentAt = d.now();
    d.advance(900);
    clock.learn(new Date(sentAt + 100 + skew).toISOString(), sentAt, d.now());
    expect(clock.now() - d.now()).toBe(skew);
    // A shorter trip still improves it.
    sentAt = d.now();
    d.advance(10);
    clock.learn(new Date(sentAt + 6 + skew).toISOString(), sentAt, d.now());
    expect(clock.now() - d.now()).toBe(skew + 1);
    expect(clock.uncertaintyMs).toBe(5);
  });

  it('ignores a reply without a readable time', () => {
    const d = device(0);
    const clock = new ServerClock(new Date(1234).toISOString(), d.now);
    clock.learn('not a time', 0, 10);
    expect(clock.now()).toBe(1234);
  });
});
