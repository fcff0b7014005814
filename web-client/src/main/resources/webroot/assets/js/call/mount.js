// Loaded by the kiosk and portal pages: adds the Calls section below the page's own screens.
import { mountCalls } from './calls-section.js';

const root = document.getElementById('calls-section');
if (root) mountCalls(root, { portal: root.dataset.portal === 'true' });
