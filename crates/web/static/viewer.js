// Full-screen photo viewer for the galleries of a page: zoom, pan, pinch and
// swipe through all photos (current request and earlier ones) in page order.
// Without JavaScript each thumbnail link simply opens the full image, so this
// file only adds comfort. No inline styles: the transform is set via CSSOM.
(function () {
  'use strict';
  if (typeof HTMLDialogElement !== 'function') return; // old browser: plain links still work

  const MIN_SCALE = 1;
  const MAX_SCALE = 8;
  const DOUBLE_TAP_SCALE = 2.5;
  const STEP = 1.5; // zoom factor of the buttons and keys
  const SWIPE_DISTANCE = 60; // px of horizontal travel that turns the page
  const TAP_SLOP = 10; // px a finger may wander and still count as a tap
  const DOUBLE_TAP_DELAY = 300; // ms between the two taps of a double tap

  const english = (document.documentElement.lang || '').toLowerCase().startsWith('en');
  const TEXT = english ? {
    dialog: 'Photo viewer', previous: 'Previous', next: 'Next', zoomIn: 'Zoom in',
    zoomOut: 'Zoom out', reset: 'Fit to screen', close: 'Close', loading: 'Loading…',
    error: 'Could not load the photo',
  } : {
    dialog: 'Visionneuse de photos', previous: 'Précédent', next: 'Suivant', zoomIn: 'Zoom +',
    zoomOut: 'Zoom −', reset: "Ajuster à l'écran", close: 'Fermer', loading: 'Chargement…',
    error: "Impossible d'afficher la photo",
  };

  let dialog, stage, image, status, position, captionText; // built on first use
  let photos = []; // every a.photo of the page, in document order
  let index = 0;
  let opener = null; // thumbnail link that gets the focus back on close
  const view = { scale: 1, x: 0, y: 0 }; // x, y: offset of the image centre from the stage centre
  const pointers = new Map(); // pointerId -> { x, y } of each mouse button / finger down
  let gesture = null; // the current contact, from first pointer down to last pointer up
  let lastTap = { time: 0, x: 0, y: 0 };

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function button(label, keys, action) {
    const node = element('button', '', label);
    node.type = 'button';
    node.setAttribute('aria-label', label);
    node.setAttribute('aria-keyshortcuts', keys);
    node.addEventListener('click', action);
    return node;
  }

  function build() {
    dialog = element('dialog', 'viewer');
    dialog.setAttribute('aria-label', TEXT.dialog);
    stage = element('div', 'viewer-stage');
    image = element('img', 'viewer-image');
    image.draggable = false; // otherwise a mouse drag starts the browser's image drag
    status = element('p', 'viewer-status');
    status.setAttribute('role', 'status');
    stage.append(image, status);
    const caption = element('p', 'viewer-caption');
    caption.setAttribute('aria-live', 'polite'); // announce the new photo after Next/Previous
    position = element('span', 'viewer-position');
    captionText = element('span', 'viewer-text');
    caption.append(position, captionText);
    const close = button(TEXT.close, 'Escape', () => dialog.close());
    close.autofocus = true;
    const tools = element('div', 'viewer-tools');
    tools.append(
      button(TEXT.previous, 'ArrowLeft', () => show(index - 1)),
      button(TEXT.next, 'ArrowRight', () => show(index + 1)),
      button(TEXT.zoomIn, '+', () => zoomTo(view.scale * STEP)),
      button(TEXT.zoomOut, '-', () => zoomTo(view.scale / STEP)),
      button(TEXT.reset, '0', resetView),
      close,
    );
    const bar = element('div', 'viewer-bar');
    bar.append(caption, tools);
    dialog.append(stage, bar);
    document.body.append(dialog);

    image.addEventListener('load', () => { setState(''); apply(); });
    image.addEventListener('error', () => { if (image.getAttribute('src')) setState('error'); });
    dialog.addEventListener('keydown', onKey);
    dialog.addEventListener('close', onClose);
    stage.addEventListener('wheel', onWheel, { passive: false });
    stage.addEventListener('pointerdown', onPointerDown);
    stage.addEventListener('pointermove', onPointerMove);
    stage.addEventListener('pointerup', onPointerEnd);
    stage.addEventListener('pointercancel', onPointerEnd);
    window.addEventListener('resize', () => { if (dialog.open) apply(); });
  }

  function setState(state) {
    dialog.classList.toggle('is-loading', state === 'loading');
    dialog.classList.toggle('is-error', state === 'error');
    status.textContent = state === 'loading' ? TEXT.loading : state === 'error' ? TEXT.error : '';
  }

  function open(link) {
    if (!dialog) build();
    photos = Array.from(document.querySelectorAll('ul.gallery a.photo'));
    opener = link;
    show(photos.indexOf(link));
    dialog.showModal();
  }

  function show(i) {
    if (!photos.length) return;
    index = (i + photos.length) % photos.length; // wrap around at both ends
    const link = photos[index];
    const thumb = link.querySelector('img');
    const alt = thumb ? thumb.alt : '';
    position.textContent = `${index + 1} / ${photos.length}`;
    captionText.textContent = link.dataset.caption || alt;
    image.alt = alt;
    resetView();
    if (image.src !== link.href) { // same URL again would not fire a new load event
      setState('loading');
      image.src = link.href;
    }
  }

  function onClose() {
    image.removeAttribute('src'); // stop a slow download continuing in the background
    setState('');
    pointers.clear();
    gesture = null;
    if (opener && opener.isConnected) opener.focus();
  }

  // Keep the picture covering the stage when it is larger, centred when smaller,
  // so it can never be dragged out of view.
  function apply() {
    const limitX = Math.max(0, (image.offsetWidth * view.scale - stage.clientWidth) / 2);
    const limitY = Math.max(0, (image.offsetHeight * view.scale - stage.clientHeight) / 2);
    view.x = Math.min(limitX, Math.max(-limitX, view.x));
    view.y = Math.min(limitY, Math.max(-limitY, view.y));
    image.style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.scale})`;
    stage.classList.toggle('is-zoomed', view.scale > 1);
  }

  function resetView() {
    view.scale = 1;
    view.x = 0;
    view.y = 0;
    apply();
  }

  const clampScale = (scale) => Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));

  // Zoom so that the image point under (cx, cy), measured from the stage centre, stays put.
  function zoomTo(scale, cx = 0, cy = 0) {
    const next = clampScale(scale);
    const ratio = next / view.scale;
    view.x = cx - (cx - view.x) * ratio;
    view.y = cy - (cy - view.y) * ratio;
    view.scale = next;
    apply();
  }

  function fromCentre(clientX, clientY) {
    const box = stage.getBoundingClientRect();
    return [clientX - box.left - box.width / 2, clientY - box.top - box.height / 2];
  }

  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return; // leave browser shortcuts alone
    const zoomIn = () => zoomTo(view.scale * STEP);
    const actions = {
      ArrowLeft: () => show(index - 1), ArrowRight: () => show(index + 1),
      '+': zoomIn, '=': zoomIn, '-': () => zoomTo(view.scale / STEP), '0': resetView,
    };
    const action = actions[event.key];
    if (!action) return; // Escape is handled by the native dialog
    event.preventDefault();
    action();
  }

  function onWheel(event) {
    event.preventDefault(); // the page behind must not scroll
    const lines = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1;
    zoomTo(view.scale * Math.exp(-event.deltaY * lines * 0.002), ...fromCentre(event.clientX, event.clientY));
  }

  const points = () => Array.from(pointers.values());
  const middle = (list) => list.reduce((sum, p) => [sum[0] + p.x / list.length, sum[1] + p.y / list.length], [0, 0]);
  const spread = (list) => (list.length > 1 ? Math.hypot(list[0].x - list[1].x, list[0].y - list[1].y) : 0);

  // Moves are measured from this moment, so a finger added or lifted does not make the image jump.
  function anchor() {
    const list = points();
    const [x, y] = middle(list);
    const [cx, cy] = fromCentre(x, y);
    gesture.anchor = { x, y, cx, cy, viewX: view.x, viewY: view.y, scale: view.scale, spread: spread(list) };
    if (list.length > 1) gesture.pinched = true;
  }

  function onPointerDown(event) {
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    stage.setPointerCapture(event.pointerId); // keep receiving moves outside the stage
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (pointers.size === 1) {
      gesture = { startX: event.clientX, startY: event.clientY, moved: false, pinched: false };
    }
    anchor();
  }

  // One pointer pans; two pinch and pan together: the image point that was
  // under the fingers' midpoint follows it while the spread sets the scale.
  function onPointerMove(event) {
    if (!pointers.has(event.pointerId) || !gesture) return;
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (Math.hypot(event.clientX - gesture.startX, event.clientY - gesture.startY) > TAP_SLOP) gesture.moved = true;
    const list = points();
    const a = gesture.anchor;
    const [x, y] = middle(list);
    const scale = list.length > 1 && a.spread > 0 ? clampScale(a.scale * spread(list) / a.spread) : a.scale;
    const ratio = scale / a.scale;
    view.scale = scale;
    view.x = a.cx + (x - a.x) - (a.cx - a.viewX) * ratio;
    view.y = a.cy + (y - a.y) - (a.cy - a.viewY) * ratio;
    apply();
    stage.classList.toggle('is-dragging', view.scale > 1);
  }

  function onPointerEnd(event) {
    if (!pointers.delete(event.pointerId) || !gesture) return;
    stage.classList.remove('is-dragging');
    if (pointers.size) { anchor(); return; } // a finger remains: carry on from here
    const done = gesture;
    gesture = null;
    if (event.type === 'pointercancel' || done.pinched) return;
    const dx = event.clientX - done.startX;
    const dy = event.clientY - done.startY;
    if (view.scale === 1 && Math.abs(dx) > SWIPE_DISTANCE && Math.abs(dx) > 2 * Math.abs(dy)) {
      show(index + (dx < 0 ? 1 : -1)); // pushing the photo to the left brings the next one
    } else if (!done.moved) {
      tapped(event);
    }
  }

  // Our own double tap: Safari on touch does not send dblclick reliably.
  function tapped(event) {
    const isDouble = event.timeStamp - lastTap.time < DOUBLE_TAP_DELAY
      && Math.hypot(event.clientX - lastTap.x, event.clientY - lastTap.y) < 3 * TAP_SLOP;
    lastTap = isDouble ? { time: 0, x: 0, y: 0 } : { time: event.timeStamp, x: event.clientX, y: event.clientY };
    if (!isDouble) return;
    if (view.scale > 1) resetView();
    else zoomTo(DOUBLE_TAP_SCALE, ...fromCentre(event.clientX, event.clientY));
  }

  // One listener for every gallery, present or added later; modified clicks
  // (new tab, download) keep the browser's behaviour.
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element && event.target.closest('ul.gallery a.photo');
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    open(link);
  });
})();
