// On a phone the header holds the brand, the bell and a "Menu" button: the
// other links fold behind it instead of wrapping over four rows (issue 15).
// Without this script every link shows, wrapped.
(function () {
  'use strict';
  const nav = document.querySelector('.top-nav');
  const toggle = nav && nav.querySelector('.menu-toggle');
  if (!toggle) return;
  const narrow = window.matchMedia('(max-width: 36rem)');
  function fold() {
    const folded = narrow.matches;
    toggle.hidden = !folded;
    nav.classList.toggle('folded', folded);
    toggle.setAttribute('aria-expanded', 'false');
    nav.classList.remove('open');
  }
  toggle.addEventListener('click', () => {
    const open = !nav.classList.contains('open');
    nav.classList.toggle('open', open);
    toggle.setAttribute('aria-expanded', String(open));
  });
  narrow.addEventListener('change', fold);
  fold();
})();
