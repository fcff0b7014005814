// The establishment's prisoners (searched on the server), and one prisoner: her clearance and
// flags, her contacts (child contacts show the clearance that governs them), the kiosk sign-in
// lock, a new kiosk PIN, and the way to add a contact.

import { api } from '../assets/js/api.js';
import { h, replace, uid, announce, timeEl, focusStatic } from '../assets/js/dom.js';
import { t, tc, tOr } from '../assets/js/strings.js';
import { showErrors, clearErrors, problemsOf } from '../assets/js/forms.js';
import {
  errorNotice, stateBadge, breadcrumbs, prisonerLabel, personLabel, clearanceBadge, flagsText, itemsOf, authorName,
} from './common.js';

const CLEARANCES = ['NONE', 'WRITTEN', 'SUPERVISED', 'FULL'];
const ASSESSORS = ['FAMILY_WORKER', 'ADMIN'];
const PROPOSERS = ['OFFICER', 'FAMILY_WORKER', 'ADMIN'];
const REGISTRARS = ['OFFICER', 'ADMIN'];

function establishmentOf(me) {
  if (!me) return '';
  return me.establishment_name || (me.establishment && (me.establishment.name || me.establishment)) || '';
}

function matches(p, q) {
  const needle = q.toLowerCase();
  return [p.name, p.prison_number].some((x) => x && String(x).toLowerCase().includes(needle));
}

/** #/ — the prisoners, searched by name or prison number on the server, paged with "Show more". */
export async function prisonersView(host, app, params) {
  app.title(t('prisoners.title'));
  const est = establishmentOf(app.me);
  let rows = [];
  let cursor = null;
  let asked = (params && params.get('q')) || '';
  let searchId = 0;
  const tbody = h('tbody');
  const filterId = uid('filter');
  const filter = h('input', {
    type: 'search', id: filterId, autocomplete: 'off', spellcheck: 'false', value: asked,
    'aria-describedby': `${filterId}-hint`,
  });
  const count = h('p', { class: 'meta', role: 'status' });
  const more = h('button', { type: 'button', class: 'button-secondary', text: t('more'), hidden: true });
  const errorHost = h('div');

  function draw() {
    replace(tbody, rows.map((p) => h('tr', {},
      h('td', { text: p.prison_number || '' }),
      h('th', { scope: 'row', text: p.name || p.prison_number }),
      h('td', {}, clearanceBadge(p.clearance), (p.flags || []).includes('RISK_TO_CHILDREN')
        ? h('span', { class: 'meta', text: ` ${t('flag.RISK_TO_CHILDREN')}` }) : null),
      h('td', {}, h('a', { href: `#/prisoners/${encodeURIComponent(p.id)}`, text: t('prisoners.open', { name: p.name || p.prison_number }) })))));
    const q = asked.trim();
    if (!rows.length) count.textContent = q ? t('prisoners.nomatch', { q }) : t('prisoners.none');
    else count.textContent = q ? tc('prisoners.found', rows.length, { q, more: cursor ? t('prisoners.found.more') : '' })
      : tc('prisoners.shown', rows.length, { more: cursor ? t('prisoners.found.more') : '' });
  }

  /** Loads the next page for the current search; a newer search makes an older answer stale. */
  async function load(fresh) {
    const mine = fresh ? ++searchId : searchId;
    const q = asked.trim();
    try {
      let page = await api.searchPrisoners(q, fresh ? null : cursor);
      let got = itemsOf(page, 'prisoners');
      // a gateway without server-side search answers every prisoner: keep only the matches, and
      // read on so that a prisoner on a later page is still found
      let guard = 0;
      while (q && got.some((p) => !matches(p, q)) && guard < 50) {
        const hits = got.filter((p) => matches(p, q));
        if (!page.next_cursor) { got = hits; break; }
        const next = await api.searchPrisoners(q, page.next_cursor);
        page = next;
        got = hits.concat(itemsOf(next, 'prisoners'));
        guard += 1;
      }
      if (!app.current() || mine !== searchId) return;
      if (fresh) rows = [];
      for (const p of got) {
        rows.push(p);
        app.prisoners.set(p.id, p);
      }
      cursor = page.next_cursor || null;
      more.hidden = !cursor;
      errorHost.replaceChildren();
      draw();
    } catch (e) {
      if (app.current() && mine === searchId) errorHost.replaceChildren(errorNotice(e));
    }
  }

  let timer = null;
  filter.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      asked = filter.value;
      load(true);
    }, 200);
  });
  const form = h('form', { role: 'search', 'aria-label': t('prisoners.search'), novalidate: true },
    h('div', { class: 'field' },
      h('label', { for: filterId, text: t('prisoners.filter') }),
      h('p', { class: 'hint', id: `${filterId}-hint`, text: t('prisoners.filter.hint') }),
      h('div', { class: 'search-row' }, filter, h('button', { type: 'submit', class: 'button-secondary', text: t('prisoners.search.submit') }))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    asked = filter.value;
    load(true);
  });
  more.addEventListener('click', async () => {
    const before = rows.length;
    await load(false);
    announce(count.textContent);
    // keep the keyboard where the new rows start
    const firstNew = tbody.querySelectorAll('tr')[before];
    if (firstNew) firstNew.querySelector('a').focus();
  });

  await load(true);
  if (!app.current()) return;
  replace(host,
    h('h1', { text: t('prisoners.title') }),
    h('p', { text: est ? t('prisoners.intro', { establishment: est }) : t('prisoners.intro.any') }),
    app.is(...REGISTRARS) ? h('p', {}, h('a', { class: 'button button-secondary', href: '#/prisoners/new', text: t('register.title') })) : null,
    errorHost,
    form,
    count,
    h('div', { class: 'table-wrap' }, h('table', { class: 'stack' },
      h('caption', { class: 'visually-hidden', text: t('prisoners.caption') }),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', text: t('prisoners.col.number') }),
        h('th', { scope: 'col', text: t('prisoners.col.name') }),
        h('th', { scope: 'col', text: t('prisoners.col.clearance') }),
        h('th', { scope: 'col', text: t('prisoners.col.open') }))),
      tbody)),
    h('p', {}, more));
  app.focusHeading();
}

