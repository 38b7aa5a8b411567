import fs from 'node:fs';
import { FILING_EVENT_TYPES } from '../../machines/permissions';
import { documentedFields, EVENTS_DOC, renderEventsDoc } from '../../src/docs/events';

test('docs/events.md is what `npm run docs` generates from the request schemas today', () => {
  expect(fs.readFileSync(EVENTS_DOC, 'utf8')).toBe(renderEventsDoc());
});

test('every event has its section, and every field of every body says what it means', () => {
  const doc = renderEventsDoc();
  for (const type of FILING_EVENT_TYPES) expect(doc).toContain(`### \`${type}\` — `);
  const fields = documentedFields();
  expect(fields.length).toBeGreaterThan(100);
  // A field added without `.describe()` would leave its row's meaning empty.
  expect(fields.filter(({ row }) => row.meaning.trim() === '').map(({ body, row }) => `${body}: ${row.field}`)).toEqual([]);
});

test('the table shows what the schema enforces: types, whether required, limits, defaults', () => {
  const rows = new Map(documentedFields().map(({ body, row }) => [`${body} ${row.field}`, row]));
  expect(rows.get('SIGN documentNumber')).toMatchObject({ type: 'string', required: 'yes', limits: '1–100 characters' });
  expect(rows.get('START_CONSULTATION shortenedReason')).toMatchObject({ type: 'string or null', required: 'no', limits: '1–5000 characters' });
  expect(rows.get('START_CONSULTATION endsAt')).toMatchObject({ type: 'date-time (ISO 8601 with offset)', required: 'yes' });
  expect(rows.get('RETURN reasons[].code')?.limits).toContain('`R18_OTHER`');
  expect(rows.get('ADD_FOLLOW_UP body')).toMatchObject({ type: 'string or null', required: 'no (default `null`)' });
  expect(rows.get('PUBLISH effectiveFrom')?.type).toBe('date `YYYY-MM-DD` or null');
  expect(rows.get('POST /filings coDepartments')).toMatchObject({ type: 'list of string', required: 'no (default `[]`)' });
  expect(rows.get('EDIT_PARTICULARS patch.disclosure.attribute')?.limits).toBe('one of `proactive`, `onApplication`, `notPublic`');
  expect(rows.get('ADOPT version')).toMatchObject({ type: 'integer', required: 'yes', limits: '≥ 1' });
});
