import fs from 'node:fs';
import { renderStatechartDoc, STATECHART_DOC } from '../../src/docs/statechart';
import { filingMachine } from '../../machines/filing.machine';

test('docs/statechart.md is what `npm run docs` generates from the chart today', () => {
  expect(fs.readFileSync(STATECHART_DOC, 'utf8')).toBe(renderStatechartDoc());
});

test('the diagram names every state node', () => {
  const doc = renderStatechartDoc();
  const walk = (node: typeof filingMachine.root): string[] => [node.id, ...Object.values(node.states).flatMap(walk)];
  for (const id of walk(filingMachine.root).slice(1)) expect(doc).toContain(` as ${id.replace(/\./g, '_')}`);
});
