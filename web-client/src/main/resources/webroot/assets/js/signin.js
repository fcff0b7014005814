// Sign-in: email and password, then a one-time code when the API answers OTP_REQUIRED.

import { api } from './api.js';
import { h, replace, uid, announce } from './dom.js';
import { t } from './strings.js';
import { showErrors, clearErrors } from './forms.js';
import { errorText } from './errors.js';

function input(attrs, label, hint) {
  const id = uid('signin');
  const el = h('input', { id, ...attrs });
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint`, text: hint }) : null;
  if (hintEl) el.setAttribute('aria-describedby', hintEl.id);
  const wrap = h('div', { class: 'field' }, h('label', { for: id, text: label }), hintEl, el);
  return { el, wrap };
}

/** Renders the sign-in page into `host`; `onSignedIn` runs once the API has issued tokens. */
export function signInView(host, app, { message, kind, onSignedIn }) {
  app.title(t('signin.title'));
  const email = input({ type: 'email', name: 'email', autocomplete: 'username', spellcheck: 'false', 'data-field': 'email' },
    t('signin.email'));
  const password = input({ type: 'password', name: 'password', autocomplete: 'current-password', 'data-field': 'password' },
    t('signin.password'));
  const otp = input({
    type: 'text', name: 'otp', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]*',
    maxlength: '8', class: 'narrow', spellcheck: 'false', 'data-field': 'otp',
  }, t('signin.otp'), t('signin.otp.hint'));
  otp.wrap.hidden = true;
  const otpNotice = h('div', { class: 'notice notice-warn', hidden: true }, h('p', { text: t('signin.otp.needed') }));
  const submit = h('button', { type: 'submit', class: 'button-primary', text: t('signin.submit') });
  const top = h('div');
  const form = h('form', { novalidate: true, 'aria-labelledby': 'signin-title' },
    top, otpNotice, email.wrap, password.wrap, otp.wrap, h('div', { class: 'button-row' }, submit));
  let busy = false;

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    clearErrors(form);
    const problems = [];
    if (!email.el.value.trim()) problems.push({ field: 'email', message: t('signin.email.missing') });
    if (!password.el.value) problems.push({ field: 'password', message: t('signin.password.missing') });
    const needOtp = !otp.wrap.hidden;
    if (needOtp && !otp.el.value.trim()) problems.push({ field: 'otp', message: t('signin.otp.missing') });
    if (problems.length) {
      showErrors(form, top, problems);
      return;
    }
    busy = true;
    form.setAttribute('aria-busy', 'true');
    try {
      await api.login(email.el.value.trim(), password.el.value, needOtp ? otp.el.value.trim() : undefined);
      await onSignedIn();
    } catch (err) {
      if (err.code === 'OTP_REQUIRED' && !needOtp) {
        otp.wrap.hidden = false;
        otpNotice.hidden = false;
        submit.textContent = t('signin.continue');
        otp.el.focus();
        announce(t('signin.otp.needed'));
      } else {
        // a wrong code or wrong password: the API's message says which, without saying too much
        const field = err.field || (err.code && /OTP/.test(err.code) ? 'otp' : null);
        showErrors(form, top, [{ field, message: errorText(err) }]);
        if (field === 'otp') otp.el.value = '';
      }
    } finally {
      busy = false;
      form.setAttribute('aria-busy', 'false');
    }
  });

  const notice = message
    ? h('div', { class: `notice notice-${kind || 'ok'}`, role: kind === 'error' || kind === 'warn' ? 'alert' : 'status' },
      h('p', { text: message }))
    : null;
  replace(host,
    h('h1', { id: 'signin-title', text: t('signin.title') }),
    notice,
    h('p', { text: t('signin.intro') }),
    h('div', { class: 'panel' }, form));
  // the page has one job, so the email box takes focus; with a notice the heading does, so the
  // notice right after it is read first
  if (message) app.focusHeading(); else email.el.focus();
}
