// The establishment's prisoners, and one prisoner's contacts.

import { api } from '../assets/js/api.js';
import { h, replace, uid, announce, timeEl } from '../assets/js/dom.js';
import { t, tOr } from '../assets/js/strings.js';
import { errorNotice, stateBadge, breadcrumbs, prisonerLabel, personLabel } from './common.js';

function establishmentOf(me) {
  if (!me) return '';
  return me.establishment_name || (me.establishment && (me.establishment.name || me.establishment)) || '';
}

/** A prisoner's establishment by name when it is mine (the list carries only its id). */
function establishmentName(me, p) {
  const est = p.establishment && (p.establishment.name || p.establishment);
  const mine = me && me.establishment;
  if (mine && typeof mine === 'object' && mine.id === p.establishment && mine.name) return mine.name;
  return p.establishment_name || est || '';
}

/** #/ — the prisoners list, filterable by name or number, paged with "Show more". */
export async function prisonersView(host, app) {
  app.title(t('prisoners.title'));
  const est = establishmentOf(app.me);
  const rows = [];
  let cursor = null;
  const tbody = h('tbody');
  const filterId = uid('filter');
  const filter = h('input', { type: 'search', id: filterId, autocomplete: 'off', spellcheck: 'false' });
  const count = h('p', { class: 'meta', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'button-secondary', text: t('more'), hidden: true });
  const errorHost = h('div');

  function draw() {
    const q = filter.value.trim().toLowerCase();
    const shown = rows.filter((p) => !q || [p.name, p.prison_number, p.id].some((x) => x && String(x).toLowerCase().includes(q)));
    replace(tbody, shown.map((p) => h('tr', {},
      h('td', { text: p.prison_number || '' }),
      h('th', { scope: 'row', text: p.name || p.id }),
      h('td', { text: establishmentName(app.me, p) }),
      h('td', {}, h('a', { href: `#/prisoners/${encodeURIComponent(p.id)}`, text: t('prisoners.open', { name: p.name || p.prison_number }) })))));
    if (!rows.length) count.textContent = t('prisoners.none');
    else if (!shown.length) count.textContent = t('prisoners.nomatch', { q: filter.value.trim() });
    else count.textContent = t('prisoners.count', { shown: shown.length, total: rows.length });
  }

  async function load() {
    try {
      const page = await api.prisoners(cursor);
      if (!app.current()) return;
      // the contract sketch says `prisoners`; the people module pages as `items`
      for (const p of page.prisoners || page.items || []) {
        rows.push(p);
        app.prisoners.set(p.id, p);
      }
      cursor = page.next_cursor || null;
      more.hidden = !cursor;
      errorHost.replaceChildren();
      draw();
    } catch (e) {
      if (app.current()) errorHost.replaceChildren(errorNotice(e));
    }
  }

  filter.addEventListener('input', draw);
  more.addEventListener('click', async () => {
    const before = rows.length;
    await load();
    announce(t('prisoners.count', { shown: rows.length, total: rows.length }));
    // keep the keyboard where the new rows start
    const firstNew = tbody.querySelectorAll('tr')[before];
    if (firstNew) firstNew.querySelector('a').focus();
  });

  await load();
  if (!app.current()) return;
  replace(host,
    h('h1', { text: t('prisoners.title') }),
    h('p', { text: est ? t('prisoners.intro', { establishment: est }) : t('prisoners.intro.any') }),
    errorHost,
    h('div', { class: 'field' }, h('label', { for: filterId, text: t('prisoners.filter') }), filter),
    count,
    h('div', { class: 'table-wrap' }, h('table', {},
      h('caption', { class: 'visually-hidden', text: t('prisoners.caption') }),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', text: t('prisoners.col.number') }),
        h('th', { scope: 'col', text: t('prisoners.col.name') }),
        h('th', { scope: 'col', text: t('prisoners.col.establishment') }),
        h('th', { scope: 'col', text: t('prisoners.col.open') }))),
      tbody)),
    h('p', {}, more));
  app.focusHeading();
}

/** Finds a prisoner's details: from a list seen earlier, else GET /prisoners/{id}, else just the id. */
export async function prisonerFor(app, id) {
  if (app.prisoners.has(id)) return app.prisoners.get(id);
  try {
    const p = await api.prisoner(id);
    const prisoner = p.prisoner || p;
    app.prisoners.set(id, prisoner);
    return prisoner;
  } catch {
    return null;
  }
}

/** #/prisoners/{id} — the prisoner's contacts with their state. */
export async function prisonerView(host, app, prisonerId) {
  const contacts = [];
  let cursor = null;
  let prisoner;
  const errorHost = h('div');
  const more = h('button', { type: 'button', class: 'button-secondary', text: t('more'), hidden: true });
  const tbody = h('tbody');
  const emptyNote = h('p', { hidden: true, text: t('contacts.none') });
  const tableWrap = h('div', { class: 'table-wrap', hidden: true });
  let loaded = false;

  function draw() {
    replace(tbody, contacts.map((c) => h('tr', {},
      h('th', { scope: 'row' }, personLabel(c.person),
        c.person && c.person.kind ? h('span', { class: 'meta' }, ` (${tOr(`rel.${c.person.kind}`, c.person.kind.toLowerCase())})`) : null),
      h('td', { text: tOr(`rel.${c.relationship}`, c.relationship || '') }),
      h('td', {}, stateBadge(c.state, c.suspended_until)),
      h('td', {}, c.updated_at ? timeEl(c.updated_at) : ''),
      h('td', {}, h('a', { href: `#/contacts/${encodeURIComponent(c.id)}`, text: t('contacts.open', { name: personLabel(c.person) }) })))));
    // "no contacts" only when the list really came back empty, not when it failed to load
    emptyNote.hidden = !loaded || contacts.length > 0;
    tableWrap.hidden = contacts.length === 0;
  }

  async function load() {
    try {
      const page = await api.contacts(prisonerId, cursor);
      if (!app.current()) return;
      contacts.push(...(page.contacts || page.items || []));
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

  [prisoner] = await Promise.all([prisonerFor(app, prisonerId), load()]);
  if (!app.current()) return;
  const label = prisonerLabel(prisoner, prisonerId);
  app.title(t('contacts.title', { name: label }));
  replace(host,
    breadcrumbs([[t('nav.prisoners'), '#/'], [label]]),
    h('h1', { text: t('contacts.title', { name: label }) }),
    errorHost,
    emptyNote,
    replace(tableWrap, h('table', {},
      h('caption', { text: t('contacts.caption') }),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', text: t('contacts.col.person') }),
        h('th', { scope: 'col', text: t('contacts.col.relationship') }),
        h('th', { scope: 'col', text: t('contacts.col.state') }),
        h('th', { scope: 'col', text: t('contacts.col.updated') }),
        h('th', { scope: 'col', text: t('contacts.col.open') }))),
      tbody)),
    h('p', {}, more));
  app.focusHeading();
}
