// The frame around <main> that the kiosk and the family portal share (the staff consoles' is
// shell.js's): the skip link, the header with the page's name, who is signed in and the language
// button, the Calls section below the page's own screens, and the polite live region announce()
// speaks through. A page's HTML holds only <main> (and what to say without JavaScript) and names
// itself with <body data-client="kiosk|portal">. Its script tag comes before the page's others, so
// the frame is there by the time messaging-page.js and call/mount.js look for its parts by id.

import { h } from './dom.js';
import { t, language } from './i18n.js';

const client = document.body.dataset.client === 'portal' ? 'portal' : 'kiosk';

document.body.prepend(
  h('a', { class: 'skip-link', id: 'skip-link', href: '#main', text: t('skip') }),
  h('header', { class: 'site-header' },
    h('div', { class: 'wrap' },
      h('span', { class: 'brand', id: 'brand', text: t(`${client}.title`) }),
      h('div', { class: 'header-tools' },
        h('div', { id: 'session' }),
        h('button', { type: 'button', class: 'button-secondary', id: 'lang',
          lang: language() === 'cy' ? 'en-GB' : 'cy', text: t('lang.switch') })))));

document.getElementById('main').append(h('div', { class: 'wrap' },
  h('section', { class: 'calls-section', id: 'calls-section', dataset: { portal: String(client === 'portal') }, 'aria-live': 'off' })));

document.body.append(h('div', {
  id: 'live-status', class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true',
}));
