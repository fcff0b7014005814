// Admins of an establishment: its staff accounts (#/admin/staff: create with the one-time-code
// enrolment shown once as a QR code, change role, reset the sign-in (password, and the
// authenticator when it is lost, after a confirmation step), disable or enable) and its
// kiosk devices (#/admin/devices: enrol, withdraw). The API keeps both to the admin's establishment.

import { api } from '../assets/js/api.js';
import { h, replace, uid, focusStatic, openDialog, formatInstant } from '../assets/js/dom.js';
import { t } from '../assets/js/strings.js';
import { showErrors, clearErrors, problemsOf } from '../assets/js/forms.js';
import qrcode from '../assets/vendor/qrcode-generator/qrcode.mjs';
import { errorNotice, itemsOf } from './common.js';

const ROLES = ['OFFICER', 'FAMILY_WORKER', 'SECURITY', 'ADMIN'];
const SVG = 'http://www.w3.org/2000/svg';

/** The text as a QR code drawn in SVG (dark modules as one path), labelled for screen readers. */
export function qrSvg(text, label) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  const quiet = 4;
  let d = '';
  for (let r = 0; r < n; r += 1) {
    for (let c = 0; c < n; c += 1) if (qr.isDark(r, c)) d += `M${c + quiet} ${r + quiet}h1v1h-1z`;
  }
  const svg = document.createElementNS(SVG, 'svg');
  const size = n + quiet * 2;
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('class', 'qr');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const bg = document.createElementNS(SVG, 'rect');
  bg.setAttribute('width', String(size));
  bg.setAttribute('height', String(size));
  bg.setAttribute('fill', '#fff');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.append(bg, path);
  return svg;
}

