// The child's page, /join/{token}: big, few words, English or Welsh. The link is one device's: the
// first device that joins with it keeps it (a random id kept in this tab), and it works only around
// the call's time. The child may leave at any moment.

import { startCall } from '../assets/js/call/call.js';

const WORDS = {
  en: { title: 'Your call', intro: 'When you are ready, press the big button. We will ask to use your camera and microphone.',
    join: 'Join the call', again: 'Join again', switch: 'Cymraeg', problem: 'Something went wrong. Ask the grown-up with you.' },
  cy: { title: 'Dy alwad', intro: 'Pan fyddi di’n barod, pwysa’r botwm mawr. Byddwn yn gofyn am gael defnyddio dy gamera a’th feicroffon.',
    join: 'Ymuno â’r alwad', again: 'Ymuno eto', switch: 'English', problem: 'Aeth rhywbeth o’i le. Gofyn i’r oedolyn sydd gyda ti.' },
};
let lang = (() => { try { return localStorage.getItem('kinlink.lang') === 'cy' ? 'cy' : 'en'; } catch { return 'en'; } })();
const token = decodeURIComponent(location.pathname.replace(/^\/join\//, '').replace(/\/.*$/, ''));

function device() {
  try {
    let id = sessionStorage.getItem('kinlink.join.device');
    if (!id) {
      id = 'dev-' + crypto.randomUUID();
      sessionStorage.setItem('kinlink.join.device', id);
    }
    return id;
  } catch {
    return 'dev-' + crypto.randomUUID();
  }
}

function words() {
  const w = WORDS[lang];
  document.documentElement.lang = lang === 'cy' ? 'cy' : 'en-GB';
  document.title = w.title + ' – Kinlink';
  const set = (id, text) => { const el = document.getElementById(id); if (el) el.textContent = text; };
  set('title', w.title);
  set('intro', w.intro);
  set('join', w.join);
  const b = document.getElementById('lang');
  b.textContent = w.switch;
  b.setAttribute('lang', lang === 'cy' ? 'en-GB' : 'cy');
}

document.getElementById('lang').addEventListener('click', () => {
  lang = lang === 'cy' ? 'en' : 'cy';
  try { localStorage.setItem('kinlink.lang', lang); } catch { /* the choice lasts for this page */ }
  words();
});

document.getElementById('join').addEventListener('click', async () => {
  const problem = document.getElementById('problem');
  problem.textContent = '';
  const res = await fetch('/api/v1/join/' + encodeURIComponent(token), {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ device_id: device() }), credentials: 'omit',
  }).catch(() => null);
  const body = res ? await res.json().catch(() => ({})) : {};
  if (!res || !res.ok) {
    problem.textContent = body.error?.message || WORDS[lang].problem;
    return;
  }
  const view = document.getElementById('view');
  startCall({ root: view, join: body.join, backend: body.backend, socketToken: body.join.ticket, lang, onEnd: () => {
    const again = document.createElement('button');
    again.type = 'button';
    again.className = 'button-secondary button-big';
    again.textContent = WORDS[lang].again;
    again.addEventListener('click', () => location.reload());
    view.append(again);
  } });
});

words();
