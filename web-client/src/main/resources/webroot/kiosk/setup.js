// Kiosk set-up: staff type the device id and the one-time enrolment code from the administrator;
// in the demo they may instead pick one of the demo kiosks. Either way this browser ends up holding
// the kiosk's non-extractable device key (kiosk-device.js), which every prisoner sign-in proves.

import { currentDevice, enrolDevice, demoKiosks, useDemoKiosk } from '../assets/js/kiosk-device.js';
import { h, replace, uid, announce, focusStatic, tn } from '../assets/js/dom.js';
import { t } from '../assets/js/strings.js';
import { showErrors, clearErrors } from '../assets/js/forms.js';

const DEVICE_ID = /^[A-Za-z0-9._-]{1,64}$/;

function field(name, label, hint) {
  const id = uid('setup');
  const hintEl = h('p', { class: 'hint', id: `${id}-hint`, text: hint });
  const el = h('input', {
    id, name, type: 'text', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false',
    'aria-describedby': hintEl.id, 'data-field': name,
  });
  return { el, wrap: h('div', { class: 'field' }, h('label', { for: id, text: label }), hintEl, el) };
}

function statusLine(device) {
  if (!device) return h('p', { text: t('setup.none') });
  return h('p', {}, tn(device.demo ? 'setup.current.demo' : 'setup.current',
    { id: h('span', { class: 'device-id', text: device.device_id }) }));
}

function done(host, deviceId) {
  const notice = h('div', { class: 'notice notice-ok', role: 'status', tabindex: '-1' },
    h('p', { text: t('setup.done', { id: deviceId }) }),
    h('p', {}, h('a', { href: '/kiosk/', text: t('setup.open.kiosk') })));
  replace(host, notice);
  focusStatic(notice);
  announce(t('setup.done', { id: deviceId }));
}

async function render() {
  const view = document.getElementById('view');
  document.title = `${t('setup.title')} – Kinlink`;
  const title = h('h1', { id: 'setup-title', text: t('setup.title') });
  if (!window.isSecureContext || !window.crypto || !crypto.subtle || !window.indexedDB) {
    replace(view, title, h('div', { class: 'notice notice-error', role: 'alert' }, h('p', { text: t('kiosk.error.no.webcrypto') })));
    return;
  }
  const status = h('div', { id: 'setup-status' }, statusLine(await currentDevice()));
  const result = h('div', { id: 'setup-result' });

  const device = field('device_id', t('setup.device'), t('setup.device.hint'));
  const code = field('enrolment_code', t('setup.code'), t('setup.code.hint'));
  const submit = h('button', { type: 'submit', class: 'button-primary', text: t('setup.submit') });
  const top = h('div');
  const form = h('form', { novalidate: true, 'aria-labelledby': 'setup-title' },
    top, device.wrap, code.wrap, h('div', { class: 'button-row' }, submit));
  let busy = false;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    clearErrors(form);
    const id = device.el.value.trim();
    const problems = [];
    if (!id) problems.push({ field: 'device_id', message: t('setup.device.missing') });
    else if (!DEVICE_ID.test(id)) problems.push({ field: 'device_id', message: t('setup.device.invalid') });
    if (!code.el.value.trim()) problems.push({ field: 'enrolment_code', message: t('setup.code.missing') });
    if (problems.length) {
      showErrors(form, top, problems);
      return;
    }
    busy = true;
    submit.disabled = true;
    submit.textContent = t('setup.working');
    form.setAttribute('aria-busy', 'true');
    try {
      await enrolDevice(id, code.el.value.trim());
      replace(status, statusLine(await currentDevice()));
      done(result, id);
      code.el.value = '';
    } catch (err) {
      showErrors(form, top, [{ field: err.field === 'public_key' ? null : err.field, message: err.message }]);
    } finally {
      busy = false;
      submit.disabled = false;
      submit.textContent = t('setup.submit');
      form.setAttribute('aria-busy', 'false');
    }
  });

  const demoSection = h('section', { 'aria-labelledby': 'demo-title', hidden: true },
    h('h2', { id: 'demo-title', text: t('setup.demo.title') }), h('p', { text: t('setup.demo.intro') }));
  replace(view, title, status, result, h('p', { class: 'lead', text: t('setup.intro') }), form, demoSection);

  let kiosks = [];
  try {
    kiosks = await demoKiosks();
  } catch {
    kiosks = []; // not being able to list demo kiosks must not stop a real set-up
  }
  if (kiosks.length) {
    const demoError = h('div');
    const list = h('ul', { class: 'demo-kiosks' }, kiosks.map((k) => h('li', {}, h('button', {
      type: 'button', class: 'button-secondary', dataset: { device: k.device_id },
      onClick: async () => {
        replace(demoError);
        try {
          await useDemoKiosk(k.device_id);
          replace(status, statusLine(await currentDevice()));
          done(result, k.device_id);
        } catch (err) {
          replace(demoError, h('div', { class: 'notice notice-error', role: 'alert' }, h('p', { text: err.message })));
        }
      },
    }, t('setup.demo.use', { label: k.label }), ' ', h('span', { class: 'device-id', text: `(${k.device_id})` })))));
    demoSection.append(demoError, list);
    demoSection.hidden = false;
  }
}

render();
