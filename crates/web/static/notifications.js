// Keeps the bell's unread count live (Server-Sent Events from
// /notifications/flux); the browser reconnects by itself when the stream ends.
(function () {
  'use strict';
  const bell = document.querySelector('a.bell');
  if (!bell || !window.EventSource) return;
  const en = document.documentElement.lang === 'en';
  const source = new EventSource('/notifications/flux');
  source.addEventListener('unread', (event) => {
    const count = Number.parseInt(event.data, 10) || 0;
    let badge = bell.querySelector('.badge');
    if (count > 0) {
      if (!badge) {
        badge = document.createElement('span');
        badge.className = 'badge';
        bell.append(badge);
      }
      badge.textContent = String(count);
      bell.setAttribute('aria-label', en ? `Notifications (${count} unread)` : `Notifications (${count} non lues)`);
    } else {
      if (badge) badge.remove();
      bell.setAttribute('aria-label', 'Notifications');
    }
  });
})();
