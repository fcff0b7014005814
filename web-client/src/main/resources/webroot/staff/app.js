// The staff console: officers, family workers and admins (security staff may use it too, to
// suspend a contact or tighten its restrictions at once). Hash routes, so the gateway only
// serves static files:
//   #/                         the establishment's prisoners, searched on the server
//   #/approvals                contacts waiting for approval across the establishment
//   #/prisoners/new            register a prisoner
//   #/prisoners/{id}           one prisoner: clearance and flags, contacts, kiosk sign-in lock
//   #/prisoners/{id}/add       add a contact for her
//   #/contacts/{id}            one contact: state, what it allows, restrictions form, history
//   #/admin/staff, #/admin/devices   staff accounts and kiosk devices (admins)
//   #/admin/settings           the establishment's message retention and video-call settings (admins)

import { startConsole, STAFF_ROLES } from '../assets/js/shell.js';
import { prisonersView, prisonerView } from './prisoners.js';
import { contactView } from './contact.js';
import { approvalsView } from './approvals.js';
import { registerPrisonerView, addContactView } from './register.js';
import { staffAccountsView, devicesView } from './admin.js';
import { settingsView } from './settings.js';

const ADMIN = ['ADMIN'];

startConsole({
  key: 'staff',
  roles: STAFF_ROLES,
  nav: [
    { href: '#/', key: 'nav.prisoners' },
    { href: '#/approvals', key: 'nav.approvals' },
    { href: '#/admin/staff', key: 'nav.staff', roles: ADMIN },
    { href: '#/admin/devices', key: 'nav.devices', roles: ADMIN },
    { href: '#/admin/settings', key: 'nav.settings', roles: ADMIN },
    { href: '/security/', key: 'nav.security', roles: ['SECURITY'] },
  ],
  routes: [
    { match: (p) => p[0] === '' && p.length === 1, view: (host, app, p, params) => prisonersView(host, app, params) },
    { match: (p) => p[0] === 'approvals' && p.length === 1, view: (host, app) => approvalsView(host, app) },
    { match: (p) => p[0] === 'prisoners' && p[1] === 'new' && p.length === 2, view: (host, app) => registerPrisonerView(host, app) },
    { match: (p) => p[0] === 'prisoners' && p[1] && p[2] === 'add' && p.length === 3, view: (host, app, p) => addContactView(host, app, p[1]) },
    { match: (p) => p[0] === 'prisoners' && p[1] && p.length === 2, view: (host, app, p) => prisonerView(host, app, p[1]) },
    { match: (p) => p[0] === 'contacts' && p[1] && p.length === 2, view: (host, app, p) => contactView(host, app, p[1]) },
    { match: (p, app) => p[0] === 'admin' && p[1] === 'staff' && app.is('ADMIN'), view: (host, app) => staffAccountsView(host, app) },
    { match: (p, app) => p[0] === 'admin' && p[1] === 'devices' && app.is('ADMIN'), view: (host, app) => devicesView(host, app) },
    { match: (p, app) => p[0] === 'admin' && p[1] === 'settings' && p.length === 2 && app.is('ADMIN'), view: (host, app) => settingsView(host, app) },
  ],
});
