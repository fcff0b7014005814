// Small DOM helpers. Pages build elements with h() and never assign innerHTML with data from the
// API, so names, reasons and search terms typed by people can never become markup.

import { t, template } from './strings.js';

/**
 * Creates an element. `attrs` keys: `class`, `text`, `on<Event>` (listener), `dataset` (object),
 * boolean attributes as true/false, anything else as an attribute. Children may be strings, nodes,
 * arrays, or null/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces all children of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A fresh id with the given prefix, unique in this page. */
let counter = 0;
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** Adds an id to an element's aria-describedby without losing the ids already there. */
export function describe(el, id) {
  const ids = new Set((el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean));
  ids.add(id);
  el.setAttribute('aria-describedby', [...ids].join(' '));
}

/** Removes an id from an element's aria-describedby. */
export function undescribe(el, id) {
  const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter((x) => x && x !== id);
  if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
  else el.removeAttribute('aria-describedby');
}

/** The "Error: message" paragraph shown next to a field (the prefix is for screen readers). */
export function errorMessage(id, message) {
  return h('p', { class: 'field-error', id },
    h('span', { class: 'visually-hidden', text: t('error.prefix') + ' ' }), message);
}

/** Moves keyboard focus to an element that is not normally focusable (headings, summaries). */
export function focusStatic(el) {
  if (!el) return;
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus();
}

const dateTime = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/London',
});

/** An ISO-8601 instant as UK wall-clock text, e.g. "3 Mar 2026, 14:05". */
/**
 * Shows `form` in a modal `dialog` and puts focus on `first`. Closing it any way but with
 * `dialog.close('done')` (Cancel, Escape) puts focus back on `opener`; after 'done' the caller has
 * redrawn the page and placed focus on what it says.
 */
export function openDialog(dialog, form, opener, first) {
  replace(dialog, form);
  dialog.onclose = () => {
    if (dialog.returnValue !== 'done' && opener.isConnected) opener.focus();
  };
  dialog.returnValue = '';
  dialog.showModal();
  first.focus();
}

export function formatInstant(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dateTime.format(d);
}

/** A <time> element for an instant. */
export function timeEl(iso) {
  return h('time', { datetime: iso, text: formatInstant(iso) });
}

/**
 * Turns the value of a datetime-local input ("2026-05-01T10:00"), read as Europe/London wall-clock
 * time whatever the computer's own zone, into ISO-8601 with the right offset
 * ("2026-05-01T10:00:00+01:00"). Staff think in UK time; the policy's windows are in UK time too.
 */
export function londonLocalToIso(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value || '');
  if (!m) return null;
  const [y, mo, d, hh, mm] = m.slice(1).map(Number);
  const asUtc = Date.UTC(y, mo - 1, d, hh, mm);
  // London's offset at that moment: format the instant in London and compare with UTC.
  const offsetAt = (ms) => {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit',
    }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
    const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute);
    return (wall - ms) / 60000;
  };
  // Two passes settle the offset around the clock changes.
  let offset = offsetAt(asUtc);
  offset = offsetAt(asUtc - offset * 60000);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const pad = (n) => String(n).padStart(2, '0');
  return `${value.slice(0, 16)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * Says `message` through the page's polite live region (#live-status) so screen-reader users hear
 * what happened after an action that did not move their focus.
 */
export function announce(message) {
  const region = document.getElementById('live-status');
  if (!region) return;
  // clear first so the same words twice in a row are announced twice
  region.textContent = '';
  setTimeout(() => {
    region.textContent = message;
  }, 50);
}

/** Like t(), but placeholders may be filled with nodes (e.g. a <time>); returns an array for h(). */
export function tn(key, vars = {}) {
  return template(key).split(/(\{\w+\})/).filter((part) => part !== '').map((part) => {
    const m = /^\{(\w+)\}$/.exec(part);
    return m && m[1] in vars ? vars[m[1]] : part;
  });
}