/** Finds a prisoner's details: from a list seen earlier, else GET /prisoners/{id}, else null. */
export async function prisonerFor(app, id, fresh) {
  if (!fresh && app.prisoners.has(id)) return app.prisoners.get(id);
  try {
    const p = await api.prisoner(id);
    const prisoner = p.prisoner || p;
    app.prisoners.set(id, prisoner);
    return prisoner;
  } catch {
    return null;
  }
}

/** Is this contact with a child (so the prisoner's clearance governs it)? */
export function isChildContact(c) {
  return c.relationship === 'CHILD' || (c.person && c.person.kind === 'CHILD');
}

/** #/prisoners/{id} — the prisoner: clearance and flags, kiosk lock, contacts. */
export async function prisonerView(host, app, prisonerId) {
  const contacts = [];
  let cursor = null;
  const errorHost = h('div');
  const more = h('button', { type: 'button', class: 'button-secondary', text: t('more'), hidden: true });
  const tbody = h('tbody');
  const emptyNote = h('p', { hidden: true, text: t('contacts.none') });
  const tableWrap = h('div', { class: 'table-wrap', hidden: true });
  let loaded = false;
  let prisoner = null;
  let clearance = null;

  function level() {
    return (clearance && clearance.clearance) || (prisoner && prisoner.clearance) || null;
  }

  function draw() {
    replace(tbody, contacts.map((c) => h('tr', {},
      h('th', { scope: 'row' }, personLabel(c.person),
        c.person && c.person.kind ? h('span', { class: 'meta' }, ` (${tOr(`rel.${c.person.kind}`, c.person.kind.toLowerCase())})`) : null),
      h('td', {}, tOr(`rel.${c.relationship}`, c.relationship || ''),
        isChildContact(c) ? h('p', { class: 'meta child-clearance' }, t('contacts.child.clearance'), ' ', clearanceBadge(level())) : null),
      h('td', {}, stateBadge(c.state, c.suspended_until)),
      h('td', {}, c.updated_at ? timeEl(c.updated_at) : ''),
      h('td', {}, h('a', { href: `#/contacts/${encodeURIComponent(c.id)}`, text: t('contacts.open', { name: personLabel(c.person) }) })))));
    // "no contacts" only when the list really came back empty, not when it failed to load
    emptyNote.hidden = !loaded || contacts.length > 0;
    tableWrap.hidden = contacts.length === 0;
  }

  async function load() {
    try {
      const page = await api.contacts(prisoner ? prisoner.id : prisonerId, cursor);
      if (!app.current()) return;
      contacts.push(...itemsOf(page, 'contacts'));
      loaded = true;
      cursor = page.next_cursor || null;
      more.hidden = !cursor;
      draw();
    } catch (e) {
      if (app.current()) errorHost.replaceChildren(errorNotice(e));
    }
  }
  more.addEventListener('click', async () => {
    const before = contacts.length;
    await load();
    const firstNew = tbody.querySelectorAll('tr')[before];
    if (firstNew) firstNew.querySelector('a').focus();
  });

  prisoner = await prisonerFor(app, prisonerId);
  if (!app.current()) return;
  if (!prisoner) {
    app.title(t('prisoner.missing.title'));
    replace(host, breadcrumbs([[t('nav.prisoners'), '#/'], [prisonerId]]),
      h('h1', { text: t('prisoner.missing.title') }), h('p', { text: t('prisoner.missing') }),
      h('p', {}, h('a', { href: '#/', text: t('nav.back.prisoners') })));
    app.focusHeading();
    return;
  }
  // one after the other: an expired token is then refreshed once, by the first of them
  await load();
  clearance = await api.clearance(prisoner.id).catch(() => null);
  if (!app.current()) return;
  const label = prisonerLabel(prisoner, prisonerId);
  app.title(t('prisoner.title', { name: label }));

  const facts = h('section', { class: 'panel', 'aria-labelledby': 'prisoner-facts' });
  const clearancePanel = h('section', { class: 'panel', 'aria-labelledby': 'clearance-title' });
  const lockPanel = h('section', { class: 'panel', 'aria-labelledby': 'lock-title' });

  function drawFacts() {
    replace(facts,
      h('h2', { id: 'prisoner-facts', text: t('prisoner.details') }),
      h('dl', { class: 'facts' },
        h('dt', { text: t('prisoners.col.number') }), h('dd', { text: prisoner.prison_number || '' }),
        h('dt', { text: t('prisoners.col.name') }), h('dd', { text: prisoner.name || '' }),
        h('dt', { text: t('prisoner.clearance') }), h('dd', { id: 'prisoner-clearance' }, clearanceBadge(level()),
          ' ', h('span', { class: 'meta', text: tOr(`clearance.${level()}.means`, '') })),
        h('dt', { text: t('prisoner.flags') }), h('dd', { id: 'prisoner-flags', text: flagsText(prisoner.flags) })));
  }

  drawFacts();
  await clearanceSection(clearancePanel, app, prisoner, () => clearance, (next) => {
    clearance = next;
    prisoner = { ...prisoner, clearance: next.clearance };
    app.prisoners.set(prisoner.id, prisoner);
    drawFacts();
    draw();
  });
  if (!app.current()) return;
  lockSection(lockPanel, prisoner);

  replace(host,
    breadcrumbs([[t('nav.prisoners'), '#/'], [label]]),
    h('h1', { text: t('prisoner.title', { name: label }) }),
    errorHost,
    facts,
    h('section', { class: 'panel', 'aria-labelledby': 'contacts-title' },
      h('h2', { id: 'contacts-title', text: t('contacts.caption') }),
      app.is(...PROPOSERS) ? h('p', {}, h('a', {
        class: 'button button-secondary', href: `#/prisoners/${encodeURIComponent(prisoner.id)}/add`, text: t('add.title.short'),
      })) : h('p', { class: 'meta', text: t('add.who') }),
      emptyNote,
      replace(tableWrap, h('table', { class: 'stack', 'aria-labelledby': 'contacts-title' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', text: t('contacts.col.person') }),
          h('th', { scope: 'col', text: t('contacts.col.relationship') }),
          h('th', { scope: 'col', text: t('contacts.col.state') }),
          h('th', { scope: 'col', text: t('contacts.col.updated') }),
          h('th', { scope: 'col', text: t('contacts.col.open') }))),
        tbody)),
      h('p', {}, more)),
    clearancePanel,
    lockPanel);
  app.focusHeading();
}

