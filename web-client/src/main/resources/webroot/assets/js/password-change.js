// "Choose a new password": shown after a sign-in with a password someone else gave (an admin's reset,
// a first password, the bootstrap's), whose session may do nothing else until it is changed. Shared by
// the staff consoles and the family portal, each giving its own word table (`t`), so the portal's
// Welsh reaches this page too.
//
// GOV.UK's pattern: labels and hints above each box, the rule in the hint, an error summary at the
// top that takes focus and links to each box, each message beside its box (aria-describedby,
// aria-invalid). Problems the API finds (the current password is wrong, the new one too weak or
// unchanged) come back naming their field and are shown the same way. The kiosk's "Choose your own
// PIN" (kiosk/pin-change.js) is the same form (`secretChangeView`) with its own boxes and words.

import { api } from './api.js';
import { h, replace, uid, describe, undescribe, focusStatic } from './dom.js';

const MIN_LENGTH = 12;

/** What the API's refusal of a password means, in the page's words: {field, key} (field null for the page as a whole). */
function fromApi(err, { new_password: next }) {
  switch (err.code) {
    case 'WRONG_PASSWORD': return { field: 'current_password', key: 'pwchange.current.wrong' };
    case 'WEAK_PASSWORD': return { field: 'new_password', key: [...next].length < MIN_LENGTH ? 'pwchange.new.short' : 'pwchange.new.common' };
    case 'PASSWORD_UNCHANGED': return { field: 'new_password', key: 'pwchange.new.same' };
    case 'SIGN_IN_LOCKED': return { field: null, key: 'pwchange.locked' };
    case 'NETWORK': return { field: null, key: 'pwchange.network' };
    default: return { field: null, key: 'pwchange.failed' };
  }
}

/**
 * Draws the page into `host`. `t` is the page's word table; `setTitle(text)` sets the tab title;
 * `onChanged()` runs once the new password is saved and the full session's tokens are kept;
 * `onSignOut()` when the person would rather sign out.
 */
export function passwordChangeView(host, { t, setTitle, onChanged, onSignOut }) {
  secretChangeView(host, {
    t, setTitle, onChanged, onSignOut,
    prefix: 'pwchange',
    boxes: [
      { field: 'current_password', type: 'password', autocomplete: 'current-password', labelKey: 'pwchange.current', hintKey: 'pwchange.current.hint' },
      { field: 'new_password', type: 'password', autocomplete: 'new-password', labelKey: 'pwchange.new', hintKey: 'pwchange.new.hint' },
    ],
    showKey: 'pwchange.show',
    check: ({ current_password: current, new_password: next }) => {
      const problems = [];
      if (!current) problems.push({ field: 'current_password', key: 'pwchange.current.missing' });
      if (!next) problems.push({ field: 'new_password', key: 'pwchange.new.missing' });
      else if ([...next].length < MIN_LENGTH) problems.push({ field: 'new_password', key: 'pwchange.new.short' });
      else if (next === current) problems.push({ field: 'new_password', key: 'pwchange.new.same' });
      return problems;
    },
    save: (v) => api.changePassword(v.current_password, v.new_password),
    fromApi,
    wrongCode: 'WRONG_PASSWORD',
  });
}

/**
 * The form of choosing a new secret of one's own (a password here, a kiosk PIN on the kiosk), drawn
 * into `host`. `spec`: `t`, `setTitle`, `onChanged`, `onSignOut` as for passwordChangeView;
 * `prefix` of the word keys (`<prefix>.title`, `.intro`, `.submit`, `.signout`, `.summary`);
 * `boxes` [{field, type, autocomplete, labelKey, hintKey, attrs?}] in the order shown; `showKey`
 * (optional) a "show what I typed" box; `check(values)` the page's own checks, [{field, key}];
 * `save(values)` the API call; `fromApi(err, values)` its refusal as {field, key}; `wrongCode` the
 * refusal after which the current secret's box is emptied; `buttonClass` for the kiosk's big buttons.
 */
