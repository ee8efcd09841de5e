// Photos and documents of a draft request, or of a reply to the expert:
// resumable uploads (tus) with a progress bar each and automatic resume
// after a dropped connection; then one row per file, cloned from the
// page's <template id="upload-row"> so its words are the page's language:
// thumbnail, the quality check's hint, the view and body site, and buttons
// to replace or remove it. A draft's file is attached to the request as it
// arrives; a reply's stays in the form (hidden `photo` field) and goes with
// the reply. The first photo is an overview, the next ones close-ups.
(function () {
  'use strict';
  const section = document.getElementById('attachments');
  if (!section) return;
  const list = section.querySelector('.uploads');
  const note = section.querySelector('.upload-note');
  const template = document.getElementById('upload-row');
  const caseId = section.dataset.case;
  const item = section.dataset.item;
  const replyMode = section.dataset.mode === 'form';
  const words = section.dataset;
  const pickers = section.querySelectorAll('[data-pick]');
  if (!window.tus) {
    // The upload library did not load (an old browser, a proxy): say what the
    // person can do, never what a developer should install.
    note.textContent = words.tUnsupported;
    section.querySelectorAll('input[type=file]').forEach((input) => { input.disabled = true; });
    return;
  }

  function problem(error) {
    const response = error && error.originalResponse;
    const body = response && response.getBody && response.getBody();
    return body || words.tInterrupted;
  }

  // The questionnaire's location stands for each photo's own, until typed.
  const location = document.querySelector('#field-body_site input, #field-body_site textarea');
  function placeholders() {
    const typed = location && location.value.trim();
    if (!typed) return;
    list.querySelectorAll('input[name^=photo_site]').forEach((input) => { input.placeholder = typed; });
  }
  if (location) location.addEventListener('input', placeholders);

  // "Photo 1", "Photo 2"… in the order the rows stand.
  function renumber() {
    list.querySelectorAll('.upload-number').forEach((n, i) => { n.textContent = String(i + 1); });
  }

  function photoRows() {
    return list.querySelectorAll('li.upload').length;
  }

  // The row for a finished upload, from the page's template.
  function rowFor(uploadId, info, kind, site) {
    const holder = document.createElement('ul');
    holder.innerHTML = template.innerHTML.replaceAll('__ID__', uploadId);
    const row = holder.firstElementChild;
    const select = row.querySelector('select');
    const siteInput = row.querySelector('input[name^=photo_site]');
    if (info.thumbnail) {
      if (select) select.value = kind;
      if (siteInput) siteInput.value = site;
    } else {
      // A document: no view, no site, no thumbnail, its own name.
      row.querySelector('img').remove();
      row.querySelector('.photo-fields').remove();
      row.querySelector('[data-replace]').closest('label').remove();
    }
    const status = row.querySelector('.upload-status');
    status.textContent = info.hint_text || (replyMode ? words.tReady : words.tAttached);
    if (info.hint) row.classList.add('hint');
    return row;
  }

  async function removeFile(row) {
    const uploadId = row.dataset.upload;
    const response = replyMode
      ? await fetch(`/files/${uploadId}`, {
        method: 'DELETE', headers: { 'Tus-Resumable': '1.0.0' }, credentials: 'same-origin',
      })
      : await fetch(`/demandes/${caseId}/pieces/${uploadId}/retrait`, {
        method: 'POST', headers: { Accept: 'application/json' }, credentials: 'same-origin',
      });
    if (!response.ok && response.status !== 404) {
      let message = words.tInterrupted;
      try { message = (await response.json()).message || message; } catch (_) { /* text body */ }
      row.querySelector('.upload-status').textContent = message;
      row.classList.add('failed');
      return false;
    }
    row.remove();
    renumber();
    return true;
  }

  async function finish(uploadId, pending, kind, site, replacing) {
    let info;
    if (replyMode) {
      const response = await fetch(`/files/${uploadId}/qualite`, {
        headers: { Accept: 'application/json' }, credentials: 'same-origin',
      });
      info = response.ok ? await response.json() : {};
    } else {
      const body = new URLSearchParams({ upload: uploadId, item, body_site: site, photo_kind: kind });
      const response = await fetch(`/demandes/${caseId}/pieces`, {
        method: 'POST', body, headers: { Accept: 'application/json' }, credentials: 'same-origin',
      });
      info = await response.json();
      if (!response.ok) {
        pending.querySelector('.upload-status').textContent = info.message;
        pending.classList.add('failed');
        return;
      }
    }
    const row = rowFor(uploadId, info, kind, site);
    pending.replaceWith(row);
    if (replacing) await removeFile(replacing);
    renumber();
    placeholders();
  }

  // Sends one file; `replacing` is the row of the photo it takes the place
  // of, whose view and site it keeps.
  function start(file, replacing) {
    const pending = document.createElement('li');
    pending.className = 'upload';
    const name = document.createElement('span');
    name.className = 'upload-name';
    name.textContent = file.name;
    const bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute('aria-label', `${words.tSending} ${file.name}`);
    const status = document.createElement('span');
    status.className = 'upload-status';
    status.setAttribute('role', 'status');
    pending.append(name, bar, status);
    let kind = photoRows() === 0 ? 'overview' : 'close_up';
    let site = '';
    if (replacing) {
      const select = replacing.querySelector('select');
      const siteInput = replacing.querySelector('input[name^=photo_site]');
      if (select) kind = select.value;
      if (siteInput) site = siteInput.value;
      replacing.after(pending);
    } else {
      list.append(pending);
    }
    const upload = new window.tus.Upload(file, {
      endpoint: '/files/',
      chunkSize: 256 * 1024,
      retryDelays: [0, 500, 1000, 2000, 4000, 8000, 15000],
      removeFingerprintOnSuccess: true,
      metadata: { filename: file.name, filetype: file.type, body_site: site, photo_kind: kind },
      onProgress(sent, total) { bar.value = Math.floor((sent * 100) / total); },
      onError(error) { status.textContent = problem(error); pending.classList.add('failed'); },
      onSuccess() {
        bar.value = 100;
        finish(upload.url.split('/').pop(), pending, kind, site, replacing);
      },
    });
    upload.findPreviousUploads().then((previous) => {
      if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  }

  pickers.forEach((input) => input.addEventListener('change', () => {
    Array.from(input.files).forEach((file) => start(file, null));
    input.value = '';
  }));
  // Rows come and go: listen on the list for their buttons.
  list.addEventListener('change', (event) => {
    const input = event.target;
    if (!input.matches('[data-replace]') || !input.files.length) return;
    start(input.files[0], input.closest('li'));
    input.value = '';
  });
  list.addEventListener('click', (event) => {
    const button = event.target.closest('[data-remove]');
    if (!button) return;
    event.preventDefault();
    const row = button.closest('li');
    const next = row.nextElementSibling || row.previousElementSibling;
    removeFile(row).then((removed) => {
      if (!removed) return;
      const focus = next && next.querySelector('[data-remove]');
      (focus || pickers[0]).focus();
    });
  });
})();