/**
 * The clearance panel: the level now, a form to change it (a role that may only make it stricter is
 * offered only the stricter levels, with a line saying who can raise it) and the version history.
 */
async function clearanceSection(panel, app, prisoner, current, onChanged) {
  let versions = [];
  const historyHost = h('div');
  async function loadHistory() {
    try {
      const page = await api.clearanceVersions(prisoner.id);
      versions = itemsOf(page, 'versions');
    } catch {
      versions = [];
    }
    drawHistory();
  }
  function drawHistory() {
    if (!versions.length) {
      replace(historyHost, h('p', { text: t('clearance.history.none') }));
      return;
    }
    replace(historyHost, h('div', { class: 'table-wrap' }, h('table', { id: 'clearance-history', class: 'stack' },
      h('caption', { text: t('clearance.history') }),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', text: t('history.col.version') }),
        h('th', { scope: 'col', text: t('history.col.at') }),
        h('th', { scope: 'col', text: t('clearance.col.level') }),
        h('th', { scope: 'col', text: t('history.col.author') }),
        h('th', { scope: 'col', text: t('history.col.reason') }))),
      h('tbody', {}, versions.map((v, i) => {
        const before = versions[i + 1];
        return h('tr', {},
          h('th', { scope: 'row', text: String(v.version) }),
          h('td', {}, v.at ? timeEl(v.at) : ''),
          h('td', {}, before && before.clearance !== v.clearance
            ? t('clearance.changed', { from: tOr(`clearance.${before.clearance}`, before.clearance), to: tOr(`clearance.${v.clearance}`, v.clearance) })
            : tOr(`clearance.${v.clearance}`, v.clearance)),
          h('td', {}, authorName(v, app.me), v.author_role
            ? h('span', { class: 'meta', text: ` (${tOr(`role.staff.${v.author_role}`, v.author_role.toLowerCase())})` }) : null),
          h('td', { text: v.reason || '' }));
      })))));
  }

  const formHost = h('div');
  function drawForm(notice) {
    const now = current();
    const level = (now && now.clearance) || prisoner.clearance || 'NONE';
    const mayRaise = app.is(...ASSESSORS);
    const offered = CLEARANCES.filter((c) => mayRaise || CLEARANCES.indexOf(c) <= CLEARANCES.indexOf(level));
    const selectId = uid('clr');
    const reasonId = uid('clr-reason');
    const select = h('select', { id: selectId, 'data-field': 'clearance' },
      offered.map((c) => h('option', { value: c, text: t(`clearance.${c}`), selected: c === level })));
    const reason = h('textarea', { id: reasonId, rows: '2', 'data-field': 'reason', required: true, 'aria-required': 'true',
      'aria-describedby': `${reasonId}-hint` });
    const top = h('div');
    const submit = h('button', { type: 'submit', class: 'button-primary', text: t('clearance.save') });
    const form = h('form', { novalidate: true, 'aria-labelledby': 'clearance-change-title' },
      h('h3', { id: 'clearance-change-title', text: t('clearance.change') }),
      mayRaise ? null : h('p', { class: 'hint who-can', text: t('clearance.who') }),
      top,
      h('div', { class: 'field' }, h('label', { for: selectId, text: t('clearance.level') }), select),
      h('div', { class: 'field' }, h('label', { for: reasonId, text: t('action.reason') }),
        h('p', { class: 'hint', id: `${reasonId}-hint`, text: t('clearance.reason.hint') }), reason),
      h('div', { class: 'button-row' }, submit));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      if (!reason.value.trim()) {
        showErrors(form, top, [{ field: 'reason', message: t('action.reason.missing') }]);
        return;
      }
      if (select.value === level) {
        showErrors(form, top, [{ field: 'clearance', message: t('clearance.same') }]);
        return;
      }
      submit.setAttribute('aria-disabled', 'true');
      try {
        const saved = await api.setClearance(prisoner.id, (now && now.version) || 0, select.value, reason.value.trim());
        onChanged(saved);
        await loadHistory();
        const ok = h('div', { class: 'notice notice-ok', tabindex: '-1' },
          h('p', { text: t('clearance.saved', { level: t(`clearance.${saved.clearance}`) }) }));
        drawForm(ok);
        focusStatic(ok);
      } catch (err) {
        submit.removeAttribute('aria-disabled');
        if (err.status === 409) {
          showErrors(form, top, [{ field: null, message: t('clearance.stale') }]);
          api.clearance(prisoner.id).then((fresh) => onChanged(fresh)).catch(() => {});
        } else {
          showErrors(form, top, problemsOf(err));
        }
      }
    });
    replace(formHost, notice || null, form);
  }

  replace(panel,
    h('h2', { id: 'clearance-title', text: t('clearance.title') }),
    h('p', { text: t('clearance.intro') }),
    formHost,
    historyHost);
  drawForm();
  await loadHistory();
}

