// The restrictions form: every field of a contact's policy document (docs/domain.md) as ordinary
// controls, read back into a document for PUT /contacts/{id}/policy. Fields this form does not
// know are carried over untouched from the loaded document, so saving never drops data a newer
// server added. Each control names its document path in data-field so that the API's
// problems[].field (e.g. policy.windows[0].from) can be shown next to it.

import { h, uid, announce } from '../assets/js/dom.js';
import { t, tOr } from '../assets/js/strings.js';

export const CHANNELS = ['MESSAGE', 'VIDEO', 'PHOTO'];
export const OVERSIGHT = ['RECORDED', 'MONITORED', 'SUPERVISED', 'PRIVILEGED'];
export const SUPERVISOR_ROLES = ['SCHOOL', 'CARER', 'SOCIAL_WORKER', 'FAMILY_WORKER', 'OFFICER'];
export const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
export const RELATIONSHIPS = ['CHILD', 'CARER', 'PARENT', 'PARTNER', 'SCHOOL', 'SOCIAL_WORKER', 'LEGAL', 'OTHER'];
export const ORDER_EFFECTS = ['NO_CONTACT', 'NO_DIRECT_CONTACT', 'NO_INDIRECT_CONTACT', 'NO_PHOTOS'];
export const ORDER_KINDS = ['NON_MOLESTATION', 'CHILD_ARRANGEMENTS', 'PROHIBITED_STEPS', 'RESTRAINING',
  'SPECIFIC_ISSUE', 'SEXUAL_HARM_PREVENTION', 'CARE_ORDER', 'SUPERVISION_ORDER', 'OTHER'];
export const LIMITS = ['calls_per_week', 'calls_per_fortnight', 'call_minutes', 'messages_per_day'];

const ROOT = 'policy';

