// The security console: the establishment's audit log, the chain check, failed sign-ins and
// lockouts, and the review queue. Each page is one route in the shared console frame; live calls
// and recordings are pages added the same way (one route, one navigation entry).
//   #/             what needs attention: waiting reviews, recent lockouts, the last chain check
//   #/audit        the audit log: filters, paging, details in words, CSV and NDJSON export
//   #/verify       check the hash chain and signed checkpoints
//   #/signins      failed sign-ins and lockouts
//   #/reviews      messages held for review
//   #/recordings   the establishment's call recordings: play one with a reason, hold them

import { startConsole } from '../assets/js/shell.js';
import { overviewView } from './overview.js';
import { auditView } from './audit.js';
import { verifyView } from './verify.js';
import { signInsView } from './signins.js';
import { reviewsView } from './reviews.js';
import { recordingsView } from './recordings.js';

startConsole({
  key: 'security',
  roles: ['SECURITY'],
  nav: [
    { href: '#/', key: 'sec.nav.overview' },
    { href: '#/audit', key: 'sec.nav.audit' },
    { href: '#/verify', key: 'sec.nav.verify' },
    { href: '#/signins', key: 'sec.nav.signins' },
    { href: '#/reviews', key: 'sec.nav.reviews' },
    { href: '/security/calls.html', key: 'sec.nav.calls' },
    { href: '#/recordings', key: 'sec.nav.recordings' },
    { href: '/staff/', key: 'sec.nav.staff' },
  ],
  routes: [
    { match: (p) => p[0] === '' && p.length === 1, view: (host, app) => overviewView(host, app) },
    { match: (p) => p[0] === 'audit' && p.length === 1, view: (host, app, p, params) => auditView(host, app, params) },
    { match: (p) => p[0] === 'verify' && p.length === 1, view: (host, app) => verifyView(host, app) },
    { match: (p) => p[0] === 'signins' && p.length === 1, view: (host, app) => signInsView(host, app) },
    { match: (p) => p[0] === 'reviews' && p.length === 1, view: (host, app) => reviewsView(host, app) },
    { match: (p) => p[0] === 'recordings' && p.length === 1, view: (host, app) => recordingsView(host, app) },
  ],
});
