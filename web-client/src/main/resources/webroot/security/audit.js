// #/audit — the establishment's audit log. The filters live in the address (#/audit?from=…&action=…)
// so a filtered view can be bookmarked, shared with a colleague and left with Back. Entries come a
// page at a time from the server (oldest first within the filter), each told in words with its
// details on demand; "Download" exports every matching entry as CSV or NDJSON (itself audited).

import { api } from '../assets/js/api.js';
import { h, replace, uid, timeEl, formatInstant, announce, londonLocalToIso, focusStatic } from '../assets/js/dom.js';
import { t, tc, tOr } from '../assets/js/strings.js';
import { showErrors, clearErrors, problemsOf } from '../assets/js/forms.js';
import { errorNotice } from '../assets/js/errors.js';
import { prisonerName, contactName, actorName, actorLabel } from './names.js';

/** The actions staff look for, in words (anything else is shown by its recorded name). */
export const ACTIONS = [
  'auth.login', 'auth.kiosk', 'auth.lock', 'auth.lock_ended', 'auth.logout', 'auth.refresh_reuse',
  'contact.propose', 'contact.approve', 'contact.suspend', 'contact.revoke', 'contact.policy.update', 'contact.suspension.end',
  'prisoner.create', 'prisoner.update', 'prisoner.clearance.set', 'person.create', 'person.update',
  'staff.create', 'staff.update', 'staff.reset', 'device.enrol', 'device.update', 'device.key_enrolled', 'audit.read', 'audit.export', 'audit.verify',
];

const FILTERS = ['from', 'to', 'prisoner', 'contact', 'action', 'actor'];

/** An ISO instant as the value of a datetime-local input, in UK time. */
function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** The staff account or person outside an entry changed, by name (their record as it was after, or before). */
function accountOf(e) {
  const d = e.details || {};
  if (!/^(staff|person|admin)\./.test(e.action || '')) return '';
  return (d.after && d.after.name) || (d.before && d.before.name) || '';
}

/** One entry in a sentence: who did what to whom, and how it ended. */
export async function describe(e, me) {
  const d = e.details || {};
  const [who, prisoner, contact] = await Promise.all([
    e.actor ? actorLabel(e.actor, me) : actorName(e.actor_id, e.actor_role, me), prisonerName(e.prisoner_id), contactName(e.contact_id),
  ]);
  const what = tOr(`audit.action.${e.action}`, e.action);
  const vars = {
    who, prisoner, contact, what,
    reason: d.reason ? tOr(`audit.reason.${d.reason}`, d.reason) : '',
    until: d.until ? formatInstant(d.until) : '',
    to: d.to_state ? tOr(`state.${d.to_state}`, d.to_state) : '',
    from: d.from_state ? tOr(`state.${d.from_state}`, d.from_state) : '',
    email: d.email || '', number: d.prison_number || '', device: d.device_id || '', account: accountOf(e),
  };
  const exact = `audit.say.${e.action}.${e.outcome}`;
  const general = `audit.say.${e.action}`;
  const key = tOr(exact, null) !== null ? exact : tOr(general, null) !== null ? general : 'audit.say.any';
  return { who, prisoner, contact, line: t(key, vars) };
}

