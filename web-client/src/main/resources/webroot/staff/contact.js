// #/contacts/{id} — one contact: its state and the approve/suspend/revoke actions, what its
// restrictions allow now (the API's plain-language summary), the restrictions form, and the
// version history with each version's summary.

import { api } from '../assets/js/api.js';
import { h, replace, uid, focusStatic, timeEl, tn, londonLocalToIso, openDialog } from '../assets/js/dom.js';
import { t, tOr } from '../assets/js/strings.js';
import { showErrors, clearErrors, problemsOf } from '../assets/js/forms.js';
import {
  errorNotice, errorText, stateBadge, breadcrumbs, prisonerLabel, personLabel, authorLabel, authorName, clearanceBadge, itemsOf,
} from './common.js';
import { prisonerFor, isChildContact } from './prisoners.js';
import { policyForm } from './policy-form.js';

/** Which state changes to offer in each state; the API still decides (409 INVALID_TRANSITION). */
const ACTIONS = {
  PENDING: ['approve', 'revoke'],
  APPROVED: ['suspend', 'revoke'],
  SUSPENDED: ['approve', 'suspend', 'revoke'],
  REVOKED: [],
};

/** Who may loosen (approve, reinstate, widen): the engine's CHANGE_POLICY rule says the same. */
const LOOSENERS = ['OFFICER', 'FAMILY_WORKER', 'ADMIN'];

/** The words on a state button: approving a suspended contact is reinstating it. */
function actionKey(action, state) {
  return action === 'approve' && state === 'SUSPENDED' ? 'reinstate' : action;
}

/** The party id of a contact as a never-with entry: a prisoner by prison number, a person by id. */
export function neverWithId(partyId) {
  if (!partyId) return '';
  return partyId.startsWith('pr-') ? partyId.slice(3) : partyId;
}

