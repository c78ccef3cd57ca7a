// 文书模板 (supervisors, admins): per kind the version in use and the stored versions; upload a new version
// (a refused one lists the unknown field names), preview with the sample case (sandboxed iframe), download the
// text, retire / activate a version.
(function () {
  'use strict';
  const { api, el, t, toast, fmtTime, showError } = window.tj;
  const root = document.getElementById('templates-page');
  const API = '/api/v1/document-templates';
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => String(values[k]));
  const versionLabel = (n) => (n === 0 ? t('templates_packaged') : fill(t('templates_version'), { n }));
  const preview = el('section', { class: 'tpl-preview', hidden: true },
    el('h3', { text: t('templates_preview_title') }));
  const frame = el('iframe', { sandbox: '', title: t('templates_preview_title'), 'data-testid': 'template-preview',
    style: 'width:100%;height:70vh;border:1px solid #ccc;background:#fff' });
  preview.append(frame);

  function fieldErrors(out, e) {
    showError(out, e);
    const fields = e.body && e.body.fields ? Object.entries(e.body.fields) : [];
    if (fields.length) {
      out.append(el('p', { text: t('templates_refused') }),
        el('ul', { 'data-testid': 'template-errors' },
          fields.map(([k, v]) => el('li', {}, el('code', { text: k }), ' ', v))));
    }
  }

  async function showPreview(kind, body, out) {
    try {
      const r = await api('POST', `${API}/${encodeURIComponent(kind)}/preview`, body, { raw: true });
      frame.srcdoc = await r.text();
      preview.hidden = false;
      preview.scrollIntoView({ block: 'nearest' });
    } catch (e) { fieldErrors(out, e); }
  }

  function versionBody(version, office) {
    const body = new FormData();
    body.append('version', String(version));
    if (office) body.append('office', office);
    return body;
  }

  async function download(kind, version, office) {
    const q = office ? `?office=${encodeURIComponent(office)}` : '';
    const r = await api('GET', `${API}/${encodeURIComponent(kind)}/versions/${version}${q}`);
    const url = URL.createObjectURL(new Blob([r.text], { type: 'text/html;charset=utf-8' }));
    const a = el('a', { href: url, download: version === 0 ? `${kind}.html` : `${kind}-v${version}.html` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function versionItem(row, v, reload, out) {
    const action = v.active ? 'retire' : 'activate';
    return el('li', { dataset: { version: v.version, office: v.office }, class: v.active ? '' : 'muted' },
      `${versionLabel(v.version)}（${v.office || t('templates_all_offices')}）`,
      v.active ? '' : ` · ${t('templates_retired')}`,
      ` · ${t('templates_by')} ${v.uploaded_by} · ${fmtTime(v.uploaded_at)}`, v.note ? ` · ${v.note}` : '', ' ',
      el('button', { type: 'button', class: 'link-like', text: t('templates_preview'),
        onclick: () => showPreview(row.kind, versionBody(v.version, v.office), out) }), ' ',
      el('button', { type: 'button', class: 'link-like', text: t('templates_download'),
        onclick: () => download(row.kind, v.version, v.office).catch((e) => showError(out, e)) }), ' ',
      el('button', { type: 'button', class: 'link-like', text: t('templates_' + action), 'data-testid': 'template-' + action,
        onclick: async () => {
          try {
            const q = v.office ? `?office=${encodeURIComponent(v.office)}` : '';
            await api('POST', `${API}/${encodeURIComponent(row.kind)}/versions/${v.version}/${action}${q}`);
            reload();
          } catch (e) { showError(out, e); }
        } }));
  }

  function table(rows, reload, out) {
    return el('table', { class: 'tpl-kinds', 'data-testid': 'templates' },
      el('thead', {}, el('tr', {}, ['templates_kind', 'templates_in_use', 'templates_versions'].map((k) => el('th', { text: t(k) })))),
      el('tbody', {}, rows.map((row) => el('tr', { dataset: { kind: row.kind } },
        el('td', {}, el('strong', { text: row.title }), el('br'), el('code', { text: row.kind })),
        el('td', { 'data-testid': 'template-active' },
          versionLabel(row.active_version), ' ',
          el('button', { type: 'button', class: 'link-like', text: t('templates_preview'),
            onclick: () => showPreview(row.kind, versionBody(row.active_version, row.active_office), out) }), ' ',
          el('button', { type: 'button', class: 'link-like', text: t('templates_download'),
            onclick: () => download(row.kind, row.active_version, row.active_office).catch((e) => showError(out, e)) })),
        el('td', {}, row.versions.length ? el('ul', { class: 'tpl-versions' }, row.versions.map((v) => versionItem(row, v, reload, out))) : '')))));
  }

  function uploadForm(rows, reload) {
    const kind = el('select', { id: 'tpl-kind', name: 'kind' },
      rows.map((r) => el('option', { value: r.kind, text: r.title })));
    const file = el('input', { id: 'tpl-file', name: 'file', type: 'file', accept: '.html,.htm,text/html', required: true });
    const note = el('input', { id: 'tpl-note', name: 'note', maxlength: 500 });
    const office = el('input', { id: 'tpl-office', name: 'office', maxlength: 40 });
    const out = el('div', { role: 'status', 'data-testid': 'template-result' });
    const body = () => {
      const b = new FormData();
      b.append('file', file.files[0]);
      if (note.value.trim()) b.append('note', note.value.trim());
      if (office.value.trim()) b.append('office', office.value.trim());
      return b;
    };
    const tryButton = el('button', { type: 'button', text: t('templates_preview'), 'data-testid': 'template-try',
      onclick: () => { out.replaceChildren(); if (file.files.length) showPreview(kind.value, body(), out); } });
    const form = el('form', { class: 'tpl-upload', 'data-testid': 'template-upload' },
      el('h3', { text: t('templates_upload') }),
      el('label', { for: 'tpl-kind', text: t('templates_kind') }), kind,
      el('label', { for: 'tpl-file', text: t('templates_file') }), file,
      el('label', { for: 'tpl-office', text: t('templates_office') }), office,
      el('label', { for: 'tpl-note', text: t('templates_note') }), note,
      el('div', {}, el('button', { type: 'submit', text: t('templates_upload_button') }), ' ', tryButton), out);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!file.files.length) return;
      out.replaceChildren();
      try {
        const v = await api('POST', `${API}/${encodeURIComponent(kind.value)}`, body());
        toast(fill(t('templates_uploaded'), { kind: kind.value, n: v.version }));
        reload(kind.value);
      } catch (e) { fieldErrors(out, e); }
    });
    return { form, out, kind };
  }

  async function load(selected) {
    try {
      const rows = await api('GET', API);
      const upload = uploadForm(rows, load);
      if (selected) upload.kind.value = selected;
      root.replaceChildren(el('h2', { text: t('templates_title') }), el('p', { class: 'muted', text: t('templates_intro') }),
        upload.form, table(rows, load, upload.out), preview);
    } catch (e) { showError(root, e); }
  }

  load();
}());
