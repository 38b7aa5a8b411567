import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { FILING_MACHINE_VERSION, filingMachine, STAGE_LABELS, type Stage } from '../../machines/filing.machine';
import { NOTIFICATION_RULES, type Audience } from '../../machines/notifications';
import { EVENT_PERMISSIONS, FILING_EVENT_TYPES } from '../../machines/permissions';
import { REASONS, REASON_CODES } from '../../machines/reasons';
import { ROLE_LABELS } from '../../machines/roles';
import { PROJECT_ROOT } from '../config';

/**
 * Renders docs/statechart.md from the chart itself, so the diagram cannot drift from the code:
 * a test regenerates it and compares.
 */
export const STATECHART_DOC = path.join(PROJECT_ROOT, 'docs', 'statechart.md');
const TEMPLATE = path.join(PROJECT_ROOT, 'templates', 'docs', 'statechart.md.hbs');

function audienceLabel(a: Audience): string {
  return a.departments ? `${a.role}@${a.departments}` : a.role;
}

function mermaidId(node: AnyStateNode): string {
  return node.id.replace(/\./g, '_');
}

function guardName(guard: unknown): string {
  if (guard === undefined || guard === null) return '';
  if (typeof guard === 'string') return guard;
  // Combinators such as and([...]) are functions that carry their operands.
  const operands = (guard as { guards?: unknown[] }).guards;
  if (typeof guard === 'function' && Array.isArray(operands)) return operands.map(guardName).join(' ∧ ');
  const type = (guard as { type?: unknown }).type;
  return typeof type === 'string' ? type : 'guard';
}

function eventLabel(t: AnyTransitionDefinition): string {
  const event = t.eventType.startsWith('xstate.done.state.') ? 'done' : t.eventType;
  const guard = guardName(t.guard);
  return guard ? `${event} [${guard}]` : event;
}

function renderNode(node: AnyStateNode, indent: string, lines: string[]): void {
  const children = Object.values(node.states) as AnyStateNode[];
  const stage = (node.meta as { stage?: Stage } | undefined)?.stage;
  const label = stage ? `${node.key} (${STAGE_LABELS[stage]})` : node.key;
  if (children.length === 0) {
    lines.push(`${indent}state "${label}" as ${mermaidId(node)}`);
    if (node.type === 'final') lines.push(`${indent}${mermaidId(node)} --> [*]`);
    return;
  }
  lines.push(`${indent}state "${label}" as ${mermaidId(node)} {`);
  if (node.type === 'parallel') {
    children.forEach((child, index) => {
      if (index > 0) lines.push(`${indent}  --`);
      renderNode(child, `${indent}  `, lines);
    });
  } else {
    const initial = node.initial?.target?.[0] as AnyStateNode | undefined;
    if (initial) lines.push(`${indent}  [*] --> ${mermaidId(initial)}`);
    for (const child of children) renderNode(child, `${indent}  `, lines);
  }
  lines.push(`${indent}}`);
}

function allNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...(Object.values(node.states) as AnyStateNode[]).flatMap(allNodes)];
}

export function mermaidDiagram(): string {
  const lines = ['stateDiagram-v2'];
  const root = filingMachine.root;
  const initial = root.initial?.target?.[0] as AnyStateNode | undefined;
  if (initial) lines.push(`  [*] --> ${mermaidId(initial)}`);
  for (const child of Object.values(root.states) as AnyStateNode[]) renderNode(child, '  ', lines);
  for (const node of allNodes(root)) {
    for (const transition of [...node.transitions.values()].flat()) {
      const targets = (transition.target ?? [node]) as AnyStateNode[];
      for (const target of targets) {
        lines.push(`  ${mermaidId(node)} --> ${mermaidId(target)} : ${eventLabel(transition)}`);
      }
    }
  }
  return lines.join('\n');
}

export function renderStatechartDoc(): string {
  const template = Handlebars.compile(fs.readFileSync(TEMPLATE, 'utf8'), { noEscape: true });
  return template({
    version: FILING_MACHINE_VERSION,
    diagram: mermaidDiagram(),
    stages: Object.entries(STAGE_LABELS).map(([stage, label]) => ({ stage, label })),
    events: FILING_EVENT_TYPES.map((type) => ({
      type,
      roles: EVENT_PERMISSIONS[type].roles.map((role) => `${role} (${ROLE_LABELS[role]})`).join(', '),
      scope: EVENT_PERMISSIONS[type].scope,
    })),
    reasons: REASON_CODES.map((code) => ({ code, ...REASONS[code] })),
    mail: NOTIFICATION_RULES.map((rule) => ({
      event: rule.event,
      to: rule.to,
      notices:
        rule.notify.length === 0
          ? 'nobody'
          : rule.notify
              .map((n) => `\`${n.template}\` → ${n.to.map(audienceLabel).join(', ')}${n.when ? ` (when ${n.when})` : ''}`)
              .join('; '),
    })),
  });
}