export function secretChangeView(host, spec) {
  const { t, setTitle, onChanged, onSignOut, prefix } = spec;
  setTitle(t(`${prefix}.title`));
  const boxes = {};
  function box({ field, type, autocomplete, labelKey, hintKey, attrs = {} }) {
    const id = uid('pw');
    const hint = hintKey ? h('p', { class: 'hint', id: `${id}-hint`, text: t(hintKey) }) : null;
    const input = h('input', {
      id, name: field, type, autocomplete, spellcheck: 'false', autocapitalize: 'none', 'aria-describedby': hint ? hint.id : null,
      'data-field': field, ...attrs,
    });
    const wrap = h('div', { class: 'field' }, h('label', { for: id, text: t(labelKey) }), hint, input);
    boxes[field] = { input, wrap };
    return wrap;
  }
  let show = null;
  if (spec.showKey) {
    show = h('input', { type: 'checkbox', id: uid('pw-show') });
    show.addEventListener('change', () => {
      Object.values(boxes).forEach((b) => b.input.setAttribute('type', show.checked ? 'text' : 'password'));
    });
  }
  const buttonClass = spec.buttonClass || '';
  const top = h('div');
  const submit = h('button', { type: 'submit', class: `button-primary ${buttonClass}`.trim(), text: t(`${prefix}.submit`) });
  const signOut = h('button', { type: 'button', class: `button-secondary ${buttonClass}`.trim(), text: t(`${prefix}.signout`), onClick: () => onSignOut() });
  const form = h('form', { novalidate: true, 'aria-labelledby': `${prefix}-title` },
    top,
    spec.boxes.map(box),
    show && h('div', { class: 'field' }, h('div', { class: 'choice' }, show, h('label', { for: show.id, text: t(spec.showKey) }))),
    h('div', { class: 'button-row' }, submit, signOut));

  function clear() {
    top.replaceChildren();
    Object.values(boxes).forEach(({ input, wrap }) => {
      if (input.__error) {
        undescribe(input, input.__error.id);
        input.__error.remove();
        input.__error = null;
      }
      input.removeAttribute('aria-invalid');
      wrap.classList.remove('has-error');
    });
  }

  /** Shows [{field, key}] beside their boxes and in a summary that takes focus. */
  function showProblems(problems) {
    clear();
    const items = problems.map(({ field, key }) => {
      const text = t(key);
      const b = field && boxes[field];
      if (!b) return h('li', { text });
      const message = h('p', { class: 'field-error', id: uid('pw-err') },
        h('span', { class: 'visually-hidden', text: `${t('error.prefix')} ` }), text);
      b.input.before(message);
      b.input.__error = message;
      b.input.setAttribute('aria-invalid', 'true');
      describe(b.input, message.id);
      b.wrap.classList.add('has-error');
      return h('li', {}, h('a', {
        href: `#${b.input.id}`,
        onClick: (e) => {
          e.preventDefault();
          b.input.focus();
        },
      }, text));
    });
    const titleId = uid('pw-sum');
    const summary = h('div', { class: 'error-summary', 'aria-labelledby': titleId, tabindex: '-1' },
      h('h2', { id: titleId, text: t(`${prefix}.summary`) }), h('ul', {}, items));
    top.append(summary);
    focusStatic(summary);
  }

  let busy = false;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    const values = Object.fromEntries(Object.entries(boxes).map(([field, b]) => [field, b.input.value]));
    const problems = spec.check(values);
    if (problems.length) {
      showProblems(problems);
      return;
    }
    busy = true;
    form.setAttribute('aria-busy', 'true');
    try {
      await spec.save(values);
    } catch (err) {
      showProblems([spec.fromApi(err, values)]);
      if (err.code === spec.wrongCode) boxes[spec.boxes[0].field].input.value = '';
      return;
    } finally {
      busy = false;
      form.setAttribute('aria-busy', 'false');
    }
    await onChanged();
  });

  replace(host,
    h('h1', { id: `${prefix}-title`, text: t(`${prefix}.title`) }),
    h('p', { text: t(`${prefix}.intro`) }),
    h('div', { class: 'panel' }, form));
  focusStatic(host.querySelector('h1'));
}

/** The notice shown on the first page after the change (role=status, so it is announced); `key` its words. */
export function passwordChangedNotice(t, key = 'pwchange.done') {
  return h('div', { class: 'notice notice-ok', role: 'status' }, h('p', { text: t(key) }));
}
