// The in-cell kiosk: a mother signs in with her prison number and PIN on this enrolled screen,
// then reads and writes her messages (large targets, plain words, English or Welsh).

import { h } from '../assets/js/dom.js';
import { t, onLanguage } from '../assets/js/i18n.js';
import { api, useTokens, passwordChangeRequired } from '../assets/js/api.js';
import { passwordChangedNotice } from '../assets/js/password-change.js';
import { pinChangeView } from './pin-change.js';
import { runPage, field, formError, signInError } from '../assets/js/messaging-page.js';
import { currentDevice, kioskSignIn } from '../assets/js/kiosk-device.js';

// The device sign-in (key pair in this browser, signed challenge) is kiosk-device.js's; a screen
// that is not set up yet links to /kiosk/setup.html.
const current = await currentDevice().catch(() => null);

/**
 * A PIN staff set opens a session that may only choose her own: that screen comes before anything
 * else, then her conversations as after any sign-in.
 */
let choosing = null;

function choosePin(done) {
  choosing = done;
  const view = document.getElementById('view');
  pinChangeView(view, {
    t,
    setTitle: (text) => { document.title = `${text} – ${t('kiosk.title')}`; },
    onChanged: () => {
      choosing = null;
      // above the messaging screens, which redraw the view as they load
      view.before(h('div', { class: 'wrap' }, passwordChangedNotice(t, 'pinchange.done')));
      done();
    },
    onSignOut: async () => {
      choosing = null;
      await api.logout();
      window.location.reload();
    },
  });
}

function signInForm(done) {
  if (current === null) {
    return h('div', {}, h('p', { class: 'lead', text: t('signin.no.device') }),
      h('p', {}, h('a', { class: 'button button-primary button-big', href: '/kiosk/setup.html', text: t('signin.setup') })));
  }
  const form = h('form', { novalidate: true, class: 'signin', onSubmit: async (e) => {
    e.preventDefault();
    const number = form.querySelector('#prison-number').value.trim().toUpperCase();
    const pin = form.querySelector('#pin').value.trim();
    if (!number || !pin) {
      formError(form, t('signin.missing'));
      return;
    }
    try {
      const tokens = await kioskSignIn(number, pin);
      useTokens(tokens);
      if (passwordChangeRequired()) choosePin(done);
      else done();
    } catch (err) {
      formError(form, signInError(err));
    }
  } },
  h('p', { class: 'lead', text: t('signin.kiosk.intro') }),
  field('prison-number', 'signin.prison.number', { type: 'text', autocomplete: 'off', autocapitalize: 'characters',
    spellcheck: 'false', class: 'input-big' }, 'signin.prison.number.hint'),
  field('pin', 'signin.pin', { type: 'password', inputmode: 'numeric', autocomplete: 'off', class: 'input-big' }),
  h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button-primary button-big', text: t('signin.submit') })));
  return form;
}

runPage({ titleKey: 'kiosk.title', signInForm });
// registered after the page's own listener (which draws the sign-in form while nobody is fully signed
// in), so a change of language redraws the PIN screen in the new words instead of leaving it
onLanguage(() => {
  if (choosing && passwordChangeRequired()) choosePin(choosing);
});
