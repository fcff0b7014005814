// Security's live calls: the establishment's open and live calls with who is in each; monitor
// (hidden, receive-only; never a privileged call) and terminate, each with a reason that is audited.
// Uses the staff session of this tab (sign in on /staff/ first).

import { h, replace } from '../assets/js/dom.js';
import { api, authed, currentAccessToken } from '../assets/js/api.js';
import { startCall } from '../assets/js/call/call.js';

const list = document.getElementById('live-calls');
const notice = document.getElementById('live-notice');
const area = document.getElementById('monitor-area');
const time = (iso) => new Date(iso).toLocaleTimeString('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' });

function reasonField(id) {
  return h('div', { class: 'field' }, h('label', { for: id, text: 'Reason (kept in the audit log)' }),
    h('input', { id, type: 'text', required: true, maxlength: '500' }));
}

async function refresh() {
  let live;
  try {
    live = await authed('GET', '/live-calls');
  } catch (e) {
    notice.replaceChildren(document.createTextNode(e.status === 401 ? 'Sign in on the staff console first: ' : e.message),
      h('a', { href: '/staff/', text: 'staff sign-in' }));
    return;
  }
  notice.textContent = live.items.length ? '' : 'No calls are open now.';
  replace(list, ...live.items.map((c) => {
    const rid = 'reason-' + c.id;
    return h('li', { 'data-call': c.id },
      // a SUPERVISED call waiting for its supervisor says so by name instead of a state
      h('strong', { text: `${time(c.start)}–${time(c.ends_at)} · ${c.status_text || c.state}` }),
      h('span', { text: 'Booked: ' + c.participants.map((p) => p.name + (p.prison_number ? ` (${p.prison_number})` : '')).join(', ') }),
      h('span', { text: 'In now: ' + (c.present.map((p) => `${p.name} (${p.role.toLowerCase()})`).join(', ') || 'nobody') }),
      reasonField(rid),
      h('button', { type: 'button', class: 'button-secondary', text: 'Monitor', onClick: () => act(c, 'monitor', rid) }),
      h('button', { type: 'button', class: 'button-primary', text: 'End call now', onClick: () => act(c, 'terminate', rid) }));
  }));
}

async function act(c, what, rid) {
  const reason = document.getElementById(rid).value.trim();
  if (!reason) {
    notice.textContent = 'Give a reason first.';
    document.getElementById(rid).focus();
    return;
  }
  try {
    const answer = await authed('POST', `/calls/${encodeURIComponent(c.id)}/${what}`, { reason });
    if (what === 'monitor') {
      startCall({ root: area, join: answer.join, backend: answer.backend, socketToken: currentAccessToken(), onEnd: refresh });
    } else {
      notice.textContent = 'The call was ended.';
      refresh();
    }
  } catch (e) {
    notice.textContent = e.message;
  }
}

api.resume().then(refresh);
setInterval(refresh, 5000);
