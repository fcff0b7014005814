// Errors in words for the person at the screen. The API's messages are written for whoever calls
// the API, and some (a policy document's field problems, the contract validator's "does not match
// pattern") are developer text, so the console never shows them as they are: it names the field
// as it is labelled on the screen and says what to do, from the error's code and field.

import { h } from './dom.js';
import { t, tOr } from './strings.js';

/** Developer phrasing we never put on a screen. */
const DEVELOPER_TEXT = /must be|does not match|pattern|accepted:|required:|JSON|\[\d+\]|\bnot "|null|schema|expected|HTTP \d|[{}]|_[A-Z]|[A-Z]{2,}_[A-Z]/;

/** The policy module's problems we recognise, and the words to say instead (DOMAIN.md's checks). */
const KNOWN = [
  [/must be before "to"/, 'fielderror.window.order'],
  [/must not be after "until"/, 'fielderror.order.dates'],
  [/stages are listed in date order/, 'fielderror.stage.order'],
  [/must not exceed the policy's own limit/, 'fielderror.stage.limit'],
  [/is not in the policy's channels/, 'fielderror.stage.channels'],
  [/a stage must set/, 'fielderror.stage.empty'],
  [/LEGAL contact is privileged/, 'fielderror.legal.privileged'],
  [/PRIVILEGED is for legal/, 'fielderror.privileged.only.legal'],
  [/required when oversight is SUPERVISED|must name at least one of/, 'fielderror.supervisor'],
  [/must name at least one day/, 'fielderror.days'],
  [/upper-case identifier/, 'fielderror.order.kind'],
  [/order's reference/, 'fielderror.order.ref'],
  [/the last day the order is in force/, 'fielderror.order.until'],
  [/at most \d+ terms/, 'fielderror.terms.many'],
  [/at most \d+ characters/, 'fielderror.too.long'],
  [/at least 2 letters or digits/, 'fielderror.term.short'],
  [/must be false: |must be empty: /, 'fielderror.privileged.review'],
  [/"person:<id>" or "prisoner:/, 'fielderror.neverwith'],
];

/** True when an API message reads as written for a person (no paths, enum names or schema words). */
export function readsPlain(message) {
  return typeof message === 'string' && message.length > 0 && !DEVELOPER_TEXT.test(message);
}

/** The words for a failed call as a whole (no field): by code first, then the API's words if plain. */
export function errorText(e) {
  if (!e || e.status === undefined) return t('error.unexpected', { status: '?' });
  if (e.status === 0) return t('error.network');
  const byCode = tOr(`apierror.${e.code}`, null);
  if (byCode) return byCode;
  if (e.status === 503) return t('error.unavailable');
  if (e.status === 403) return readsPlain(e.message) ? e.message : t('error.forbidden');
  if (e.status === 404) return t('error.notfound');
  if (e.status === 429) return t('apierror.SIGN_IN_LOCKED');
  if (e.status >= 500) return t('error.unexpected', { status: e.status });
  return readsPlain(e.message) ? e.message : t('error.check');
}

/** Removes "saved" notices: a success must never stay on screen above a later error. */
export function dropSuccessNotices() {
  document.querySelectorAll('.notice-ok').forEach((n) => n.remove());
}

/** A page-level error notice (role=alert so it is announced as soon as it appears). */
export function errorNotice(e) {
  dropSuccessNotices();
  return h('div', { class: 'notice notice-error', role: 'alert' }, h('p', { text: errorText(e) }));
}

/**
 * What to tell the person about one field problem, given the field's label on the screen.
 * `kind` describes the control ('choice', 'time', 'date', 'number', 'text'), `message` is the API's.
 */
export function fieldText(label, kind, message, field) {
  const m = String(message || '');
  const last = String(field || '').split(/[.[\]]/).filter(Boolean).pop() || '';
  const special = tOr(`fielderror.${last}`, null);
  if (special && /pattern|must be|not valid|invalid/i.test(m)) return special;
  if (readsPlain(m)) return m;
  for (const [re, key] of KNOWN) if (re.test(m)) return t(key, { label });
  if (kind === 'time') return t('fielderror.time', { label });
  if (kind === 'date') return t('fielderror.date', { label });
  if (kind === 'number' || /whole number/.test(m)) return t('fielderror.number', { label });
  if (kind === 'choice' || /accepted|unknown value|must name at least one/.test(m)) return t('fielderror.choice', { label });
  if (/required/.test(m) || /^$/.test(m)) return t('fielderror.required', { label });
  if (/later|before|after|end/.test(m)) return t('fielderror.order', { label });
  return t('fielderror.check', { label });
}