/** A labelled control with its hint (tied to it by aria-describedby), as every admin form lays one out. */
export function field(label, control, hint) {
  const id = control.id || (control.id = uid('adm'));
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint`, text: hint }) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id, text: label }), hintEl, control);
}

/** Pages through a list answer until its end (an establishment has tens of accounts, not thousands). */
async function all(load) {
  const out = [];
  let cursor = null;
  do {
    const page = await load(cursor);
    out.push(...itemsOf(page));
    cursor = page.next_cursor || null;
  } while (cursor && out.length < 2000);
  return out;
}

/** Says in `host` what an action did, taking focus so a screen reader reads it at once. */
export function okNotice(host, text) {
  const node = h('div', { class: 'notice notice-ok', tabindex: '-1' }, h('p', { text }));
  replace(host, node);
  focusStatic(node);
  return node;
}

/**
 * The frame both admin pages share: a list loaded in full, drawn by `draw(items, host)`, and a
 * notice area above it that says what an action did (ok) or why it failed (fail), taking focus.
 */
function adminList(load, draw) {
  const listHost = h('div');
  const noticeHost = h('div', { class: 'page-notice' });
  const frame = {
    listHost,
    noticeHost,
    items: [],
    async reload() {
      try {
        frame.items = await all(load);
        draw(frame.items, listHost);
      } catch (e) {
        replace(listHost, errorNotice(e));
      }
    },
    ok: (text) => okNotice(noticeHost, text),
    fail(e) {
      const node = h('div', { class: 'notice notice-error', role: 'alert', tabindex: '-1' }, h('p', { text: problemsOf(e)[0].message }));
      replace(noticeHost, node);
      focusStatic(node);
    },
  };
  return frame;
}

/** #/admin/staff */
export async function staffAccountsView(host, app) {
  app.title(t('admin.staff.title'));
  const frame = adminList((c) => api.staffAccounts(c), drawList);
  const { listHost, noticeHost, reload } = frame;

  async function change(a, body, doneKey) {
    try {
      await api.updateStaff(a.id, body);
      await reload();
      return frame.ok(t(doneKey, { name: a.name }));
    } catch (e) {
      frame.fail(e);
      return null;
    }
  }

  function drawList(accounts) {
    replace(listHost, h('div', { class: 'table-wrap' }, h('table', { class: 'stack', id: 'staff-table' },
      h('caption', { text: t('admin.staff.caption') }),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', text: t('admin.col.name') }),
        h('th', { scope: 'col', text: t('admin.col.email') }),
        h('th', { scope: 'col', text: t('admin.col.role') }),
        h('th', { scope: 'col', text: t('admin.col.status') }),
        h('th', { scope: 'col', text: t('admin.col.actions') }))),
      h('tbody', {}, accounts.map((a) => {
        const self = app.me && a.id === app.me.account_id;
        const roleId = uid('role');
        const role = h('select', { id: roleId, disabled: self },
          ROLES.map((r) => h('option', { value: r, text: t(`role.staff.${r}`), selected: a.role === r })));
        return h('tr', {},
          h('th', { scope: 'row', text: a.name }),
          h('td', { text: a.email || '' }),
          h('td', {}, h('label', { for: roleId, class: 'visually-hidden', text: t('admin.role.of', { name: a.name }) }), role,
            self ? null : h('button', {
              type: 'button', class: 'button-secondary', text: t('admin.role.save'), 'aria-label': t('admin.role.save.of', { name: a.name }),
              onClick: () => change(a, { role: role.value }, 'admin.role.done'),
            })),
          h('td', { text: a.disabled ? t('admin.disabled') : t('admin.active') }),
          h('td', {}, self ? h('span', { class: 'meta', text: t('admin.self') }) : h('div', { class: 'button-row tight' },
            h('button', {
              type: 'button', class: a.disabled ? 'button-secondary' : 'button-danger',
              text: a.disabled ? t('admin.enable') : t('admin.disable'),
              'aria-label': t(a.disabled ? 'admin.enable.of' : 'admin.disable.of', { name: a.name }),
              onClick: () => change(a, { disabled: !a.disabled }, a.disabled ? 'admin.enabled.done' : 'admin.disabled.done'),
            }),
            h('button', {
              type: 'button', class: 'button-secondary', text: t('admin.reset'), 'aria-label': t('admin.reset.of', { name: a.name }),
              'aria-haspopup': 'dialog',
              onClick: (e) => confirmReset(a, e.currentTarget),
            }))));
      })))));
  }

  // ---- reset: a confirmation step, then the new secrets shown once ---------------------------
  const dialog = h('dialog', { 'aria-labelledby': 'reset-title' });

  function confirmReset(a, opener) {
    const whatName = uid('reset-what');
    const reasonId = uid('reset-reason');
    const option = (value, label, hint, checked) => {
      const id = uid('reset-opt');
      return h('div', {},
        h('div', { class: 'choice' },
          h('input', { type: 'radio', name: whatName, id, value, checked, 'aria-describedby': `${id}-hint` }),
          h('label', { for: id, text: label })),
        h('p', { class: 'hint', id: `${id}-hint`, text: hint }));
    };
    const reason = h('textarea', { id: reasonId, rows: '2', 'data-field': 'reason', 'aria-describedby': `${reasonId}-hint` });
    const top = h('div');
    const submit = h('button', { type: 'submit', class: 'button-danger', text: t('admin.reset.submit') });
    const form = h('form', { novalidate: true, method: 'dialog' },
      h('h2', { id: 'reset-title', text: t('admin.reset.title', { name: a.name }) }),
      h('p', { text: t('admin.reset.intro') }),
      top,
      h('fieldset', { class: 'field' },
        h('legend', { text: t('admin.reset.what') }),
        option('both', t('admin.reset.both'), t('admin.reset.both.hint'), true),
        option('password', t('admin.reset.password.only'), t('admin.reset.password.only.hint'), false)),
      h('div', { class: 'field' },
        h('label', { for: reasonId, text: t('admin.reset.reason') }),
        h('p', { class: 'hint', id: `${reasonId}-hint`, text: t('admin.reset.reason.hint') }),
        reason),
      h('div', { class: 'button-row' }, submit,
        h('button', { type: 'button', class: 'button-secondary', text: t('admin.reset.cancel'), onClick: () => dialog.close('cancel') })));
    let busy = false;
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (busy) return;
      clearErrors(form);
      const totp = form.querySelector(`input[name="${whatName}"]:checked`).value === 'both';
      const body = { totp };
      if (reason.value.trim()) body.reason = reason.value.trim();
      busy = true;
      submit.setAttribute('aria-disabled', 'true');
      try {
        const reset = await api.resetStaff(a.id, body);
        dialog.close('done');
        await reload();
        showSecrets(reset, reset.password, false);
      } catch (err) {
        showErrors(form, top, problemsOf(err));
      } finally {
        busy = false;
        submit.removeAttribute('aria-disabled');
      }
    });
    openDialog(dialog, form, opener, form.querySelector('input[type="radio"]'));
  }

  // ---- create ------------------------------------------------------------------------------
  const name = h('input', { type: 'text', 'data-field': 'name', autocomplete: 'off' });
  const email = h('input', { type: 'email', 'data-field': 'email', autocomplete: 'off', spellcheck: 'false' });
  const role = h('select', { 'data-field': 'role' }, ROLES.map((r) => h('option', { value: r, text: t(`role.staff.${r}`) })));
  const password = h('input', { type: 'text', 'data-field': 'password', autocomplete: 'off', spellcheck: 'false', value: generatedPassword() });
  const top = h('div');
  const enrolHost = h('div');
  const form = h('form', { novalidate: true, 'aria-labelledby': 'create-staff-title' },
    h('h2', { id: 'create-staff-title', text: t('admin.create') }),
    top,
    field(t('admin.col.name'), name),
    field(t('admin.col.email'), email, t('admin.email.hint')),
    field(t('admin.col.role'), role),
    field(t('admin.password'), password, t('admin.password.hint')),
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button-primary', text: t('admin.create.submit') })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const problems = [];
    if (!name.value.trim()) problems.push({ field: 'name', message: t('admin.name.missing') });
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.value.trim())) problems.push({ field: 'email', message: t('fielderror.email') });
    if (password.value.length < 12) problems.push({ field: 'password', message: t('fielderror.password') });
    if (problems.length) {
      showErrors(form, top, problems);
      return;
    }
    try {
      const created = await api.createStaff({ name: name.value.trim(), email: email.value.trim(), role: role.value, password: password.value });
      const chosen = password.value;
      name.value = '';
      email.value = '';
      password.value = generatedPassword();
      await reload();
      showSecrets(created, chosen, true);
    } catch (err) {
      showErrors(form, top, problemsOf(err));
    }
  });

  /**
   * What the staff member needs, shown once: the password and, when there is a new TOTP secret, its
   * QR code and key; for a new account (`created`) or a reset.
   */
  function showSecrets(a, password, created) {
    const uri = a.otpauth_uri || (a.totp_secret
      ? `otpauth://totp/Kinlink:${encodeURIComponent(a.email)}?secret=${a.totp_secret}&issuer=Kinlink&digits=6&period=30` : null);
    const intro = created ? 'admin.enrol.intro' : uri ? 'admin.reset.done.totp' : 'admin.reset.done.intro';
    const box = h('div', { class: 'notice notice-ok enrolment', tabindex: '-1', id: 'enrolment' },
      h('h3', { text: t(created ? 'admin.created' : 'admin.reset.done', { name: a.name }) }),
      h('p', { text: t(intro) }),
      uri ? qrSvg(uri, t('admin.enrol.qr', { name: a.name })) : null,
      a.totp_secret ? h('p', {}, t('admin.enrol.key'), ' ', h('code', { class: 'secret', id: 'totp-secret', text: a.totp_secret })) : null,
      h('p', {}, t(created ? 'admin.enrol.password' : 'admin.reset.password'), ' ', h('code', { class: 'secret', id: 'new-password', text: password })),
      h('p', { class: 'meta', text: t('admin.enrol.once') }),
      h('p', {}, h('button', { type: 'button', class: 'button-secondary', text: t('admin.enrol.done'), onClick: () => replace(enrolHost) })));
    replace(enrolHost, box);
    noticeHost.replaceChildren();
    focusStatic(box);
  }

  await reload();
  if (!app.current()) return;
  replace(host,
    h('h1', { text: t('admin.staff.title') }),
    h('p', { text: t('admin.staff.intro') }),
    noticeHost,
    enrolHost,
    h('section', { class: 'panel' }, form),
    h('section', { class: 'panel', 'aria-labelledby': 'staff-list-title' },
      h('h2', { id: 'staff-list-title', text: t('admin.staff.caption') }), listHost),
    dialog);
  app.focusHeading();
}

