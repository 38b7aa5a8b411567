import { diffChars, diffLines } from 'diff';

export interface TextChange {
  change: 'added' | 'removed' | 'kept';
  text: string;
}

/**
 * The changes between two versions of a text, as people mark up a draft: by line first, then
 * character by character inside the lines that changed. Chinese has no spaces, so words are no
 * unit; and a character diff over a whole 300,000-character document would take too long.
 */
export function textChanges(before: string, after: string): TextChange[] {
  const changes: TextChange[] = [];
  const push = (change: TextChange['change'], text: string) => {
    if (text === '') return;
    const last = changes[changes.length - 1];
    if (last && last.change === change) last.text += text;
    else changes.push({ change, text });
  };
  const parts = diffLines(before, after);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const next = parts[i + 1];
    if (part.removed && next?.added) {
      for (const c of diffChars(part.value, next.value)) push(c.added ? 'added' : c.removed ? 'removed' : 'kept', c.value);
      i++;
    } else {
      push(part.added ? 'added' : part.removed ? 'removed' : 'kept', part.value);
    }
  }
  return changes;
}

/** How much changed, in characters: the line above a diff. */
export function changeCounts(changes: TextChange[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const c of changes) {
    if (c.change === 'added') added += [...c.text].length;
    if (c.change === 'removed') removed += [...c.text].length;
  }
  return { added, removed };
}
