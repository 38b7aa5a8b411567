/** Regenerates docs/ from the code: `npm run docs`. */
import fs from 'node:fs';
import path from 'node:path';
import { API_DOC, renderApiDoc } from '../src/docs/api';
import { EVENTS_DOC, renderEventsDoc } from '../src/docs/events';
import { renderStatechartDoc, STATECHART_DOC } from '../src/docs/statechart';

for (const [file, render] of [
  [STATECHART_DOC, renderStatechartDoc],
  [EVENTS_DOC, renderEventsDoc],
  [API_DOC, renderApiDoc],
] as const) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, render());
  process.stdout.write(`已生成 ${path.relative(process.cwd(), file)}\n`);
}
