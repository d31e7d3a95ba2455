import { expect, test } from 'vitest';
import { sendSlicedJson } from '../../server/src/http/sliced-json.ts';
import { inSlices } from '../../server/src/lib/next-turn.ts';

/** What sendSlicedJson hands to Fastify: the content type and the bytes. */
function fakeReply() {
  const sent: { type?: string; body?: Buffer } = {};
  const reply = {
    type(value: string) {
      sent.type = value;
      return reply;
    },
    send(body: Buffer) {
      sent.body = body;
      return reply;
    },
  };
  return {
    reply: reply as unknown as Parameters<typeof sendSlicedJson>[0],
    sent,
    json: () => JSON.parse(sent.body!.toString('utf8')),
  };
}

test('a long answer is the same JSON, built while other work goes on', async () => {
  const value = { title: 'Итоги', rows: Array.from({ length: 2500 }, (_, i) => ({ n: i, name: `Ученик ${i}` })) };
  const { reply, sent, json } = fakeReply();
  let otherWork = 0;
  // Work scheduled for the next turn of the event loop runs before the answer is complete.
  setImmediate(() => otherWork++);
  await sendSlicedJson(reply, value, 'rows');
  expect(otherWork).toBe(1);
  expect(sent.type).toBe('application/json; charset=utf-8');
  expect(json()).toEqual(value);
});

test('an empty list, and a value with nothing but the list', async () => {
  const a = fakeReply();
  await sendSlicedJson(a.reply, { rows: [] as number[] }, 'rows');
  expect(a.json()).toEqual({ rows: [] });
  const b = fakeReply();
  await sendSlicedJson(b.reply, { total: 0, rows: [1, 2] }, 'rows');
  expect(b.json()).toEqual({ total: 0, rows: [1, 2] });
});

test('inSlices visits every item in order and lets the event loop turn between slices', async () => {
  const seen: number[] = [];
  let turns = 0;
  setImmediate(function count() {
    turns++;
    if (seen.length < 3000) setImmediate(count);
  });
  await inSlices(
    Array.from({ length: 3000 }, (_, i) => i),
    (item, index) => {
      expect(item).toBe(index);
      seen.push(item);
    },
  );
  expect(seen).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  expect(turns).toBeGreaterThanOrEqual(2);
});