/** Lifting a kiosk sign-in lock (after five wrong PINs) before its 15 minutes are up. */
function lockSection(panel, prisoner) {
  const result = h('div');
  const button = h('button', { type: 'button', class: 'button-secondary', text: t('unlock.button') });
  button.addEventListener('click', async () => {
    button.setAttribute('aria-disabled', 'true');
    try {
      const r = await api.unlockPrisoner(prisoner.id);
      const notice = h('div', { class: 'notice notice-ok', tabindex: '-1', role: 'status' },
        h('p', { text: r && r.lifted ? t('unlock.lifted', { name: prisoner.name }) : t('unlock.none', { name: prisoner.name }) }));
      replace(result, notice);
      focusStatic(notice);
    } catch (e) {
      replace(result, errorNotice(e));
    } finally {
      button.removeAttribute('aria-disabled');
    }
  });
  replace(panel,
    h('h2', { id: 'lock-title', text: t('unlock.title') }),
    h('p', { text: t('unlock.intro') }),
    result,
    h('p', {}, button),
    pinForm(prisoner));
}

/** Whether her kiosk PIN is hers or one staff set (and so known to them). */
function pinStatus(prisoner) {
  return t(prisoner.own_pin === false ? 'pinreset.status.staff' : 'pinreset.status.own', { name: prisoner.name });
}

