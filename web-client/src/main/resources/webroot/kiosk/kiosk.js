// The in-cell kiosk: a mother signs in with her prison number and PIN on this enrolled screen,
// then reads and writes her messages (large targets, plain words, English or Welsh).

import { h } from '../assets/js/dom.js';
import { t } from '../assets/js/i18n.js';
import { useTokens } from '../assets/js/api.js';
import { runPage, field, formError, signInError } from '../assets/js/messaging-page.js';

// The device sign-in (key pair, challenge) lives in kiosk-device.js; without it (older gateway) the
// screen asks for its kiosk id and uses the plain kiosk sign-in.
const device = await import('/assets/js/kiosk-device.js').catch(() => null);
const current = device ? await device.currentDevice().catch(() => null) : undefined;

async function plainKioskSignIn(prisonNumber, pin, deviceId) {
  const res = await fetch('/api/v1/auth/kiosk', {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ prison_number: prisonNumber, pin, device_id: deviceId }), credentials: 'omit',
  }).catch(() => null);
  if (!res) throw Object.assign(new Error('network'), { status: 0 });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(body.error?.message || 'refused'), { status: res.status, code: body.error?.code });
  return body;
}

function signInForm(done) {
  if (device && current === null) {
    return h('div', {}, h('p', { class: 'lead', text: t('signin.no.device') }),
      h('p', {}, h('a', { class: 'button button-primary button-big', href: '/kiosk/setup.html', text: t('signin.setup') })));
  }
  const form = h('form', { novalidate: true, class: 'signin', onSubmit: async (e) => {
    e.preventDefault();
    const number = form.querySelector('#prison-number').value.trim().toUpperCase();
    const pin = form.querySelector('#pin').value.trim();
    const deviceId = device ? null : form.querySelector('#device-id').value.trim();
    if (!number || !pin || (!device && !deviceId)) {
      formError(form, t('signin.missing'));
      return;
    }
    try {
      const tokens = device ? await device.kioskSignIn(number, pin) : await plainKioskSignIn(number, pin, deviceId);
      useTokens(tokens);
      done();
    } catch (err) {
      formError(form, signInError(err));
    }
  } },
  h('p', { class: 'lead', text: t('signin.kiosk.intro') }),
  field('prison-number', 'signin.prison.number', { type: 'text', autocomplete: 'off', autocapitalize: 'characters',
    spellcheck: 'false', class: 'input-big' }, 'signin.prison.number.hint'),
  field('pin', 'signin.pin', { type: 'password', inputmode: 'numeric', autocomplete: 'off', class: 'input-big' }),
  !device && field('device-id', 'signin.device', { type: 'text', autocomplete: 'off', class: 'input-big' }),
  h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button-primary button-big', text: t('signin.submit') })));
  return form;
}

runPage({ titleKey: 'kiosk.title', signInForm });
