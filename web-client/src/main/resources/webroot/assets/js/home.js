// The home page links a client only once it is served here: until then it says it is coming, so
// nobody is sent to a page that answers 404.

import { served } from './shell.js';

document.querySelectorAll('[data-client]').forEach(async (card) => {
  const path = card.dataset.client;
  if (!(await served(path))) return;
  const title = card.querySelector('[data-title]');
  const link = document.createElement('a');
  link.href = path;
  link.textContent = title.dataset.title;
  title.replaceChildren(link);
  const coming = card.querySelector('[data-coming]');
  if (coming) coming.remove();
});