/** A strong random password a new account can sign in with once and then change. */
function generatedPassword() {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}-${chars.slice(12, 16)}`;
}

/** #/admin/devices */
export async function devicesView(host, app) {
  app.title(t('admin.devices.title'));
  const frame = adminList((c) => api.devices(c), drawList);
  const { listHost, noticeHost, reload } = frame;
  /** The code a kiosk enrols its key with, shown once with where to type it. */
  function codeNotice(doneKey, d) {
    const node = frame.ok(t(doneKey, { id: d.id }));
    node.id = 'enrolment-code';
    node.append(
      h('p', {}, t('admin.device.code', { path: '/kiosk/setup.html', id: d.id }), ' ',
        h('code', { class: 'secret', text: d.enrolment_code })),
      h('p', { class: 'meta' }, t('admin.device.code.until', { until: formatInstant(d.enrolment_code_expires_at) })));
  }

  async function newCode(d) {
    try {
      const issued = await api.newEnrolmentCode(d.id);
      await reload();
      codeNotice('admin.device.code.done', issued);
    } catch (e) {
      frame.fail(e);
    }
  }

  function statusOf(d) {
    if (d.status === 'AWAITING_KEY') return t('admin.device.awaiting');
    return d.enrolled === false ? t('admin.device.withdrawn') : t('admin.device.enrolled');
  }

  function drawList(devices) {
    replace(listHost, devices.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'stack', id: 'devices-table' },
      h('caption', { text: t('admin.devices.caption') }),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', text: t('admin.device.id') }),
        h('th', { scope: 'col', text: t('admin.device.location') }),
        h('th', { scope: 'col', text: t('admin.col.status') }),
        h('th', { scope: 'col', text: t('admin.col.actions') }))),
      h('tbody', {}, devices.map((d) => h('tr', {},
        h('th', { scope: 'row', text: d.id }),
        h('td', { text: d.location || '' }),
        h('td', { text: statusOf(d) }),
        h('td', {}, h('div', { class: 'button-row tight' },
          d.status === 'ENROLLED' ? null : h('button', {
            type: 'button', class: 'button-secondary', text: t('admin.device.newcode'),
            'aria-label': t('admin.device.newcode.of', { id: d.id, location: d.location || '' }),
            onClick: () => newCode(d),
          }),
          d.enrolled === false ? null : h('button', {
            type: 'button', class: 'button-danger', text: t('admin.device.withdraw'),
            'aria-label': t('admin.device.withdraw.of', { id: d.id, location: d.location || '' }),
            onClick: async () => {
              try {
                await api.updateDevice(d.id, { enrolled: false });
                await reload();
                frame.ok(t('admin.device.withdrawn.done', { id: d.id }));
              } catch (e) {
                frame.fail(e);
              }
            },
          })))))))) : h('p', { text: t('admin.devices.none') }));
  }

  const id = h('input', { type: 'text', 'data-field': 'id', autocomplete: 'off', spellcheck: 'false' });
  const location = h('input', { type: 'text', 'data-field': 'location', autocomplete: 'off' });
  const top = h('div');
  const form = h('form', { novalidate: true, 'aria-labelledby': 'enrol-title' },
    h('h2', { id: 'enrol-title', text: t('admin.device.enrol') }),
    top,
    field(t('admin.device.id'), id, t('admin.device.id.hint')),
    field(t('admin.device.location'), location, t('admin.device.location.hint')),
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button-primary', text: t('admin.device.enrol.submit') })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const problems = [];
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id.value.trim())) problems.push({ field: 'id', message: t('fielderror.id') });
    if (!location.value.trim()) problems.push({ field: 'location', message: t('admin.device.location.missing') });
    if (problems.length) {
      showErrors(form, top, problems);
      return;
    }
    try {
      const d = await api.enrolDevice({ id: id.value.trim(), location: location.value.trim() });
      id.value = '';
      location.value = '';
      await reload();
      codeNotice('admin.device.enrolled.done', d);
    } catch (err) {
      showErrors(form, top, problemsOf(err));
    }
  });

  await reload();
  if (!app.current()) return;
  replace(host,
    h('h1', { text: t('admin.devices.title') }),
    h('p', { text: t('admin.devices.intro') }),
    noticeHost,
    h('section', { class: 'panel' }, form),
    h('section', { class: 'panel', 'aria-labelledby': 'devices-list-title' },
      h('h2', { id: 'devices-list-title', text: t('admin.devices.caption') }), listHost));
  app.focusHeading();
}
