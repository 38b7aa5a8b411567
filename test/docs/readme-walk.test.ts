/**
 * The README's walk with curl runs on what `npm run seed` prints: every token variable it uses is
 * one the seed exports, so a newcomer who pastes the seed's lines can follow it to the end.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FILING_EVENT_TYPES } from '../../machines/permissions';
import { STAFF_VARIABLES } from '../../scripts/seed';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

function walk(): string {
  const section = README.indexOf('### A walk with curl');
  expect(section).toBeGreaterThan(-1);
  const block = /```sh\n([\s\S]*?)```/.exec(README.slice(section));
  if (!block) throw new Error('the walk has no sh block');
  return block[1];
}

test('every bearer token of the walk is a variable the seed prints', () => {
  const tokens = [...walk().matchAll(/Bearer \$([A-Z_]+)/g)].map((m) => m[1]);
  const senders = [...walk().matchAll(/^event \$([A-Z_]+) /gm)].map((m) => m[1]);
  expect(senders.length).toBeGreaterThan(10);
  // `$1` inside the helper is the sender; the others are named.
  expect([...new Set([...tokens, ...senders])].filter((name) => !STAFF_VARIABLES.includes(name))).toEqual([]);
});

test('the walk takes its filing from creation to publication, every event a real one', () => {
  const events = [...walk().matchAll(/^event \$[A-Z_]+ ([A-Z_]+)/gm)].map((m) => m[1]);
  expect(events[0]).toBe('REQUEST_INTERPRETATION_APPROVAL');
  expect(events.at(-1)).toBe('PUBLISH');
  expect(events).toContain('RETURN');
  expect(events.filter((type) => !(FILING_EVENT_TYPES as string[]).includes(type))).toEqual([]);
});
