/** Regenerates docs/ from the code: `npm run docs`. */
import fs from 'node:fs';
import path from 'node:path';
import { renderStatechartDoc, STATECHART_DOC } from '../src/docs/statechart';

fs.mkdirSync(path.dirname(STATECHART_DOC), { recursive: true });
fs.writeFileSync(STATECHART_DOC, renderStatechartDoc());
process.stdout.write(`已生成 ${path.relative(process.cwd(), STATECHART_DOC)}\n`);