/** A labelled control in a .field wrapper; the hint (if any) is tied with aria-describedby. */
function field({ label, hint, control, cls = 'field' }) {
  const id = control.id || (control.id = uid('pf'));
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint`, text: hint }) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: cls }, h('label', { for: id, text: label }), hintEl, control);
}

/** A fieldset of checkboxes or radios. */
function choiceGroup({ legend, hint, type, name, values, checked, labelOf, path, cls = 'group-choices', legendCls }) {
  const hintId = hint ? uid('hint') : null;
  const group = h('fieldset', { class: cls, 'data-field': path, 'aria-describedby': hintId },
    h('legend', { class: legendCls, text: legend }),
    hint ? h('p', { class: 'hint', id: hintId, text: hint }) : null,
    h('div', { class: 'choices' }, values.map((v) => {
      const id = uid('pf');
      return h('div', { class: 'choice' },
        h('input', { type, id, name, value: v, checked: checked(v) }),
        h('label', { for: id, text: labelOf(v) }));
    })));
  return group;
}

function checkedValues(container, name) {
  return [...container.querySelectorAll(`input[name="${CSS.escape(name)}"]:checked`)].map((i) => i.value);
}

function numberInput(path, value) {
  return h('input', {
    type: 'number', class: 'narrow', min: '0', step: '1', inputmode: 'numeric',
    value: value === null || value === undefined ? '' : String(value), 'data-field': path,
  });
}

function readNumber(input, problems) {
  if (input.validity.badInput) {
    problems.push({ field: input.dataset.field, message: t('policy.number.bad') });
    return undefined;
  }
  const v = input.value.trim();
  if (v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    problems.push({ field: input.dataset.field, message: t('policy.number.bad') });
    return undefined;
  }
  return n;
}

/** Limit inputs for `path` (e.g. policy.limits); returns the element and a reader. */
function limitsEditor(path, limits, legendKey, hintKey) {
  const inputs = LIMITS.map((k) => [k, numberInput(`${path}.${k}`, limits ? limits[k] : null)]);
  const hintId = uid('hint');
  const el = h('fieldset', { class: 'limits', 'data-field': path, 'aria-describedby': hintId },
    h('legend', { text: t(legendKey) }),
    h('p', { class: 'hint', id: hintId, text: t(hintKey) }),
    h('div', { class: 'inline-fields' }, inputs.map(([k, input]) => field({ label: t(`policy.limit.${k}`), control: input }))));
  return {
    el,
    read(problems, original) {
      const out = { ...(original || {}) };
      for (const [k, input] of inputs) {
        const n = readNumber(input, problems);
        if (n === undefined) delete out[k]; else out[k] = n;
      }
      return out;
    },
  };
}

/**
 * A list with add/remove: rows are rebuilt from their values after a removal so that numbering,
 * labels and data-field paths always match positions in the document.
 */
function listEditor({ path, legend, hint, addLabel, values, makeRow, blank }) {
  const rowsHost = h('div', { class: 'rows' });
  const hintId = hint ? uid('hint') : null;
  let rows = [];
  const addButton = h('button', { type: 'button', class: 'button-secondary', text: addLabel });
  const el = h('fieldset', { class: 'group', 'data-field': path, 'aria-describedby': hintId },
    h('legend', { class: 'section', text: legend }),
    hint ? h('p', { class: 'hint', id: hintId, text: hint }) : null,
    rowsHost,
    h('p', {}, addButton));

  function render(list) {
    rows = list.map((v, i) => makeRow(i, v, () => remove(i)));
    rowsHost.replaceChildren(...rows.map((r) => r.el));
  }
  function current() {
    return rows.map((r) => r.snapshot());
  }
  function remove(i) {
    const list = current();
    list.splice(i, 1);
    render(list);
    const next = rows[i] || rows[i - 1];
    (next ? next.focusFirst() : addButton.focus());
    announce(t('policy.removed'));
  }
  addButton.addEventListener('click', () => {
    const list = current();
    list.push(blank());
    render(list);
    rows[rows.length - 1].focusFirst();
  });
  render(values);
  return {
    el,
    read(problems) {
      return rows.map((r) => r.read(problems));
    },
  };
}

function removeButton(label, onRemove) {
  return h('button', { type: 'button', class: 'button-secondary', text: label, onClick: onRemove });
}

function windowRow(i, w, onRemove) {
  const base = `${ROOT}.windows[${i}]`;
  const name = uid('days');
  const days = choiceGroup({
    legend: t('policy.window.days'), type: 'checkbox', name, values: DAYS,
    checked: (d) => (w.days || []).includes(d), labelOf: (d) => t(`day.${d}`), path: `${base}.days`,
  });
  const from = h('input', { type: 'time', value: w.from || '', 'data-field': `${base}.from` });
  const to = h('input', { type: 'time', value: w.to || '', 'data-field': `${base}.to` });
  const n = i + 1;
  const el = h('fieldset', { class: 'row', 'data-field': base },
    h('legend', { text: t('policy.window', { n }) }),
    days,
    h('div', { class: 'inline-fields' },
      field({ label: t('policy.window.from'), control: from }),
      field({ label: t('policy.window.to'), control: to })),
    h('p', {}, removeButton(t('policy.window.remove', { n }), onRemove)));
  const snapshot = () => ({ ...w, days: checkedValues(el, name), from: from.value, to: to.value });
  return {
    el,
    snapshot,
    read: snapshot,
    focusFirst: () => el.querySelector('input').focus(),
  };
}

function stageRow(i, s, onRemove) {
  const base = `${ROOT}.step_up[${i}]`;
  const n = i + 1;
  const from = h('input', { type: 'date', value: s.from || '', 'data-field': `${base}.from` });
  const mode = uid('mode');
  const chName = uid('ch');
  const own = Array.isArray(s.channels);
  const keepId = uid('pf');
  const ownId = uid('pf');
  const channels = choiceGroup({
    legend: t('policy.stage.channels'), type: 'checkbox', name: chName, values: CHANNELS,
    checked: (c) => own && s.channels.includes(c), labelOf: (c) => t(`channel.${c}`), path: undefined,
    cls: 'nested',
  });
  // "Same as above" and an explicit (possibly empty) set are different things: an empty set
  // allows nothing, so the choice is made explicit rather than inferred from unticked boxes.
  const modeGroup = h('fieldset', { class: 'stage-channels', 'data-field': `${base}.channels` },
    h('legend', { text: t('policy.stage.channels') }),
    h('div', { class: 'choices stacked' },
      h('div', { class: 'choice' }, h('input', { type: 'radio', id: keepId, name: mode, value: 'keep', checked: !own }),
        h('label', { for: keepId, text: t('policy.stage.channels.keep') })),
      h('div', { class: 'choice' }, h('input', { type: 'radio', id: ownId, name: mode, value: 'own', checked: own }),
        h('label', { for: ownId, text: t('policy.stage.channels.own') }))),
    channels);
  channels.querySelector('legend').classList.add('visually-hidden');
  const sync = () => {
    const isOwn = modeGroup.querySelector(`input[name="${mode}"]:checked`).value === 'own';
    channels.hidden = !isOwn;
  };
  modeGroup.addEventListener('change', sync);
  sync();
  const limits = limitsEditor(`${base}.limits`, s.limits, 'policy.stage.limits', 'policy.limits.hint');
  const el = h('fieldset', { class: 'row', 'data-field': base },
    h('legend', { text: t('policy.stage', { n }) }),
    field({ label: t('policy.stage.from'), control: from }),
    modeGroup,
    limits.el,
    h('p', {}, removeButton(t('policy.stage.remove', { n }), onRemove)));
  const snapshot = () => {
    const out = { ...s, from: from.value };
    if (modeGroup.querySelector(`input[name="${mode}"]:checked`).value === 'own') out.channels = checkedValues(channels, chName);
    else delete out.channels;
    const p = [];
    const l = limits.read(p, s.limits);
    if (Object.keys(l).length) out.limits = l; else delete out.limits;
    return out;
  };
  return {
    el,
    snapshot,
    read(problems) {
      const out = snapshot();
      limits.read(problems, s.limits);
      return out;
    },
    focusFirst: () => from.focus(),
  };
}

function orderRow(i, o, onRemove, listId) {
  const base = `${ROOT}.court_orders[${i}]`;
  const n = i + 1;
  const kind = h('input', { type: 'text', value: o.kind || '', list: listId, 'data-field': `${base}.kind`, autocomplete: 'off' });
  const effect = h('select', { 'data-field': `${base}.effect` },
    o.effect && !ORDER_EFFECTS.includes(o.effect) ? h('option', { value: o.effect, text: o.effect, selected: true }) : null,
    h('option', { value: '', text: '—', selected: !o.effect }),
    ORDER_EFFECTS.map((e) => h('option', { value: e, text: tOr(`effect.${e}`, e), selected: o.effect === e })));
  const from = h('input', { type: 'date', value: o.from || '', 'data-field': `${base}.from` });
  const until = h('input', { type: 'date', value: o.until || '', 'data-field': `${base}.until` });
  const ref = h('input', { type: 'text', value: o.ref || '', 'data-field': `${base}.ref`, autocomplete: 'off', class: 'narrow-text' });
  const el = h('fieldset', { class: 'row', 'data-field': base },
    h('legend', { text: t('policy.order', { n }) }),
    field({ label: t('policy.order.kind'), hint: t('policy.order.kind.hint'), control: kind }),
    field({ label: t('policy.order.effect'), control: effect }),
    h('div', { class: 'inline-fields' },
      field({ label: t('policy.order.from'), control: from }),
      field({ label: t('policy.order.until'), control: until })),
    field({ label: t('policy.order.ref'), control: ref }),
    h('p', {}, removeButton(t('policy.order.remove', { n }), onRemove)));
  const snapshot = () => {
    const out = { ...o, kind: kind.value.trim(), effect: effect.value, until: until.value || null, ref: ref.value.trim() };
    if (from.value) out.from = from.value; else delete out.from;
    return out;
  };
  return { el, snapshot, read: snapshot, focusFirst: () => kind.focus() };
}

/** A never-with row: one of the prisoner's people, chosen by name (an entry we cannot name is kept as it is). */
function personRow(people) {
  return (i, value, onRemove) => {
    const n = i + 1;
    const path = `${ROOT}.never_with[${i}]`;
    const known = people.some((p) => p.value === value);
    const select = h('select', { 'data-field': path },
      h('option', { value: '', text: t('policy.neverwith.choose'), selected: !value }),
      value && !known ? h('option', { value, text: t('policy.neverwith.unknown'), selected: true }) : null,
      people.map((p) => h('option', { value: p.value, text: p.label, selected: p.value === value })));
    const el = h('div', { class: 'list-item' },
      field({ label: t('policy.neverwith.item', { n }), control: select }),
      removeButton(t('policy.neverwith.remove', { n }), onRemove));
    return { el, snapshot: () => select.value, read: () => select.value, focusFirst: () => select.focus() };
  };
}

function textRow(pathOf, labelKey, removeKey) {
  return (i, value, onRemove) => {
    const n = i + 1;
    const input = h('input', { type: 'text', value: value || '', 'data-field': pathOf(i), autocomplete: 'off' });
    const el = h('div', { class: 'list-item' },
      field({ label: t(labelKey, { n }), control: input }),
      removeButton(t(removeKey, { n }), onRemove));
    const snapshot = () => input.value;
    return { el, snapshot, read: () => input.value.trim(), focusFirst: () => input.focus() };
  };
}

/**
 * Builds the form for `policy` (the document at `version`). `onSubmit(policy, reason, problems)`
 * is called with the document read back, the reason, and any problems found before sending.
 */
export function policyForm({ policy, version, onSubmit, onClose, people = [], tightenOnly = false }) {
  const doc = structuredClone(policy || {});
  const errorHost = h('div', { class: 'form-top' });

  const relationship = h('select', { 'data-field': `${ROOT}.relationship` },
    doc.relationship && !RELATIONSHIPS.includes(doc.relationship)
      ? h('option', { value: doc.relationship, text: doc.relationship, selected: true }) : null,
    RELATIONSHIPS.map((r) => h('option', { value: r, text: tOr(`rel.${r}`, r), selected: doc.relationship === r })));

  const channelsName = uid('channels');
  const channels = choiceGroup({
    legend: t('policy.channels'), hint: t('policy.channels.hint'), type: 'checkbox', name: channelsName,
    values: CHANNELS, checked: (c) => (doc.channels || []).includes(c), labelOf: (c) => t(`channel.${c}`),
    path: `${ROOT}.channels`, cls: 'group', legendCls: 'section',
  });

  const oversightName = uid('oversight');
  const oversight = choiceGroup({
    legend: t('policy.oversight'), type: 'radio', name: oversightName, values: OVERSIGHT,
    checked: (o) => doc.oversight === o, labelOf: (o) => t(`oversight.${o}`), path: `${ROOT}.oversight`,
    cls: 'group', legendCls: 'section',
  });
  oversight.querySelector('.choices').classList.add('stacked');
  const supervisorName = uid('sup');
  const supervisor = choiceGroup({
    legend: t('policy.supervisor'), hint: t('policy.supervisor.hint'), type: 'checkbox', name: supervisorName,
    values: SUPERVISOR_ROLES, checked: (r) => ((doc.supervisor && doc.supervisor.any_of) || []).includes(r),
    labelOf: (r) => tOr(`role.${r}`, r), path: `${ROOT}.supervisor.any_of`, cls: 'nested row',
  });
  const supervisorWrap = h('div', { 'data-field': `${ROOT}.supervisor` }, supervisor);
  oversight.append(supervisorWrap);
  const isSupervised = () => checkedValues(oversight, oversightName)[0] === 'SUPERVISED';
  // the supervisor roles only matter (and are only shown) when oversight is SUPERVISED
  const syncSupervisor = () => {
    supervisorWrap.hidden = !isSupervised();
  };
  oversight.addEventListener('change', syncSupervisor);
  syncSupervisor();

  const windows = listEditor({
    path: `${ROOT}.windows`, legend: t('policy.windows'), hint: t('policy.windows.hint'),
    addLabel: t('policy.window.add'), values: doc.windows || [], makeRow: windowRow,
    blank: () => ({ days: [], from: '', to: '' }),
  });

  const limits = limitsEditor(`${ROOT}.limits`, doc.limits, 'policy.limits', 'policy.limits.hint');
  limits.el.classList.add('group');
  limits.el.querySelector('legend').classList.add('section');

  const stages = listEditor({
    path: `${ROOT}.step_up`, legend: t('policy.stepup'), hint: t('policy.stepup.hint'),
    addLabel: t('policy.stage.add'), values: doc.step_up || [], makeRow: stageRow,
    blank: () => ({ from: '' }),
  });

  const neverWith = listEditor({
    path: `${ROOT}.never_with`, legend: t('policy.neverwith'),
    hint: people.length ? t('policy.neverwith.hint') : t('policy.neverwith.hint.none'),
    addLabel: t('policy.neverwith.add'), values: doc.never_with || [], blank: () => '',
    makeRow: personRow(people),
  });

  const kindsId = uid('kinds');
  const orders = listEditor({
    path: `${ROOT}.court_orders`, legend: t('policy.orders'), addLabel: t('policy.order.add'),
    values: doc.court_orders || [], blank: () => ({ kind: '', effect: '', until: '', ref: '' }),
    makeRow: (i, o, rm) => orderRow(i, o, rm, kindsId),
  });
  orders.el.append(h('datalist', { id: kindsId }, ORDER_KINDS.map((k) => h('option', { value: k }))));

  const content = doc.content || {};
  const reviewAll = h('input', { type: 'checkbox', id: uid('pf'), checked: !!content.review_all, 'data-field': `${ROOT}.content.review_all` });
  const reviewPhotos = h('input', { type: 'checkbox', id: uid('pf'), checked: !!content.review_photos, 'data-field': `${ROOT}.content.review_photos` });
  const sensitive = listEditor({
    path: `${ROOT}.content.sensitive_terms`, legend: t('policy.sensitive'), hint: t('policy.sensitive.hint'),
    addLabel: t('policy.sensitive.add'), values: content.sensitive_terms || [], blank: () => '',
    makeRow: textRow((i) => `${ROOT}.content.sensitive_terms[${i}]`, 'policy.sensitive.item', 'policy.sensitive.remove'),
  });
  const blocked = listEditor({
    path: `${ROOT}.content.blocked_terms`, legend: t('policy.blocked'), hint: t('policy.blocked.hint'),
    addLabel: t('policy.blocked.add'), values: content.blocked_terms || [], blank: () => '',
    makeRow: textRow((i) => `${ROOT}.content.blocked_terms[${i}]`, 'policy.blocked.item', 'policy.blocked.remove'),
  });
  const contentGroup = h('fieldset', { class: 'group', 'data-field': `${ROOT}.content` },
    h('legend', { class: 'section', text: t('policy.content') }),
    h('div', { class: 'choices stacked' },
      h('div', { class: 'choice' }, reviewAll, h('label', { for: reviewAll.id, text: t('policy.content.review_all') })),
      h('div', { class: 'choice' }, reviewPhotos, h('label', { for: reviewPhotos.id, text: t('policy.content.review_photos') }))),
    sensitive.el,
    blocked.el);

  const reason = h('textarea', { 'data-field': 'reason', rows: '3', required: true, 'aria-required': 'true' });
  const save = h('button', { type: 'submit', class: 'button-primary', text: t('policy.save') });
  const close = h('button', { type: 'button', class: 'button-secondary', text: t('policy.close'), onClick: () => onClose() });

  const stateText = tOr(`state.${doc.state}`, doc.state || '—');
  const form = h('form', { class: 'policy-form', novalidate: true, 'aria-labelledby': 'policy-form-title' },
    errorHost,
    h('p', { class: 'hint', text: t('policy.intro', { version }) }),
    tightenOnly ? h('div', { class: 'notice notice-warn who-can' }, h('p', { text: t('policy.tighten.only') })) : null,
    h('div', { class: 'field', 'data-field': `${ROOT}.state` },
      h('p', { class: 'label', text: t('policy.state') }),
      h('p', { text: t('policy.state.note', { state: stateText }) })),
    h('div', { 'data-field': `${ROOT}.suspended_until` }),
    field({ label: t('policy.relationship'), control: relationship }),
    channels,
    oversight,
    windows.el,
    limits.el,
    stages.el,
    neverWith.el,
    orders.el,
    contentGroup,
    field({ label: t('policy.reason'), hint: t('policy.reason.hint'), control: reason }),
    h('div', { class: 'button-row' }, save, close));

  /** The document as the form now describes it, plus problems found while reading it. */
  function read() {
    const problems = [];
    const out = structuredClone(doc);
    out.relationship = relationship.value;
    out.channels = checkedValues(channels, channelsName);
    out.oversight = checkedValues(oversight, oversightName)[0] || doc.oversight;
    const roles = checkedValues(supervisor, supervisorName);
    // who supervises belongs to SUPERVISED oversight only; otherwise the document carries none
    out.supervisor = out.oversight === 'SUPERVISED' ? { ...(doc.supervisor || {}), any_of: roles } : null;
    out.windows = windows.read(problems);
    out.limits = limits.read(problems, doc.limits);
    out.step_up = stages.read(problems);
    out.never_with = neverWith.read(problems).filter((x) => x !== '');
    out.court_orders = orders.read(problems);
    out.content = {
      ...content,
      review_all: reviewAll.checked,
      review_photos: reviewPhotos.checked,
      sensitive_terms: sensitive.read(problems).filter((x) => x !== ''),
      blocked_terms: blocked.read(problems).filter((x) => x !== ''),
    };
    return { policy: out, problems };
  }

  let busy = false;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (busy) return;
    const { policy: p, problems } = read();
    const why = reason.value.trim();
    if (!why) problems.push({ field: 'reason', message: t('policy.reason.missing') });
    onSubmit(p, why, problems);
  });

  return {
    form,
    errorHost,
    // the button keeps focus while saving (a disabled button would drop it to the page)
    setBusy(value) {
      busy = value;
      save.setAttribute('aria-disabled', value ? 'true' : 'false');
      save.textContent = value ? t('policy.saving') : t('policy.save');
      form.setAttribute('aria-busy', value ? 'true' : 'false');
    },
  };
}
