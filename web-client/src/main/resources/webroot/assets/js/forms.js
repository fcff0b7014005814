// Showing form errors the same way everywhere: a message next to each field it belongs to (tied
// to the control with aria-describedby and aria-invalid) and an error summary at the top of the
// form that takes keyboard focus, so screen-reader users hear the problems at once and can jump
// to each field. Controls and groups name the API field they carry with data-field
// (e.g. data-field="policy.windows[0].from"), which is how API problems find their place.

import { h, describe, undescribe, errorMessage, focusStatic, uid } from './dom.js';
import { t } from './strings.js';
import { fieldText, readsPlain, errorText, dropSuccessNotices } from './errors.js';

/**
 * An API field path in the dotted form the forms use. Accepts "policy.windows[0].from",
 * JSON pointers ("/policy/windows/0/from") and "$."-prefixed paths.
 */
export function normaliseField(field) {
  if (!field) return '';
  let f = String(field).trim();
  if (f.startsWith('$.')) f = f.slice(2);
  if (f.startsWith('#')) f = f.slice(1);
  if (f.startsWith('/')) {
    f = f.slice(1).split('/').map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : `.${seg}`)).join('').replace(/^\./, '');
  }
  return f;
}

/** The path one level up: "a.b[0].c" -> "a.b[0]" -> "a.b" -> "a" -> "". */
function parent(path) {
  const m = /^(.*?)(\.[^.[\]]+|\[\d+\])$/.exec(path);
  return m ? m[1] : '';
}

/**
 * The element in `root` that best carries `field`: the exact control, else the closest enclosing
 * group ("policy.windows[0].days[3]" lands on the days group). Null if nothing below the root of
 * the document (e.g. "policy") matches. `prefixes` are tried when the API omits a leading segment.
 */
export function elementFor(root, field, prefixes = []) {
  const f = normaliseField(field);
  if (!f) return null;
  const candidates = [f, ...prefixes.filter((p) => !f.startsWith(p + '.') && f !== p).map((p) => `${p}.${f}`)];
  for (const c of candidates) {
    // climb from the exact path to its enclosing groups, but never to a document root itself
    for (let p = c; p && !prefixes.includes(p); p = parent(p)) {
      const el = root.querySelector(`[data-field="${CSS.escape(p)}"]`);
      if (el) return el;
    }
  }
  return null;
}

const CONTROL = 'input, select, textarea';

/** Attaches a message to a control or a group of controls. Returns the id a summary link targets. */
export function addFieldError(el, message) {
  const isControl = el.matches(CONTROL);
  let box = el.__errorBox;
  if (!box || !box.isConnected) {
    box = h('div', { class: 'field-errors', id: uid('err') });
    el.__errorBox = box;
    if (isControl) {
      // after the label and hint, right before the control, where sighted users look
      el.before(box);
      el.setAttribute('aria-invalid', 'true');
    } else {
      const after = el.querySelector(':scope > legend + .hint') || el.querySelector(':scope > legend')
        || el.querySelector(':scope > h2, :scope > h3');
      if (after) after.after(box); else el.prepend(box);
    }
    describe(el, box.id);
    (el.closest('.field') || (isControl ? el.parentElement : el)).classList.add('has-error');
    el.dataset.hasError = '';
  }
  box.append(errorMessage(uid('errmsg'), message));
  if (!el.id) el.id = uid('f');
  return el.id;
}

/** Removes every message, marker and summary that showErrors or addFieldError added under `root`. */
export function clearErrors(root) {
  root.querySelectorAll('[data-has-error]').forEach((el) => {
    if (el.__errorBox) {
      undescribe(el, el.__errorBox.id);
      el.__errorBox.remove();
      el.__errorBox = null;
    }
    el.removeAttribute('aria-invalid');
    delete el.dataset.hasError;
  });
  root.querySelectorAll('.has-error').forEach((el) => el.classList.remove('has-error'));
  root.querySelectorAll('.error-summary').forEach((el) => el.remove());
}

function focusTarget(el) {
  return el.matches(CONTROL) ? el : el.querySelector(`${CONTROL}, button`) || el;
}

/**
 * Shows `problems` ([{field, message}]) in `root`: next to each matched field, and all of them in
 * a summary put at the top of `summaryHost`, which receives focus. Problems whose field matches
 * nothing are listed in the summary only.
 */
export function showErrors(root, summaryHost, problems, prefixes = []) {
  clearErrors(root);
  dropSuccessNotices();
  const linked = [];
  const unmatched = [];
  for (const p of problems) {
    const el = p.field ? elementFor(root, p.field, prefixes) : null;
    if (el) {
      // the field as the person sees it labelled, and what to do, never the API's own wording
      const message = fieldText(labelOf(el), kindOf(el), p.message, p.field);
      linked.push({ id: addFieldError(el, message), el, message });
    } else {
      unmatched.push({ ...p, message: readsPlain(p.message) ? p.message : t('error.check') });
    }
  }
  const titleId = uid('errsum');
  const items = linked.map((p) => h('li', {}, h('a', {
    href: `#${p.id}`,
    onClick: (e) => {
      e.preventDefault();
      const target = focusTarget(p.el);
      target.scrollIntoView({ block: 'center' });
      target.focus();
    },
  }, p.message)));
  const summary = h('div', { class: 'error-summary', 'aria-labelledby': titleId, tabindex: '-1' },
    h('h2', { id: titleId, text: t('error.summary.title') }),
    items.length ? h('ul', {}, items) : null,
    unmatched.length ? [
      items.length ? h('p', { text: t('error.summary.more') }) : null,
      h('ul', { class: 'unmatched' }, unmatched.map((p) => h('li', { text: p.message }))),
    ] : null);
  summaryHost.prepend(summary);
  focusStatic(summary);
  return summary;
}

/** The text a person sees as the element's name: its label or legend, with the row it sits in. */
export function labelOf(el) {
  const own = el.matches(CONTROL)
    ? (el.labels && el.labels[0] ? el.labels[0].textContent : el.getAttribute('aria-label') || '')
    : ((el.querySelector(':scope > legend, :scope > label, :scope > .label') || {}).textContent || '');
  const row = el.closest('fieldset.row');
  const rowName = row && row !== el ? (row.querySelector(':scope > legend') || {}).textContent : '';
  const name = own.trim() || rowName || t('error.field.this');
  return rowName && own.trim() ? `${own.trim()} (${rowName})` : name;
}

/** What kind of control carries a value, for the words of its error. */
function kindOf(el) {
  if (el.matches('input[type="time"]')) return 'time';
  if (el.matches('input[type="date"], input[type="datetime-local"]')) return 'date';
  if (el.matches('input[type="number"]')) return 'number';
  if (el.matches('select') || el.querySelector('input[type="radio"], input[type="checkbox"]')) return 'choice';
  return 'text';
}

/** The problems an ApiError carries: its `problems` list, or its one message and field. */
export function problemsOf(error) {
  if (error.problems && error.problems.length) return error.problems;
  return [{ field: error.field, message: error.field ? error.message : errorText(error) }];
}
