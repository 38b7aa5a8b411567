import { EVENT_LABELS, eventSpec, FILING_EVENT_TYPES, type FilingEventType, type FormValues } from '../../machines/events';
import { one } from '../../machines/events/form';
import type { FilingView } from '../workflow/filings';

/**
 * The console's action forms, read from the event registry: each event declares the fields its
 * form shows and how a submitted form becomes its command (machines/events/). The API's own
 * validation then applies to what the form sends, so a page can offer nothing the API refuses.
 */
export function actionsFor(view: FilingView, body: string) {
  return view.allowedEvents.map((type) => ({
    type,
    label: EVENT_LABELS[type],
    // Every property present, since the templates run in strict mode.
    fields: eventSpec(type)
      .form.fields({ context: view.context, body })
      .map((f) => ({ value: '', rows: 3, required: false, checked: false, options: [], ...f, id: `${type}-${f.id}` })),
  }));
}

function isEventType(type: string): type is FilingEventType {
  return (FILING_EVENT_TYPES as readonly string[]).includes(type);
}

/** Turns a submitted action form into an API command; the API's own validation then applies. */
export function commandFrom(form: FormValues): Record<string, unknown> {
  const type = one(form, 'type');
  const command = { type, version: Number(one(form, 'version')) };
  return isEventType(type) ? { ...command, ...eventSpec(type).form.read(form) } : command;
}
