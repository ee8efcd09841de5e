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
    // The name is the link's text: "Notifications", the count, "non lues".
    let badge = bell.querySelector('.badge');
    let words = bell.querySelector('.unread-words');
    if (count > 0) {
      if (!badge) {
        badge = document.createElement('span');
        badge.className = 'badge';
        words = document.createElement('span');
        words.className = 'visually-hidden unread-words';
        words.textContent = en ? ' unread' : ' non lues';
        bell.append(badge, words);
      }
      badge.textContent = String(count);
    } else {
      if (badge) badge.remove();
      if (words) words.remove();
    }
  });
})();
