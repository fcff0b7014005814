// #/verify — checks the whole hash chain and every signed checkpoint, and says the result in
// words: whole, or broken at which entry and how (with a link to read the log from there).

import { api } from '../assets/js/api.js';
import { h, replace, timeEl, focusStatic } from '../assets/js/dom.js';
import { t, tOr } from '../assets/js/strings.js';
import { errorNotice } from '../assets/js/errors.js';

/** The result of a verification in words, as a notice. */
export function verificationNotice(v, ms) {
  if (v.ok) {
    const cp = v.last_checkpoint;
    return h('div', { class: 'notice notice-ok verify-result', tabindex: '-1', dataset: { ms: String(ms) } },
      h('h2', { text: t('verify.ok.title') }),
      h('p', { text: t('verify.ok', { n: v.entries }) }),
      cp ? h('p', {}, t('verify.checkpoint', { seq: cp.seq }), ' ', timeEl(cp.at), '.') : h('p', { text: t('verify.nocheckpoint') }));
  }
  const bad = v.first_bad || {};
  return h('div', { class: 'notice notice-error verify-result', role: 'alert', tabindex: '-1', dataset: { ms: String(ms) } },
    h('h2', { text: t('verify.broken.title') }),
    h('p', { text: t('verify.broken', { seq: bad.seq, n: v.entries }) }),
    h('p', { text: tOr(`verify.problem.${bad.problem}`, t('verify.problem.other')) }),
    bad.detail ? h('p', { class: 'meta', text: t('verify.detail', { detail: bad.detail }) }) : null,
    bad.seq ? h('p', {}, h('a', { href: `#/audit?from=&cursor=${encodeURIComponent(bad.audit_cursor || '')}`, text: t('verify.open', { seq: bad.seq }) })) : null,
    h('p', { text: t('verify.todo') }));
}

export async function verifyView(host, app) {
  app.title(t('verify.title'));
  const result = h('div');
  const button = h('button', { type: 'button', class: 'button-primary', text: t('verify.run') });
  button.addEventListener('click', async () => {
    button.setAttribute('aria-disabled', 'true');
    replace(result, h('p', { class: 'loading', role: 'status', text: t('verify.running') }));
    const started = performance.now();
    try {
      const v = await api.verifyAudit();
      const notice = verificationNotice(v, Math.round(performance.now() - started));
      replace(result, notice);
      focusStatic(notice);
    } catch (e) {
      replace(result, errorNotice(e));
    } finally {
      button.removeAttribute('aria-disabled');
    }
  });
  replace(host,
    h('h1', { text: t('verify.title') }),
    h('p', { text: t('verify.intro') }),
    h('p', {}, button),
    result);
  app.focusHeading();
}