/** The details of an entry as labelled facts (reasons, states, filters), never raw JSON alone. */
function detailList(e) {
  const d = e.details || {};
  const rows = [];
  const add = (label, value) => {
    if (value !== undefined && value !== null && value !== '') rows.push(h('dt', { text: label }), h('dd', {}, value));
  };
  add(t('audit.d.seq'), String(e.seq));
  add(t('audit.d.account'), accountOf(e) || null);
  add(t('audit.d.at'), timeEl(e.at));
  add(t('audit.d.outcome'), tOr(`audit.outcome.${e.outcome}`, e.outcome));
  add(t('audit.d.reason'), d.reason ? tOr(`audit.reason.${d.reason}`, d.reason) : null);
  add(t('audit.d.state'), d.from_state || d.to_state ? `${tOr(`state.${d.from_state}`, d.from_state || '—')} → ${tOr(`state.${d.to_state}`, d.to_state || '—')}` : null);
  add(t('audit.d.version'), d.version !== undefined ? String(d.version) : null);
  add(t('audit.d.until'), d.until ? timeEl(d.until) : null);
  add(t('audit.d.device'), d.device_id);
  add(t('audit.d.email'), d.email);
  add(t('audit.d.filter'), d.filter ? Object.entries(d.filter).filter(([, v]) => v).map(([k, v]) => `${t(`audit.f.${k}`)}: ${v}`).join('; ') || t('audit.f.none') : null);
  const shown = new Set(['reason', 'from_state', 'to_state', 'version', 'until', 'device_id', 'email', 'filter', 'before', 'after']);
  // the account is named above; its id says nothing more to a person
  if (accountOf(e)) ['staff', 'person'].forEach((k) => shown.add(k));
  const rest = Object.entries(d).filter(([k]) => !shown.has(k));
  if (rest.length) add(t('audit.d.more'), h('ul', { class: 'plain' }, rest.map(([k, v]) => h('li', { text: `${k.replace(/_/g, ' ')}: ${typeof v === 'object' ? JSON.stringify(v) : v}` }))));
  add(t('audit.d.hash'), h('code', { class: 'hash', text: e.hash }));
  return h('dl', { class: 'facts' }, rows);
}

function filterFrom(params) {
  const f = {};
  for (const k of FILTERS) if (params && params.get(k)) f[k] = params.get(k);
  if (!params || !params.has('from')) f.from = new Date(Date.now() - 7 * 86400000).toISOString();
  return f;
}

function hashFor(filter, cursor) {
  const p = new URLSearchParams();
  for (const k of FILTERS) if (filter[k]) p.set(k, filter[k]);
  if (!filter.from) p.set('from', '');
  if (cursor) p.set('cursor', cursor);
  return `#/audit?${p.toString()}`;
}

