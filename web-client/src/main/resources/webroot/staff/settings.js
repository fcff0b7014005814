// #/admin/settings: an admin's own establishment, two forms saved separately (each is its own API
// resource): how long message bodies and photos are kept, and how video calls run. The API checks
// the values and names the field it refuses; the page only checks that numbers are whole numbers,
// so what is allowed is decided in one place.

import { api } from '../assets/js/api.js';
import { h, replace, uid } from '../assets/js/dom.js';
import { t } from '../assets/js/strings.js';
import { showErrors, clearErrors, problemsOf, labelOf } from '../assets/js/forms.js';
import { errorNotice } from './common.js';
import { field, okNotice } from './admin.js';

/** A whole-number input in the GOV.UK way (text with a numeric keypad, not type=number). */
function wholeNumber(name, value) {
  return h('input', {
    type: 'text', inputmode: 'numeric', 'data-field': name, class: 'narrow', autocomplete: 'off',
    spellcheck: 'false', value: value === undefined || value === null ? '' : String(value),
  });
}

/** The problem with each control whose value is not a whole number, in the words of its label. */
function notWhole(controls) {
  return controls.filter((c) => !/^\s*\d+\s*$/.test(c.value))
    .map((c) => ({ field: c.dataset.field, message: t('settings.whole', { label: labelOf(c).toLowerCase() }) }));
}

function yesNo(name, value) {
  const group = uid('approval');
  const option = (v, label) => {
    const id = uid('approval-opt');
    return h('div', { class: 'choice' },
      h('input', { type: 'radio', name: group, id, value: String(v), checked: value === v }),
      h('label', { for: id, text: label }));
  };
  return h('fieldset', { class: 'field', 'data-field': name },
    h('legend', { text: t('settings.approval') }),
    h('div', { class: 'choices stacked' },
      option(true, t('settings.approval.yes')),
      option(false, t('settings.approval.no'))));
}

/** Runs one save: clears the form's errors, sends, and shows the API's problems beside their fields. */
async function save(form, top, send) {
  clearErrors(form);
  try {
    return await send();
  } catch (err) {
    showErrors(form, top, problemsOf(err));
    return null;
  }
}

export async function settingsView(host, app) {
  app.title(t('settings.title'));
  const est = app.me && app.me.establishment ? app.me.establishment : null;
  const estId = est && (est.id || est);
  let messaging;
  let calls;
  try {
    [messaging, calls] = await Promise.all([api.messagingSettings(estId), api.callSettings(estId)]);
  } catch (e) {
    if (!app.current()) return;
    replace(host, h('h1', { text: t('settings.title') }), errorNotice(e));
    app.focusHeading();
    return;
  }
  if (!app.current()) return;
  const noticeHost = h('div', { class: 'page-notice' });

  // ---- messages ----------------------------------------------------------------------------
  const retention = wholeNumber('retention_days', messaging.retention_days);
  const msgTop = h('div');
  const msgForm = h('form', { novalidate: true, 'aria-labelledby': 'settings-messages-title' },
    h('h2', { id: 'settings-messages-title', text: t('settings.messages') }),
    msgTop,
    field(t('settings.retention'), retention, t('settings.retention.hint')),
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button-primary', text: t('settings.messages.submit') })));
  msgForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const problems = notWhole([retention]);
    if (problems.length) {
      showErrors(msgForm, msgTop, problems);
      return;
    }
    const saved = await save(msgForm, msgTop, () => api.setMessagingSettings(estId, { retention_days: Number(retention.value.trim()) }));
    if (saved) {
      retention.value = String(saved.retention_days);
      okNotice(noticeHost, t('settings.messages.done', { days: saved.retention_days }));
    }
  });

  // ---- video calls -------------------------------------------------------------------------
  const hours = calls.call_hours || {};
  const opens = h('input', { type: 'time', 'data-field': 'call_hours.opens', value: hours.opens || '' });
  const closes = h('input', { type: 'time', 'data-field': 'call_hours.closes', value: hours.closes || '' });
  const capacity = wholeNumber('capacity', calls.capacity);
  const approval = yesNo('approval_required', calls.approval_required);
  const recordings = wholeNumber('recording_retention_days', calls.recording_retention_days);
  const callTop = h('div');
  const callForm = h('form', { novalidate: true, 'aria-labelledby': 'settings-calls-title' },
    h('h2', { id: 'settings-calls-title', text: t('settings.calls') }),
    callTop,
    h('fieldset', { class: 'field', 'data-field': 'call_hours', 'aria-describedby': 'settings-hours-hint' },
      h('legend', { text: t('settings.hours') }),
      h('p', { class: 'hint', id: 'settings-hours-hint', text: t('settings.hours.hint') }),
      h('div', { class: 'choices' }, field(t('settings.opens'), opens), field(t('settings.closes'), closes))),
    field(t('settings.capacity'), capacity, t('settings.capacity.hint')),
    approval,
    field(t('settings.recordings'), recordings, t('settings.recordings.hint')),
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button-primary', text: t('settings.calls.submit') })));
  callForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const problems = [opens, closes].filter((c) => !/^\d\d:\d\d$/.test(c.value))
      .map((c) => ({ field: c.dataset.field, message: t('settings.time') }))
      .concat(notWhole([capacity, recordings]));
    if (problems.length) {
      showErrors(callForm, callTop, problems);
      return;
    }
    const chosen = approval.querySelector('input:checked');
    const body = {
      call_hours: { opens: opens.value, closes: closes.value },
      capacity: Number(capacity.value.trim()),
      approval_required: chosen ? chosen.value === 'true' : null,
      recording_retention_days: Number(recordings.value.trim()),
    };
    const saved = await save(callForm, callTop, () => api.setCallSettings(estId, body));
    if (saved) {
      okNotice(noticeHost, t('settings.calls.done', { opens: saved.call_hours.opens, closes: saved.call_hours.closes }));
    }
  });

  replace(host,
    h('h1', { text: t('settings.title') }),
    h('p', { text: est && est.name ? t('settings.intro', { establishment: est.name }) : t('settings.intro.any') }),
    noticeHost,
    h('section', { class: 'panel' }, msgForm),
    h('section', { class: 'panel' }, callForm));
  app.focusHeading();
}