/**
 * Setting a new kiosk PIN (she forgot hers): the officer knows the PIN she types here, so the
 * gateway makes it one-time, and the notice says that she will choose her own at her next sign-in.
 */
function pinForm(prisoner) {
  const pin = h('input', { type: 'password', id: uid('pin'), 'data-field': 'pin', inputmode: 'numeric', autocomplete: 'off', class: 'narrow', maxlength: '8' });
  const reason = h('textarea', { id: uid('pin-reason'), rows: '2', 'data-field': 'reason' });
  const hintId = `${pin.id}-hint`;
  pin.setAttribute('aria-describedby', hintId);
  const top = h('div');
  const done = h('div');
  const status = h('p', { 'data-pin-status': '', text: pinStatus(prisoner) });
  const submit = h('button', { type: 'submit', class: 'button-secondary', text: t('pinreset.submit') });
  const form = h('form', { novalidate: true, 'aria-labelledby': 'pinreset-title' },
    h('h3', { id: 'pinreset-title', text: t('pinreset.title') }),
    status, top, done,
    h('div', { class: 'field' }, h('label', { for: pin.id, text: t('pinreset.pin') }),
      h('p', { class: 'hint', id: hintId, text: t('pinreset.pin.hint') }), pin),
    h('div', { class: 'field' }, h('label', { for: reason.id, text: t('pinreset.reason') }), reason),
    h('div', { class: 'button-row' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    done.replaceChildren();
    const problems = [];
    if (!/^[0-9]{4,8}$/.test(pin.value)) problems.push({ field: 'pin', message: t('fielderror.pin') });
    if (!reason.value.trim()) problems.push({ field: 'reason', message: t('pinreset.reason.missing') });
    if (problems.length) {
      showErrors(form, top, problems);
      return;
    }
    submit.setAttribute('aria-disabled', 'true');
    try {
      const updated = await api.updatePrisoner(prisoner.id, { pin: pin.value, reason: reason.value.trim() });
      status.textContent = pinStatus(updated);
      pin.value = '';
      reason.value = '';
      const notice = h('div', { class: 'notice notice-ok', tabindex: '-1', role: 'status' },
        h('p', { text: t('pinreset.done', { name: prisoner.name }) }));
      replace(done, notice);
      focusStatic(notice);
    } catch (err) {
      showErrors(form, top, problemsOf(err));
    } finally {
      submit.removeAttribute('aria-disabled');
    }
  });
  return form;
}