export async function auditView(host, app, params) {
  app.title(t('audit.title'));
  const filter = filterFrom(params);
  let cursor = (params && params.get('cursor')) || null;
  let shown = 0;
  const actorsSeen = new Map();
  const entriesHost = h('ol', { class: 'entries', id: 'audit-entries', 'aria-labelledby': 'audit-results' });
  const count = h('p', { class: 'meta', role: 'status', id: 'audit-count' });
  const more = h('button', { type: 'button', class: 'button-secondary', text: t('audit.more'), hidden: true });
  const errorHost = h('div');
  const exportHost = h('div');

  // ---- filters form ---------------------------------------------------------------------
  const ids = Object.fromEntries(FILTERS.map((k) => [k, uid(`f-${k}`)]));
  const from = h('input', { type: 'datetime-local', id: ids.from, 'data-field': 'from', value: toLocalInput(filter.from) });
  const to = h('input', { type: 'datetime-local', id: ids.to, 'data-field': 'to', value: toLocalInput(filter.to) });
  const prisoner = h('input', {
    type: 'text', id: ids.prisoner, 'data-field': 'prisoner', autocomplete: 'off', spellcheck: 'false', class: 'narrow-text',
    value: filter.prisoner ? filter.prisoner.replace(/^pr-/, '') : '', 'aria-describedby': `${ids.prisoner}-hint`,
  });
  const contact = h('select', { id: ids.contact, 'data-field': 'contact', 'aria-describedby': `${ids.contact}-hint` },
    h('option', { value: '', text: t('audit.f.contact.any') }),
    filter.contact ? h('option', { value: filter.contact, text: t('audit.f.contact.chosen'), selected: true }) : null);
  const action = h('select', { id: ids.action, 'data-field': 'action' },
    h('option', { value: '', text: t('audit.f.action.any') }),
    ACTIONS.map((a) => h('option', { value: a, text: tOr(`audit.action.${a}`, a), selected: filter.action === a })));
  const actor = h('input', { type: 'hidden', value: filter.actor || '' });
  const actorNote = h('div');
  const top = h('div');

  async function fillContacts(prisonerId) {
    if (!prisonerId) return;
    try {
      const page = await api.contacts(prisonerId, null, 100);
      const items = page.items || page.contacts || [];
      replace(contact, h('option', { value: '', text: t('audit.f.contact.any') }),
        items.map((c) => h('option', {
          value: c.id, selected: c.id === filter.contact,
          text: `${(c.person && c.person.name) || t('names.someone')} (${tOr(`rel.${c.relationship}`, c.relationship || '')})`,
        })));
    } catch {
      // the filter still works by the contact already chosen
    }
  }
  prisoner.addEventListener('change', () => fillContacts(prisonerIdOf(prisoner.value)));

  async function showActorFilter(known) {
    const who = known ? actorLabel(known, app.me) : await actorName(filter.actor, '', app.me);
    replace(actorNote, h('p', { class: 'chip' }, t('audit.f.actor.only', { who }), ' ',
      h('button', {
        type: 'button', class: 'button-link', text: t('audit.f.actor.clear'),
        onClick: () => { actor.value = ''; form.requestSubmit(); },
      })));
  }

  const form = h('form', { class: 'filters', novalidate: true, 'aria-labelledby': 'audit-filter-title' },
    h('h2', { id: 'audit-filter-title', text: t('audit.filters') }),
    top,
    h('div', { class: 'inline-fields' },
      h('div', { class: 'field' }, h('label', { for: ids.from, text: t('audit.f.from') }), from),
      h('div', { class: 'field' }, h('label', { for: ids.to, text: t('audit.f.to') }), to)),
    h('div', { class: 'inline-fields' },
      h('div', { class: 'field' }, h('label', { for: ids.prisoner, text: t('audit.f.prisoner') }),
        h('p', { class: 'hint', id: `${ids.prisoner}-hint`, text: t('audit.f.prisoner.hint') }), prisoner),
      h('div', { class: 'field' }, h('label', { for: ids.contact, text: t('audit.f.contact') }),
        h('p', { class: 'hint', id: `${ids.contact}-hint`, text: t('audit.f.contact.hint') }), contact),
      h('div', { class: 'field' }, h('label', { for: ids.action, text: t('audit.f.action') }), action)),
    actor, actorNote,
    h('div', { class: 'button-row' },
      h('button', { type: 'submit', class: 'button-primary', text: t('audit.apply') }),
      h('a', { href: '#/audit', text: t('audit.reset') })));

  function prisonerIdOf(value) {
    const v = value.trim().toUpperCase();
    if (!v) return '';
    return v.startsWith('PR-') ? `pr-${v.slice(3)}` : `pr-${v}`;
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearErrors(form);
    const problems = [];
    const next = {};
    if (from.value) next.from = londonLocalToIso(from.value);
    if (to.value) next.to = londonLocalToIso(to.value);
    if (next.from && next.to && new Date(next.to) <= new Date(next.from)) problems.push({ field: 'to', message: t('audit.f.to.order') });
    if (prisoner.value.trim() && !/^(PR-)?[A-Z][0-9]{4}[A-Z]{2}$/i.test(prisoner.value.trim())) {
      problems.push({ field: 'prisoner', message: t('fielderror.prison_number') });
    }
    if (problems.length) {
      showErrors(form, top, problems);
      return;
    }
    if (prisoner.value.trim()) next.prisoner = prisonerIdOf(prisoner.value);
    if (contact.value) next.contact = contact.value;
    if (action.value) next.action = action.value;
    if (actor.value) next.actor = actor.value;
    app.go(hashFor(next));
  });

  // ---- entries ----------------------------------------------------------------------------
  async function entryItem(e) {
    const said = await describe(e, app.me);
    const onlyWho = e.actor_id ? h('a', { href: hashFor({ ...filter, actor: e.actor_id }), text: t('audit.only.actor') }) : null;
    const onlyContact = e.contact_id ? h('a', { href: hashFor({ ...filter, contact: e.contact_id, prisoner: e.prisoner_id || filter.prisoner }), text: t('audit.only.contact') }) : null;
    return h('li', { class: `entry outcome-${(e.outcome || '').toLowerCase()}`, dataset: { seq: String(e.seq) } },
      h('p', { class: 'entry-head' },
        timeEl(e.at), ' ',
        h('span', { class: 'entry-action', text: tOr(`audit.action.${e.action}`, e.action) }),
        e.outcome && e.outcome !== 'OK' ? [' ', h('span', { class: 'state state-SUSPENDED', text: tOr(`audit.outcome.${e.outcome}`, e.outcome) })] : null),
      h('p', { class: 'entry-line', text: said.line }),
      h('details', {},
        h('summary', { text: t('audit.details', { seq: e.seq }) }),
        detailList(e),
        h('p', { class: 'button-row tight' }, onlyWho, onlyContact)));
  }

  async function load() {
    try {
      const started = performance.now();
      const page = await api.audit(filter, cursor, 50);
      const entries = page.items || [];
      entries.forEach((e) => { if (e.actor) actorsSeen.set(e.actor.id, e.actor); });
      const items = await Promise.all(entries.map(entryItem));
      if (!app.current()) return;
      entriesHost.append(...items);
      shown += entries.length;
      cursor = page.next_cursor || null;
      more.hidden = !cursor;
      count.textContent = shown ? tc('audit.count', shown, { more: cursor ? t('audit.count.more') : '' }) : t('audit.none');
      count.dataset.ms = String(Math.round(performance.now() - started));
      errorHost.replaceChildren();
    } catch (e) {
      if (!app.current()) return;
      if (e.field && FILTERS.includes(e.field)) showErrors(form, top, problemsOf(e));
      else errorHost.replaceChildren(errorNotice(e));
    }
  }
  more.addEventListener('click', async () => {
    const before = entriesHost.children.length;
    await load();
    announce(count.textContent);
    const first = entriesHost.children[before];
    if (first) focusStatic(first.querySelector('.entry-line'));
  });

  // ---- export -----------------------------------------------------------------------------
  async function download(format) {
    const started = performance.now();
    try {
      const text = await api.auditExport(filter, format);
      const lines = text.split('\n').filter((l) => l.trim() !== '').length - (format === 'csv' ? 1 : 0);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const name = `kinlink-audit-${stamp}.${format === 'csv' ? 'csv' : 'ndjson'}`;
      const blob = new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/x-ndjson' });
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: name, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      const notice = h('div', { class: 'notice notice-ok', role: 'status', tabindex: '-1', dataset: { ms: String(Math.round(performance.now() - started)) } },
        h('p', { text: tc('audit.exported', Math.max(0, lines), { name }) }));
      replace(exportHost, notice);
    } catch (e) {
      replace(exportHost, errorNotice(e));
    }
  }

  await Promise.all([load(), fillContacts(filter.prisoner)]);
  if (!app.current()) return;
  // the entries shown are all by the chosen actor, and carry who that is
  if (filter.actor) await showActorFilter(actorsSeen.get(filter.actor));
  replace(host,
    h('h1', { text: t('audit.title') }),
    h('p', { text: t('audit.intro') }),
    h('section', { class: 'panel' }, form),
    h('section', { class: 'panel', 'aria-labelledby': 'audit-export-title' },
      h('h2', { id: 'audit-export-title', text: t('audit.export') }),
      h('p', { text: t('audit.export.intro') }),
      exportHost,
      h('div', { class: 'button-row' },
        h('button', { type: 'button', class: 'button-secondary', text: t('audit.export.csv'), onClick: () => download('csv') }),
        h('button', { type: 'button', class: 'button-secondary', text: t('audit.export.ndjson'), onClick: () => download('ndjson') }))),
    h('h2', { id: 'audit-results', text: t('audit.results') }),
    errorHost,
    count,
    entriesHost,
    h('p', {}, more));
  app.focusHeading();
}
