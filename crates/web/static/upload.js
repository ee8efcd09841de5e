// Photos and documents of a draft request: resumable uploads (tus), one
// progress bar per file, automatic resume after a dropped connection, then
// the file is attached to the request with its body site and kind. In
// "form" mode (a reply to the expert), the finished upload is instead added
// to the enclosing form, and sent with the reply.
(function () {
  'use strict';
  const section = document.getElementById('attachments');
  if (!section) return;
  const list = section.querySelector('.uploads');
  const note = section.querySelector('.upload-note');
  const caseId = section.dataset.case;
  const item = section.dataset.item;
  const inputs = section.querySelectorAll('input[type=file]');
  if (!window.tus) {
    // The upload library did not load (an old browser, a proxy): say what the
    // person can do, never what a developer should install.
    note.textContent = "L'envoi de photos ne fonctionne pas sur ce navigateur : rechargez la page, ou utilisez un navigateur à jour.";
    inputs.forEach((input) => { input.disabled = true; });
    return;
  }
  const field = (name) => section.querySelector(`[name=${name}]`);

  function problem(error) {
    const response = error && error.originalResponse;
    const body = response && response.getBody && response.getBody();
    return body || 'Envoi interrompu : vérifiez la connexion, il reprendra.';
  }

  function addToForm(uploadId, row, status, bodySite, kind) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = 'photo';
    input.value = `${uploadId}|${kind}|${bodySite}`;
    section.closest('form').append(input);
    const img = document.createElement('img');
    img.src = `/files/${uploadId}/vignette`;
    img.alt = '';
    img.addEventListener('error', () => img.remove());
    row.prepend(img);
    status.textContent = document.documentElement.lang === 'en'
      ? 'Ready: sent with your answer' : 'Prête : envoyée avec votre réponse';
    row.classList.add('done');
  }

  async function attach(uploadId, row, status, bodySite, kind) {
    if (section.dataset.mode === 'form') { addToForm(uploadId, row, status, bodySite, kind); return; }
    const body = new URLSearchParams({ upload: uploadId, item, body_site: bodySite, photo_kind: kind });
    const response = await fetch(`/demandes/${caseId}/pieces`, {
      method: 'POST', body, headers: { Accept: 'application/json' }, credentials: 'same-origin',
    });
    const info = await response.json();
    if (!response.ok) { status.textContent = info.message; row.classList.add('failed'); return; }
    status.textContent = info.hint_text || 'Jointe à la demande';
    if (info.hint) row.classList.add('hint');
    if (info.thumbnail) {
      const img = document.createElement('img');
      img.src = info.thumbnail;
      img.alt = '';
      row.prepend(img);
    }
    row.classList.add('done');
  }

  function start(file) {
    const row = document.createElement('li');
    row.className = 'upload';
    const name = document.createElement('span');
    name.className = 'upload-name';
    name.textContent = file.name;
    const bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute('aria-label', `Envoi de ${file.name}`);
    const status = document.createElement('span');
    status.className = 'upload-status';
    status.setAttribute('role', 'status');
    row.append(name, bar, status);
    list.append(row);
    const bodySite = field('photo_body_site').value;
    const kind = field('photo_kind').value;
    const upload = new window.tus.Upload(file, {
      endpoint: '/files/',
      chunkSize: 256 * 1024,
      retryDelays: [0, 500, 1000, 2000, 4000, 8000, 15000],
      removeFingerprintOnSuccess: true,
      metadata: { filename: file.name, filetype: file.type, body_site: bodySite, photo_kind: kind },
      onProgress(sent, total) { bar.value = Math.floor((sent * 100) / total); },
      onError(error) { status.textContent = problem(error); row.classList.add('failed'); },
      onSuccess() {
        bar.value = 100;
        attach(upload.url.split('/').pop(), row, status, bodySite, kind);
      },
    });
    upload.findPreviousUploads().then((previous) => {
      if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  }

  inputs.forEach((input) => input.addEventListener('change', () => {
    Array.from(input.files).forEach(start);
    input.value = '';
  }));
})();
