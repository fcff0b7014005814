// The family portal: carers, schools and professionals sign in with email and password (and a
// one-time code when their account has one) and write to the person in prison, including for a
// child whose messages they hold, and send photos (a child's drawing, a school report).

import { h } from '../assets/js/dom.js';
import { t, onLanguage } from '../assets/js/i18n.js';
import { api, passwordChangeRequired } from '../assets/js/api.js';
import { passwordChangeView, passwordChangedNotice } from '../assets/js/password-change.js';
import { runPage, field, formError, signInError } from '../assets/js/messaging-page.js';

/**
 * A carer or professional whose first password staff chose signs in to a session that may only
 * change it: the page for that, then the portal as after any sign-in.
 */
let choosing = null;

function choosePassword(done) {
  choosing = done;
  const view = document.getElementById('view');
  passwordChangeView(view, {
    t,
    setTitle: (text) => { document.title = `${text} – ${t('portal.title')}`; },
    onChanged: () => {
      choosing = null;
      // above the messaging screens, which redraw the view as they load
      view.before(h('div', { class: 'wrap' }, passwordChangedNotice(t)));
      done();
    },
    onSignOut: async () => {
      await api.logout();
      window.location.reload();
    },
  });
}

function signInForm(done) {
  let needOtp = false;
  const otp = field('otp', 'signin.otp', { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code' }, 'signin.otp.hint');
  otp.hidden = true;
  const form = h('form', { novalidate: true, class: 'signin', onSubmit: async (e) => {
    e.preventDefault();
    const email = form.querySelector('#email').value.trim();
    const password = form.querySelector('#password').value;
    const code = form.querySelector('#otp').value.trim();
    if (!email || !password || (needOtp && !code)) {
      formError(form, t('signin.missing'));
      return;
    }
    try {
      await api.login(email, password, needOtp ? code : undefined);
      if (passwordChangeRequired()) choosePassword(done);
      else done();
    } catch (err) {
      if (err.code === 'OTP_REQUIRED') {
        needOtp = true;
        otp.hidden = false;
        formError(form, t('signin.otp.needed'));
        return;
      }
      formError(form, signInError(err));
    }
  } },
  h('p', { class: 'lead', text: t('signin.portal.intro') }),
  field('email', 'signin.email', { type: 'email', autocomplete: 'username', spellcheck: 'false' }),
  field('password', 'signin.password', { type: 'password', autocomplete: 'current-password' }),
  otp,
  h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button-primary', text: t('signin.submit') })));
  return form;
}

runPage({ titleKey: 'portal.title', signInForm, sendPhotos: true });
// registered after the page's own listener (which draws the sign-in form while nobody is fully signed
// in), so a change of language redraws the password page in the new words instead of leaving it
onLanguage(() => {
  if (choosing && passwordChangeRequired()) choosePassword(choosing);
});
