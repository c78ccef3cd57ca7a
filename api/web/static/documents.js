// Documents (文书): the task page's panel and the case page's section, from the documents API.
// window.tjDocs.taskPanel(container, {task, form, caseId})  preview / generate / download / signed scans
// window.tjDocs.caseSection(container, caseDetail)          every document and version of the case
// window.tjDocs.eventDetail(event) -> [text]                  the timeline's detail of document and file events
// window.tjDocs.errorText(err) -> text                        a refused action in the page's language
// A preview is shown in a sandboxed iframe (srcdoc: no script runs in it, the page's CSP applies).
// Everything from the API goes into the page as text or attributes (tj.el), never as HTML of this page.
(function () {
  'use strict';
  const { PAGE, api, ApiError, el, t, toast, LANG } = window.tj;
  const EN = LANG === 'en';
  const MAKERS = ['intake', 'mediator', 'lawyer', 'supervisor'];
  const SIGNED_FIELD = 'agreement_files'; // the agreement forms' field for the signed 调解协议书
  const SEP = EN ? ': ' : '：';

  function fmt(key, vars) {
    return Object.entries(vars || {}).reduce((s, [k, v]) => s.split('{' + k + '}').join(String(v)), t(key));
  }
  const canMake = () => !!(PAGE.user && MAKERS.includes(PAGE.user.role));
  const withCopy = (url, copy) => (copy ? url + (url.includes('?') ? '&' : '?') + 'copy=' + encodeURIComponent(copy) : url);
  const pdfUrl = (d) => (d.urls && d.urls.pdf) || `/api/v1/documents/${encodeURIComponent(d.id)}/pdf`;
  const docxUrl = (d) => (d.urls && d.urls.docx) || `/api/v1/documents/${encodeURIComponent(d.id)}/docx`;

  function errorText(err) {
    if (!(err instanceof ApiError)) return t('error');
    const code = err.body && err.body.error;
    if (code && PAGE.t['err_' + code]) return PAGE.t['err_' + code];
    return err.message; // the API's summary in the page's language (field details may be English: not shown)
  }

  // The kinds' titles in the page's language: {code: title}
  function kindTitle(kinds, code, fallback) {
    const k = kinds[code];
    return (k && ((EN && k.title_en) || k.title)) || fallback || code;
  }

  function copyLabel(c) {
    if (['file', 'masked', 'all'].includes(c.copy)) return t('doc_copy_' + c.copy);
    return c.label || c.copy;
  }

  // Copy chooser + PDF / DOCX links of one document version; the links follow the chosen copy.
  function downloads(d, idBase) {
    // the roles that do not work with the parties (leader, admin) print the masked copy only
    const copies = (Array.isArray(d.copies) ? d.copies : []).filter((c) => canMake() || c.copy === 'masked');
    const pdf = el('a', { class: 'button-like', href: pdfUrl(d), download: '', 'data-testid': 'doc-pdf', text: t('doc_download_pdf') });
    const docx = el('a', { class: 'button-like', href: docxUrl(d), download: '', 'data-testid': 'doc-docx', text: t('doc_download_docx') });
    const parts = [];
    if (copies.length) {
      const id = idBase + '-copy';
      const select = el('select', { id, 'data-testid': 'doc-copy' },
        copies.map((c) => el('option', { value: c.copy, text: copyLabel(c) })));
      const sync = () => {
        pdf.href = withCopy(pdfUrl(d), select.value);
        docx.href = withCopy(docxUrl(d), select.value);
      };
      select.addEventListener('change', sync);
      sync();
      parts.push(el('span', { class: 'doc-copy' }, el('label', { for: id, text: t('doc_copy') }), ' ', select));
    }
    return el('div', { class: 'doc-downloads' }, parts, pdf, docx);
  }

  function signedList(d) {
    const list = Array.isArray(d.signed) ? d.signed : [];
    if (!list.length) return el('p', { class: 'muted doc-signed', 'data-testid': 'doc-signed', text: t('doc_no_signed') });
    return el('ul', { class: 'doc-signed', 'data-testid': 'doc-signed' }, list.map((a) => el('li', {},
      el('a', { href: a.url || `/api/v1/attachments/${encodeURIComponent(a.id)}`, download: a.filename || '', text: a.filename || a.id }),
      a.uploaded_by ? el('span', { class: 'muted', text: ` ${a.uploaded_by} ${window.tj.fmtTime(a.uploaded_at)}` }) : null)));
  }

  // 上传签字件: a file input; onDone(attachment) after the upload.
  function signedUpload(d, idBase, status, onDone) {
    if (!canMake()) return null;
    const id = idBase + '-signed';
    const input = el('input', { type: 'file', id, accept: '.pdf,.jpg,.jpeg,.png', 'aria-describedby': id + '-hint',
      'data-testid': 'doc-signed-upload' });
    input.addEventListener('change', async () => {
      const f = input.files && input.files[0];
      if (!f) return;
      const body = new FormData();
      body.append('file', f);
      input.disabled = true;
      try {
        const saved = await api('POST', `/api/v1/documents/${encodeURIComponent(d.id)}/signed`, body);
        say(status, fmt('doc_signed_uploaded', { name: saved.filename || f.name }));
        await onDone(saved);
      } catch (err) {
        say(status, errorText(err), true);
        input.disabled = false;
        input.value = '';
      }
    });
    return el('div', { class: 'doc-upload' }, el('label', { for: id, text: t('doc_upload_signed') }), input,
      el('span', { class: 'hint muted', id: id + '-hint', text: t('doc_upload_signed_hint') }));
  }

  function say(status, message, bad) {
    status.textContent = message;
    status.className = 'doc-status' + (bad ? ' error' : '');
    status.hidden = false;
    if (!bad) toast(message);
  }

  function facts(d) {
    return el('dl', { class: 'fields doc-facts' },
      el('dt', { text: t('doc_number') }), el('dd', { 'data-testid': 'doc-number', text: d.number || t('doc_no_number') }),
      el('dt', { text: t('doc_version') }), el('dd', { 'data-testid': 'doc-version', text: String(d.version) }),
      el('dt', { text: t('doc_issued_on') }), el('dd', { text: d.issued_on || '—' }),
      el('dt', { text: t('doc_made_by') }), el('dd', { text: d.created_by || '—' }),
      el('dt', { text: t('doc_hash') }), el('dd', { class: 'mono', title: d.sha256 || '', text: d.sha256 ? d.sha256.slice(0, 12) : '—' }),
      d.note ? el('dt', { text: t('doc_note') }) : null, d.note ? el('dd', { text: d.note }) : null);
  }

  // The correction form shown before a second 生成: the reason becomes the new version's note.
  function correctionForm(idBase, onConfirm, onCancel) {
    const id = idBase + '-note';
    const input = el('input', { type: 'text', id, maxlength: 500, 'aria-describedby': id + '-hint', 'aria-required': 'true' });
    const error = el('p', { class: 'field-error', id: id + '-error', hidden: true });
    const form = el('form', { class: 'doc-correction', novalidate: true },
      el('div', { class: 'field' }, el('label', { for: id, text: t('doc_note') }), input,
        el('span', { class: 'hint', id: id + '-hint', text: t('doc_note_hint') }), error),
      el('div', { class: 'actions' },
        el('button', { type: 'submit', class: 'primary', text: t('doc_confirm_regenerate') }),
        el('button', { type: 'button', onclick: onCancel, text: t('cancel') })));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const note = input.value.trim();
      if (!note) {
        error.textContent = t('doc_note_required');
        error.hidden = false;
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', id + '-error ' + id + '-hint');
        input.focus();
        return;
      }
      onConfirm(note);
    });
    setTimeout(() => input.focus(), 0);
    return form;
  }

  function previewBox(host, title, html, back) {
    const heading = el('h3', { tabindex: '-1', text: fmt('doc_preview_of', { title }) });
    const frame = el('iframe', { class: 'doc-preview', sandbox: '', title: t('doc_preview_frame'), 'data-testid': 'doc-preview' });
    frame.srcdoc = html;
    const close = el('button', { type: 'button', text: t('doc_preview_close') });
    close.addEventListener('click', () => { host.replaceChildren(); host.hidden = true; if (back) back.focus(); });
    host.replaceChildren(el('div', { class: 'doc-preview-head' }, heading, close), frame);
    host.hidden = false;
    heading.focus();
  }

  // ---------------------------------------------------------------------------------------- task page
  function taskPanel(container, opts) {
    const task = opts.task;
    const caseId = opts.caseId || task.case_id;
    const status = el('p', { class: 'doc-status', role: 'status', 'aria-live': 'polite', hidden: true });
    const preview = el('div', { class: 'doc-preview-host', hidden: true });
    const list = el('div', { class: 'doc-kinds' });
    const section = el('section', { class: 'card documents', 'data-testid': 'task-documents', 'aria-labelledby': 'task-documents-h' },
      el('h2', { id: 'task-documents-h', tabindex: '-1', text: t('doc_panel') }), status, list, preview);

    async function refresh() {
      let info;
      try {
        info = await api('GET', `/api/v1/tasks/${encodeURIComponent(task.id)}/documents`);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) { container.replaceChildren(); return; }
        container.replaceChildren(section);
        say(status, t('doc_load_failed') + SEP + errorText(err), true);
        return;
      }
      const offered = info.offered || [];
      if (!offered.length) { container.replaceChildren(); return; }
      const kinds = Object.fromEntries(offered.map((k) => [k.kind, k]));
      list.replaceChildren(...offered.map((k) => kindBlock(k, kinds, (info.documents || []).filter((d) => d.kind === k.kind))));
      if (!section.isConnected) container.replaceChildren(section);
    }

    function kindBlock(k, kinds, docs) {
      const title = kindTitle(kinds, k.kind, k.title);
      const current = docs.find((d) => d.current) || null;
      const earlier = docs.filter((d) => d !== current).sort((a, b) => b.version - a.version);
      const idBase = 'doc-' + k.kind;
      const correction = el('div', { class: 'doc-correction-host' });
      const buttons = el('div', { class: 'actions' });
      const block = el('article', { class: 'doc-kind', 'data-testid': 'doc-' + k.kind, 'aria-labelledby': idBase + '-h' },
        el('h3', { id: idBase + '-h' }, title, ' ',
          current ? el('span', { class: 'badge ok', text: current.number || fmt('doc_version_n', { n: current.version }) })
            : el('span', { class: 'badge none', text: t('doc_not_made') })),
        buttons, correction);
      if (canMake()) {
        const previewBtn = el('button', { type: 'button', 'aria-label': `${t('doc_preview')} ${title}`, text: t('doc_preview') });
        const makeBtn = el('button', { type: 'button', class: 'primary', 'aria-label': `${t(current ? 'doc_regenerate' : 'doc_generate')} ${title}`,
          text: t(current ? 'doc_regenerate' : 'doc_generate') });
        previewBtn.addEventListener('click', () => doPreview(k.kind, title, previewBtn));
        makeBtn.addEventListener('click', () => {
          if (!current) { generate(k.kind, title, null, makeBtn); return; }
          correction.replaceChildren(correctionForm(idBase,
            (note) => generate(k.kind, title, note, makeBtn),
            () => { correction.replaceChildren(); makeBtn.focus(); }));
        });
        buttons.append(previewBtn, makeBtn);
      }
      if (current) {
        block.append(facts(current), downloads(current, idBase), signedList(current),
          signedUpload(current, idBase, status, async (saved) => {
            let linked = false;
            if (current.kind === 'agreement' && opts.form && opts.form.addAttachment) linked = opts.form.addAttachment(SIGNED_FIELD, saved);
            await refresh();
            if (linked) {
              const f = opts.form.field(SIGNED_FIELD);
              say(status, fmt('doc_signed_uploaded', { name: saved.filename }) + ' ' +
                fmt('doc_signed_linked', { field: f ? f.label : SIGNED_FIELD }));
            }
            const again = document.getElementById(idBase + '-signed');
            if (again) again.focus();
          }));
      }
      if (earlier.length) {
        block.append(el('details', { class: 'doc-earlier' }, el('summary', { text: t('doc_earlier') + (EN ? ` (${earlier.length})` : `（${earlier.length}）`) }),
          el('ul', {}, earlier.map((d) => el('li', { 'data-testid': 'doc-earlier-version' },
            `${fmt('doc_version_n', { n: d.version })} · ${d.issued_on || ''}${d.note ? ' · ' + d.note : ''} `,
            downloads(d, `${idBase}-v${d.version}`))))));
      }
      return block;
    }

    async function doPreview(kind, title, button) {
      button.disabled = true;
      try {
        const response = await api('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/documents/preview`,
          { kind, task_id: task.id, data: opts.form ? opts.form.values() : undefined }, { raw: true });
        previewBox(preview, title, await response.text(), button);
      } catch (err) {
        say(status, errorText(err), true);
      } finally {
        button.disabled = false;
      }
    }

    async function generate(kind, title, note, button) {
      button.disabled = true;
      try {
        const body = { kind, task_id: task.id, data: opts.form ? opts.form.values() : undefined };
        if (note) body.note = note;
        const d = await api('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/documents`, body);
        await refresh();
        say(status, fmt('doc_generated', { title, number: d.number || '', version: d.version }));
        const heading = document.getElementById('doc-' + kind + '-h');
        if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus(); }
      } catch (err) {
        say(status, errorText(err), true);
        button.disabled = false;
      }
    }

    container.replaceChildren();
    return refresh();
  }

  // ---------------------------------------------------------------------------------------- case page
  function caseSection(container, c) {
    const caseId = c.id || (PAGE.params && PAGE.params.case_id);
    const status = el('p', { class: 'doc-status', role: 'status', 'aria-live': 'polite', hidden: true });
    const body = el('div');
    const maker = el('div', { class: 'doc-case-make' });
    const section = el('section', { class: 'card documents', 'data-testid': 'case-documents', 'aria-labelledby': 'case-documents-h' },
      el('h2', { id: 'case-documents-h', text: t('doc_panel') }), status, body, maker);
    container.replaceChildren(section);

    async function refresh() {
      let docs, kinds;
      try {
        [docs, kinds] = await Promise.all([
          api('GET', `/api/v1/cases/${encodeURIComponent(caseId)}/documents`),
          api('GET', '/api/v1/document-kinds').catch(() => []),
        ]);
      } catch (err) {
        body.replaceChildren();
        say(status, t('doc_load_failed') + SEP + errorText(err), true);
        return;
      }
      const byKind = Object.fromEntries((kinds || []).map((k) => [k.kind || k.code, k]));
      body.replaceChildren(docs.length ? docTable(docs, byKind) : el('p', { class: 'muted', text: t('doc_case_none') }));
      makeForm(byKind, docs);
    }

    function docTable(docs, kinds) {
      const order = Object.keys(kinds);
      const rank = (d) => { const i = order.indexOf(d.kind); return i < 0 ? 999 : i; };
      const sorted = docs.slice().sort((a, b) => rank(a) - rank(b) || String(a.number || '').localeCompare(String(b.number || '')) || b.version - a.version);
      const rows = sorted.map((d) => el('tr', { dataset: { document: d.id, kind: d.kind }, 'data-testid': 'case-document', class: d.current ? 'current' : 'superseded' },
        el('td', { text: kindTitle(kinds, d.kind, d.title) }),
        el('td', { 'data-testid': 'doc-number', text: d.number || t('doc_no_number') }),
        el('td', { text: String(d.version) }),
        el('td', { text: d.issued_on || '—' }),
        el('td', { text: d.created_by || '—' }),
        el('td', { class: 'mono', title: d.sha256 || '', text: d.sha256 ? d.sha256.slice(0, 12) : '—' }),
        el('td', {}, el('span', { class: 'badge ' + (d.current ? 'ok' : 'none'), text: t(d.current ? 'doc_current' : 'doc_superseded') }),
          d.note ? el('div', { class: 'muted', text: d.note }) : null),
        el('td', {}, downloads(d, 'case-doc-' + d.id)),
        el('td', {}, signedList(d), d.current ? signedUpload(d, 'case-doc-' + d.id, status, refresh) : null)));
      return el('div', { class: 'table-scroll' }, el('table', { class: 'doc-table' },
        el('thead', {}, el('tr', {}, ['doc_kind', 'doc_number', 'doc_version', 'doc_issued_on', 'doc_made_by', 'doc_hash',
          'doc_state', 'doc_downloads', 'doc_signed'].map((k) => el('th', { scope: 'col', text: t(k) })))),
        el('tbody', {}, rows)));
    }

    // Case-level kinds: those no task offers, and the 结案报告 once the case is closed.
    function makeForm(kinds, docs) {
      maker.replaceChildren();
      if (!canMake()) return;
      const closed = c.status === 'completed';
      const list = Object.entries(kinds).filter(([code, k]) => !(k.tasks || []).length || (code === 'closing_report' && closed));
      if (!list.length) return;
      const select = el('select', { id: 'case-doc-kind' }, list.map(([code]) => el('option', { value: code, text: kindTitle(kinds, code) })));
      const button = el('button', { type: 'button', class: 'primary', text: t('doc_generate') });
      const correction = el('div');
      button.addEventListener('click', () => {
        const code = select.value;
        const existing = docs.find((d) => d.kind === code && d.current);
        if (!existing) { make(code, null, button); return; }
        correction.replaceChildren(correctionForm('case-doc-' + code,
          (note) => make(code, note, button), () => { correction.replaceChildren(); button.focus(); }));
      });
      maker.append(el('h3', { text: t('doc_case_make') }),
        el('div', { class: 'actions' }, el('label', { for: 'case-doc-kind', text: t('doc_kind') }), select, button), correction);
      async function make(code, note, btn) {
        btn.disabled = true;
        try {
          const d = await api('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/documents`, note ? { kind: code, note } : { kind: code });
          await refresh();
          say(status, fmt('doc_generated', { title: kindTitle(kinds, code, d.title), number: d.number || '', version: d.version }));
        } catch (err) {
          say(status, errorText(err), true);
          btn.disabled = false;
        }
      }
    }

    return refresh();
  }

  // ---------------------------------------------------------------------------------------- timeline
  function eventDetail(e) {
    const d = e.data || {};
    const parts = [];
    if (e.kind === 'document_issued') {
      parts.push([d.title, d.number].filter(Boolean).join(' '));
      if (d.version > 1) parts.push(fmt('doc_version_n', { n: d.version }));
      if (d.issued_on) parts.push(fmt('doc_event_issued_on', { date: d.issued_on }));
    }
    if (e.kind === 'document_signed' && d.number) parts.push(d.number);
    if (e.kind === 'case_filed') {
      if (d.file_number) parts.push(d.file_number);
      if (d.retention) parts.push(fmt('doc_event_retention', { value: PAGE.t['v_retention_' + d.retention] || d.retention }));
    }
    return parts.filter(Boolean);
  }

  window.tjDocs = { taskPanel, caseSection, eventDetail, errorText };
})();
