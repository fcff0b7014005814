// #/approvals — contacts waiting for approval across the establishment, oldest first, each with
// the prisoner and the person by name and a link to review and approve it.

import { api } from '../assets/js/api.js';
import { h, replace, timeEl, announce } from '../assets/js/dom.js';
import { t, tc, tOr } from '../assets/js/strings.js';
import { errorNotice, personLabel, prisonerLabel, itemsOf, authorLabel } from './common.js';

export async function approvalsView(host, app) {
  app.title(t('approvals.title'));
  const rows = [];
  let cursor = null;
  const tbody = h('tbody');
  const count = h('p', { class: 'meta', role: 'status' });
  const more = h('button', { type: 'button', class: 'button-secondary', text: t('more'), hidden: true });
  const errorHost = h('div');
  const tableWrap = h('div', { class: 'table-wrap' });
  let unavailable = false;

  function prisonerOf(c) {
    const known = app.prisoners.get(c.prisoner_id);
    const number = (c.prisoner && c.prisoner.prison_number) || (c.prisoner_id || '').replace(/^pr-/, '');
    return prisonerLabel(known || { name: c.prisoner_name || (c.prisoner && c.prisoner.name), prison_number: number }, c.prisoner_id);
  }

  function draw() {
    replace(tbody, rows.map((c) => h('tr', {},
      h('th', { scope: 'row', text: prisonerOf(c) }),
      h('td', {}, personLabel(c.person), c.person && c.person.kind
        ? h('span', { class: 'meta', text: ` (${tOr(`rel.${c.person.kind}`, c.person.kind.toLowerCase())})` }) : null),
      h('td', { text: tOr(`rel.${c.relationship}`, c.relationship || '') }),
      h('td', {}, c.created_at ? timeEl(c.created_at) : '', c.proposed_by
        ? h('span', { class: 'meta', text: ` ${t('approvals.by', { who: c.proposed_by.name || tOr(`role.staff.${c.proposed_by.role}`, authorLabel(c.proposed_by)) })}` }) : null),
      h('td', {}, h('a', { href: `#/contacts/${encodeURIComponent(c.id)}`, text: t('approvals.open', { person: personLabel(c.person), prisoner: prisonerOf(c) }) })))));
    count.textContent = rows.length ? tc('approvals.count', rows.length, { more: cursor ? t('prisoners.found.more') : '' }) : t('approvals.none');
    tableWrap.hidden = rows.length === 0;
  }

  async function load() {
    try {
      const page = await api.contactsInState('PENDING', cursor);
      if (!app.current()) return;
      // only waiting contacts, whatever else an older gateway answers
      rows.push(...itemsOf(page, 'contacts').filter((c) => c.state === 'PENDING'));
      cursor = page.next_cursor || null;
      more.hidden = !cursor;
      draw();
    } catch (e) {
      if (!app.current()) return;
      if (e.status === 400 || e.status === 404 || e.status === 501) {
        unavailable = true;
        errorHost.replaceChildren(h('div', { class: 'notice notice-warn' }, h('p', { text: t('approvals.unavailable') })));
      } else {
        errorHost.replaceChildren(errorNotice(e));
      }
    }
  }
  more.addEventListener('click', async () => {
    const before = rows.length;
    await load();
    announce(count.textContent);
    const firstNew = tbody.querySelectorAll('tr')[before];
    if (firstNew) firstNew.querySelector('a').focus();
  });

  await load();
  if (!app.current()) return;
  replace(host,
    h('h1', { text: t('approvals.title') }),
    h('p', { text: t('approvals.intro') }),
    errorHost,
    unavailable ? null : count,
    unavailable ? null : replace(tableWrap, h('table', { class: 'stack', id: 'approvals-table' },
      h('caption', { class: 'visually-hidden', text: t('approvals.title') }),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', text: t('approvals.col.prisoner') }),
        h('th', { scope: 'col', text: t('contacts.col.person') }),
        h('th', { scope: 'col', text: t('contacts.col.relationship') }),
        h('th', { scope: 'col', text: t('approvals.col.proposed') }),
        h('th', { scope: 'col', text: t('approvals.col.open') }))),
      tbody)),
    h('p', {}, more));
  app.focusHeading();
}