export async function contactView(host, app, contactId) {
  const page = { contact: null, policy: null, versions: [], prisoner: null, others: [] };
  const mayLoosen = app.is(...LOOSENERS);

  async function loadAll() {
    const [contact, policy, versions] = await Promise.all([
      api.contact(contactId), api.policy(contactId), api.policyVersions(contactId),
    ]);
    page.contact = contact;
    page.policy = policy;
    page.versions = itemsOf(versions, 'versions');
  }

  /** The prisoner's other contacts, by name, for "never in the same call as". */
  async function loadOthers() {
    try {
      const list = [];
      let cursor = null;
      do {
        const p = await api.contacts(page.contact.prisoner_id, cursor, 100);
        list.push(...itemsOf(p, 'contacts'));
        cursor = p.next_cursor || null;
      } while (cursor && list.length < 500);
      page.others = list.filter((c) => c.id !== contactId && c.person).map((c) => ({
        value: neverWithId(c.person.id),
        label: `${personLabel(c.person)} (${tOr(`rel.${c.relationship}`, c.relationship || '')})`,
      }));
    } catch {
      page.others = [];
    }
  }

  try {
    await loadAll();
    page.prisoner = await prisonerFor(app, page.contact.prisoner_id);
    await loadOthers();
  } catch (e) {
    if (!app.current()) return;
    app.title(t('error.summary.title'));
    replace(host, breadcrumbs([[t('nav.prisoners'), '#/'], [contactId]]), h('h1', { text: contactId }), errorNotice(e));
    app.focusHeading();
    return;
  }
  if (!app.current()) return;

  const person = personLabel(page.contact.person);
  const prisonerText = prisonerLabel(page.prisoner
    || (page.contact.prisoner_name ? { name: page.contact.prisoner_name, prison_number: page.contact.prisoner_id.replace(/^pr-/, '') } : null),
  page.contact.prisoner_id);
  const title = t('contact.title', { person, prisoner: prisonerText });
  app.title(title);

  const details = h('section', { class: 'panel', 'aria-labelledby': 'details-title' });
  const summary = h('section', { class: 'panel', 'aria-labelledby': 'summary-title' });
  const restrictions = h('section', { class: 'panel', 'aria-labelledby': 'policy-form-title' });
  const history = h('section', { class: 'panel', 'aria-labelledby': 'history-title' });
  const dialog = h('dialog', { 'aria-labelledby': 'action-title' });

  // ---- details and state actions -------------------------------------------------------------
  function drawDetails(notice) {
    const c = page.contact;
    const all = ACTIONS[c.state] || [];
    // a role that may only make contact stricter is not offered approve or reinstate at all
    const actions = mayLoosen ? all : all.filter((a) => a !== 'approve');
    // a role that may only tighten is told who can loosen, whatever the state offers today
    const withheld = !mayLoosen && c.state !== 'REVOKED';
    replace(details,
      h('h2', { id: 'details-title', text: t('contact.details') }),
      notice || null,
      h('dl', { class: 'facts' },
        h('dt', { text: t('contact.person') }), h('dd', {}, person,
          c.person && c.person.kind ? h('span', { class: 'meta' }, ` (${tOr(`rel.${c.person.kind}`, c.person.kind.toLowerCase())})`) : null),
        h('dt', { text: t('contact.relationship') }), h('dd', { text: tOr(`rel.${c.relationship}`, c.relationship || '') }),
        h('dt', { text: t('contact.state') }), h('dd', { id: 'contact-state' }, stateBadge(c.state, c.suspended_until)),
        c.state_reason ? [h('dt', { text: t('contact.state.reason') }), h('dd', { text: c.state_reason })] : null,
        isChildContact(c) ? [h('dt', { text: t('prisoner.clearance') }), h('dd', { class: 'child-clearance' },
          clearanceBadge(page.prisoner && page.prisoner.clearance), ' ',
          h('span', { class: 'meta', text: tOr(`clearance.${page.prisoner && page.prisoner.clearance}.means`, '') }))] : null,
        h('dt', { text: t('contact.version') }), h('dd', { text: String(page.policy.version) })),
      h('h3', { text: t('contact.actions') }),
      actions.length
        ? h('div', { class: 'button-row' }, actions.map((a) => h('button', {
          type: 'button',
          class: a === 'approve' ? 'button-primary' : a === 'revoke' ? 'button-danger' : 'button-secondary',
          text: t(`action.${actionKey(a, c.state)}`),
          'aria-haspopup': 'dialog',
          onClick: (e) => openAction(a, e.currentTarget),
        })))
        : c.state === 'REVOKED' ? h('p', { text: t('contact.revoked.final') }) : null,
      withheld ? h('p', { class: 'hint who-can', text: t('contact.who.loosen') }) : null);
  }

  function openAction(action, opener) {
    const key = actionKey(action, page.contact.state);
    const reasonId = uid('reason');
    const untilId = uid('until');
    const reason = h('textarea', { id: reasonId, rows: '3', 'data-field': 'reason', required: true, 'aria-required': 'true',
      'aria-describedby': `${reasonId}-hint` });
    const until = action === 'suspend'
      ? h('input', { type: 'datetime-local', id: untilId, 'data-field': 'until', 'aria-describedby': `${untilId}-hint` }) : null;
    const top = h('div');
    const confirm = h('button', {
      type: 'submit',
      class: action === 'approve' ? 'button-primary' : 'button-danger',
      text: t(`action.${key}`),
    });
    const form = h('form', { novalidate: true, method: 'dialog' },
      h('h2', { id: 'action-title', text: t(`action.${key}.title`, { name: person }) }),
      h('p', { text: t(`action.${key}.intro`) }),
      top,
      h('div', { class: 'field' },
        h('label', { for: reasonId, text: t('action.reason') }),
        h('p', { class: 'hint', id: `${reasonId}-hint`, text: t('action.reason.hint') }),
        reason),
      until ? h('div', { class: 'field' },
        h('label', { for: untilId, text: t('action.until') }),
        h('p', { class: 'hint', id: `${untilId}-hint`, text: t('action.until.hint') }),
        until) : null,
      h('div', { class: 'button-row' }, confirm,
        h('button', { type: 'button', class: 'button-secondary', text: t('action.cancel'), onClick: () => dialog.close('cancel') })));
    let busy = false;
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (busy) return;
      clearErrors(form);
      const why = reason.value.trim();
      if (!why) {
        showErrors(form, top, [{ field: 'reason', message: t('action.reason.missing') }]);
        return;
      }
      const body = { reason: why };
      if (until && until.value) body.until = londonLocalToIso(until.value);
      busy = true;
      confirm.setAttribute('aria-disabled', 'true');
      try {
        // the change applies to the version the user is looking at, or not at all
        page.contact = await api.transition(contactId, action, body, page.policy.version);
        dialog.close('done');
        await refresh();
        const notice = h('div', { class: 'notice notice-ok', tabindex: '-1' }, h('p', { text: t(`action.done.${key}`) }));
        drawDetails(notice);
        focusStatic(notice);
      } catch (err) {
        if (err.status === 409 && err.code === 'STALE_VERSION') {
          showErrors(form, top, [{ field: null, message: t('action.stale') }]);
          refresh().catch(() => {});
        } else if (err.status === 403) {
          showErrors(form, top, [{ field: null, message: t(mayLoosen ? 'error.forbidden' : 'contact.who.loosen') }]);
        } else {
          showErrors(form, top, problemsOf(err).map((p) => ({ ...p, message: p.message || errorText(err) })));
        }
      } finally {
        busy = false;
        confirm.removeAttribute('aria-disabled');
      }
    });
    // back to where the user was, unless the action redrew the page (then the notice has focus)
    openDialog(dialog, form, opener, reason);
  }

  // ---- summary -------------------------------------------------------------------------------
  function drawSummary(notice) {
    const p = page.policy;
    const lines = Array.isArray(p.summary) ? p.summary : [];
    replace(summary,
      h('h2', { id: 'summary-title', text: t('summary.title') }),
      notice || null,
      lines.length ? h('ul', { class: 'summary', id: 'current-summary' }, lines.map((s) => h('li', { text: s })))
        : h('p', { text: t('summary.empty') }),
      h('p', { class: 'meta' }, tn('summary.version', { version: p.version, when: timeEl(p.updated_at), who: p.updated_by_name || (app.me && p.updated_by === app.me.account_id ? app.me.name : authorLabel(p.updated_by)) })),
      p.reason ? h('p', { class: 'meta', text: t('summary.reason', { reason: p.reason }) }) : null);
  }

  // ---- restrictions form ---------------------------------------------------------------------
  const toggle = h('button', { type: 'button', class: 'button-secondary', 'aria-expanded': 'false', 'aria-controls': 'policy-form-host', text: t('policy.open') });
  const formHost = h('div', { id: 'policy-form-host', hidden: true });
  let editor = null;

  function openForm() {
    editor = policyForm({
      policy: page.policy.policy,
      version: page.policy.version,
      people: page.others,
      tightenOnly: !mayLoosen,
      onSubmit: save,
      onClose: closeForm,
    });
    replace(formHost, editor.form);
    formHost.hidden = false;
    toggle.setAttribute('aria-expanded', 'true');
    toggle.hidden = true;
    focusStatic(restrictions.querySelector('h2'));
  }

  function closeForm() {
    editor = null;
    replace(formHost);
    formHost.hidden = true;
    toggle.hidden = false;
    toggle.setAttribute('aria-expanded', 'false');
    toggle.focus();
  }

  toggle.addEventListener('click', openForm);

  async function save(policy, reason, problems) {
    if (problems.length) {
      showErrors(editor.form, editor.errorHost, problems, ['policy']);
      return;
    }
    clearErrors(editor.form);
    editor.setBusy(true);
    try {
      const saved = await api.savePolicy(contactId, page.policy.version, policy, reason);
      page.policy = saved;
      await refresh();
      closeForm();
      const notice = h('div', { class: 'notice notice-ok', tabindex: '-1' }, h('p', { text: t('policy.saved', { version: saved.version }) }));
      drawSummary(notice);
      focusStatic(notice);
    } catch (e) {
      if (!editor) return;
      editor.setBusy(false);
      if (e.status === 409 && e.code === 'STALE_VERSION') {
        showStale(e);
      } else if (e.status === 403) {
        // what was typed stays in the form; the person is told what to do, not the engine's reasoning
        showErrors(editor.form, editor.errorHost, [{ field: null, message: t(mayLoosen ? 'error.forbidden' : 'policy.loosen.refused') }]);
      } else {
        showErrors(editor.form, editor.errorHost, problemsOf(e).map((p) => ({ ...p, message: p.message || errorText(e) })), ['policy']);
      }
    }
  }

  function showStale(e) {
    const reload = h('button', {
      type: 'button', class: 'button-secondary', text: t('policy.stale.reload'),
      onClick: async () => {
        try {
          await refresh();
          closeForm();
          openForm();
        } catch (err) {
          editor.errorHost.replaceChildren(errorNotice(err));
        }
      },
    });
    const current = e.details && e.details.current_version;
    const notice = h('div', { class: 'notice notice-warn stale', tabindex: '-1' },
      h('p', { text: current ? t('policy.stale', { version: current }) : t('policy.stale.unknown') }),
      h('p', { class: 'meta', text: e.message }),
      h('p', {}, reload));
    clearErrors(editor.form);
    editor.errorHost.replaceChildren(notice);
    focusStatic(notice);
  }

  // ---- version history -----------------------------------------------------------------------
  const detailHost = h('div', { id: 'version-detail', 'aria-live': 'off' });

  /** Who made a version: the name the API gives (or mine), with the role in words. */
  function authorOf(v) {
    const name = authorName(v, app.me);
    const role = v.author_role ? tOr(`role.staff.${v.author_role}`, v.author_role.toLowerCase()) : '';
    return { name, role };
  }

  /** What a version changed against the one before it, in the summary's own words. */
  function changesOf(v, before) {
    const now = v.summary || [];
    const was = before ? before.summary || [] : [];
    const state = before && before.policy && v.policy && before.policy.state !== v.policy.state
      ? { from: before.policy.state, to: v.policy.state } : null;
    return {
      state,
      added: before ? now.filter((x) => !was.includes(x)) : now,
      removed: before ? was.filter((x) => !now.includes(x)) : [],
    };
  }

  function changeKind(v, before) {
    const c = changesOf(v, before);
    if (!before) return t('history.kind.created');
    if (c.state || /approve|suspend|revoke|suspension/.test(v.action || '')) {
      const to = (v.policy && v.policy.state) || '';
      return t('history.kind.state', { to: tOr(`state.${to}`, to) });
    }
    return t('history.kind.restrictions');
  }

  function changeList(v, before) {
    const c = changesOf(v, before);
    const items = [
      c.state ? h('li', { text: t('history.state.change', { from: tOr(`state.${c.state.from}`, c.state.from), to: tOr(`state.${c.state.to}`, c.state.to) }) }) : null,
      ...c.added.map((x) => h('li', {}, h('span', { class: 'change-tag', text: before ? t('history.now') : t('history.from.start') }), ' ', x)),
      ...c.removed.map((x) => h('li', {}, h('span', { class: 'change-tag', text: t('history.nolonger') }), ' ', x)),
    ].filter(Boolean);
    return items.length ? h('ul', { class: 'changes' }, items) : h('p', { class: 'meta', text: t('history.nochange') });
  }

  function drawHistory() {
    const versions = page.versions;
    const tbody = h('tbody', {}, versions.map((v, i) => {
      const before = versions[i + 1];
      const who = authorOf(v);
      return h('tr', { dataset: { version: String(v.version) } },
        h('th', { scope: 'row' }, String(v.version), v.version === page.policy.version ? h('span', { class: 'meta', text: ` ${t('history.current')}` }) : null),
        h('td', {}, v.at ? timeEl(v.at) : ''),
        h('td', {}, h('strong', { text: changeKind(v, before) }), changeList(v, before)),
        h('td', {}, who.name, who.role ? h('span', { class: 'meta', text: ` (${who.role})` }) : null),
        h('td', { text: v.reason || '' }),
        h('td', {}, h('button', {
          type: 'button', class: 'button-link', 'aria-controls': 'version-detail',
          text: t('history.view', { version: v.version }),
          onClick: (e) => showVersion(v, e.currentTarget.closest('tr')),
        })));
    }));
    replace(history,
      h('h2', { id: 'history-title', text: t('history.title') }),
      versions.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'history-table', class: 'stack' },
        h('caption', { text: t('history.caption') }),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', text: t('history.col.version') }),
          h('th', { scope: 'col', text: t('history.col.at') }),
          h('th', { scope: 'col', text: t('history.col.change') }),
          h('th', { scope: 'col', text: t('history.col.author') }),
          h('th', { scope: 'col', text: t('history.col.reason') }),
          h('th', { scope: 'col', text: t('history.col.view') }))),
        tbody)) : h('p', { text: t('history.none') }),
      detailHost);
    replace(detailHost);
  }

  function showVersion(v, row) {
    history.querySelectorAll('tr[aria-current]').forEach((r) => r.removeAttribute('aria-current'));
    row.setAttribute('aria-current', 'true');
    const heading = h('h3', { text: t('history.detail', { version: v.version }) });
    const who = authorOf(v);
    replace(detailHost,
      heading,
      h('ul', { class: 'summary' }, (v.summary || []).map((x) => h('li', { text: x }))),
      h('p', { class: 'meta' }, who.name, who.role ? ` (${who.role})` : '', v.at ? [', ', timeEl(v.at)] : null),
      v.reason ? h('p', { class: 'meta', text: t('summary.reason', { reason: v.reason }) }) : null);
    focusStatic(heading);
  }

  /** Reloads contact, policy and history after a change, and redraws everything but the form. */
  async function refresh() {
    await loadAll();
    drawDetails();
    drawSummary();
    drawHistory();
  }

  drawDetails();
  drawSummary();
  replace(restrictions, h('h2', { id: 'policy-form-title', text: t('policy.title') }), h('p', {}, toggle), formHost);
  drawHistory();
  replace(host,
    breadcrumbs([[t('nav.prisoners'), '#/'], [prisonerText, `#/prisoners/${encodeURIComponent(page.contact.prisoner_id)}`], [person]]),
    h('h1', { text: title }),
    details, summary, restrictions, history, dialog);
  app.focusHeading();
}
