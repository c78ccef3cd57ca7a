// 台账 (supervisors, admins; leaders see the export only): upload a ledger file and check it (dry run) — the bad
// rows (row, column, reason) and each unknown wording once with its row count and nearest terms, which can be
// added as a synonym right there — then import; export any period; edit the code tables (a version per save,
// with the history).
(function () {
  'use strict';
  const { PAGE, api, el, t, toast, fmtTime, showError } = window.tj;
  const root = document.getElementById('ledger-body');
  const API = '/api/v1/ledger';
  const KINDS = ['dispute_type', 'channel', 'source', 'outcome'];
  const EDITOR = PAGE.user && ['supervisor', 'admin'].includes(PAGE.user.role);
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => String(values[k]));
  const versionLabel = (n) => (n === 0 ? t('ledger_packaged') : fill(t('ledger_version_n'), { n }));
  const splitWords = (text) => text.split(/[、,，;；\n]+/).map((w) => w.trim()).filter(Boolean);
  let tables = null; // kind -> entries in use

  async function loadTables() {
    const out = await api('GET', `${API}/codes`);
    tables = Object.fromEntries(out.tables.map((x) => [x.kind, x.entries]));
    return tables;
  }

  // ------------------------------------------------------------------ import: check, report, import
  function importSection() {
    const file = el('input', { id: 'ledger-file', name: 'file', type: 'file', accept: '.xlsx,.xlsm,.csv', required: true });
    const check = el('button', { type: 'submit', text: t('ledger_check'), 'data-testid': 'ledger-check' });
    const doImport = el('button', { type: 'button', text: t('ledger_import'), disabled: true, 'data-testid': 'ledger-import' });
    const out = el('div', { 'data-testid': 'ledger-report', 'aria-live': 'polite' });
    const body = () => { const b = new FormData(); b.append('file', file.files[0]); return b; };

    async function run(dryRun) {
      if (!file.files.length) return;
      doImport.disabled = true;
      out.replaceChildren(el('p', { class: 'muted', text: t('loading') }));
      try {
        const r = await api('POST', `${API}/import${dryRun ? '?dry_run=true' : ''}`, body());
        const summary = el('p', { class: 'ledger-ok', role: 'status', 'data-testid': 'ledger-summary',
          text: fill(t(dryRun ? 'ledger_checked_ok' : 'ledger_imported'), r) });
        out.replaceChildren(summary, warnings(r.warnings), terms(r.unknown_terms));
        doImport.disabled = !dryRun || r.imported === 0;
        if (!dryRun) toast(summary.textContent);
      } catch (e) {
        if (e.body && e.body.error === 'ledger_rejected') {
          out.replaceChildren(el('p', { class: 'error', role: 'alert', 'data-testid': 'ledger-refused',
            text: fill(t('ledger_refused'), { n: e.body.problems.length }) }),
          terms(e.body.unknown_terms || []), problems(e.body.problems), warnings(e.body.warnings || []));
        } else showError(out, e);
      }
    }

    function problems(list) {
      if (!list.length) return '';
      return el('div', {}, el('h3', { text: t('ledger_problems_h') }),
        el('table', { class: 'ledger-table', 'data-testid': 'ledger-problems' },
          el('thead', {}, el('tr', {}, ['ledger_row', 'ledger_column', 'ledger_reason'].map((k) => el('th', { text: t(k) })))),
          el('tbody', {}, list.map((p) => el('tr', { 'data-testid': 'ledger-problem' },
            el('td', { text: p.row ? String(p.row) : t('ledger_header_row') }), el('td', { text: p.column }),
            el('td', { text: p.reason }))))));
    }

    function warnings(list) {
      if (!list || !list.length) return '';
      return el('div', { 'data-testid': 'ledger-warnings' }, el('h3', { text: t('ledger_warnings_h') }),
        el('ul', {}, list.map((w) => el('li', {}, `${w.row ? w.row : t('ledger_header_row')} · ${w.column}：${w.reason}`))));
    }

    function synonymAction(u) {
      if (!u.kind) return el('span', { class: 'muted', text: t('ledger_fixed_list') });
      if (!EDITOR) return '';
      const known = (tables && tables[u.kind] ? tables[u.kind] : []).filter((e) => !e.retired).map((e) => e.term);
      const order = [...u.nearest, ...known.filter((k) => !u.nearest.includes(k))];
      const pick = el('select', { 'aria-label': `${t('ledger_synonym_of')}（${u.term}）`, 'data-testid': 'ledger-synonym-target' },
        order.map((term) => el('option', { value: term, text: term })));
      const button = el('button', { type: 'button', class: 'secondary', text: t('ledger_as_synonym'), 'data-testid': 'ledger-add-synonym',
        onclick: async () => {
          button.disabled = true;
          try {
            await api('POST', `${API}/codes/${u.kind}/synonyms`, { term: pick.value, synonym: u.term });
            toast(fill(t('ledger_synonym_added'), { w: u.term, term: pick.value }));
            await loadTables();
            codes.reload();
            run(true);
          } catch (e) { button.disabled = false; toast(e.message, 'error'); }
        } });
      return el('span', { class: 'ledger-synonym' }, pick, ' ', button);
    }

    function terms(list) {
      if (!list.length) return '';
      return el('div', {}, el('h3', { text: t('ledger_terms_h') }), el('p', { class: 'muted', text: t('ledger_terms_intro') }),
        el('table', { class: 'ledger-table', 'data-testid': 'ledger-terms' },
          el('thead', {}, el('tr', {}, ['ledger_column', 'ledger_term', 'ledger_count', 'ledger_rows_at', 'ledger_nearest', '']
            .map((k) => el('th', { text: k ? t(k) : '' })))),
          el('tbody', {}, list.map((u) => el('tr', { 'data-testid': 'ledger-unknown-term', dataset: { term: u.term } },
            el('td', {}, u.column, el('br'), el('small', { class: 'muted', text: t(u.blocking ? 'ledger_blocking' : 'ledger_not_blocking') })),
            el('td', {}, el('strong', { text: u.term })),
            el('td', { text: String(u.count) }),
            el('td', { text: u.rows.join('、') + (u.count > u.rows.length ? '…' : '') }),
            el('td', { 'data-testid': 'ledger-nearest', text: u.nearest.length ? u.nearest.join('、') : t('ledger_none_near') }),
            el('td', {}, synonymAction(u)))))));
    }

    file.addEventListener('change', () => { doImport.disabled = true; out.replaceChildren(); });
    doImport.addEventListener('click', () => run(false));
    const form = el('form', { class: 'card', 'data-testid': 'ledger-upload' },
      el('h2', { text: t('ledger_import_h') }), el('p', { class: 'muted', text: t('ledger_intro') }),
      el('label', { for: 'ledger-file', text: t('ledger_file') }), file,
      el('div', { class: 'ledger-buttons' }, check, ' ', doImport), out);
    form.addEventListener('submit', (ev) => { ev.preventDefault(); run(true); });
    return form;
  }

  // ------------------------------------------------------------------ export of any period
  function exportSection() {
    const year = new Date().getFullYear();
    const way = el('select', { id: 'ledger-way', 'aria-label': t('ledger_export_h') },
      ['year', 'quarter', 'range'].map((w) => el('option', { value: w, text: t('ledger_by_' + w) })));
    const yearInput = el('input', { id: 'ledger-year', type: 'number', min: 1949, max: 2999, value: year, required: true });
    const quarter = el('select', { id: 'ledger-quarter' },
      [1, 2, 3, 4].map((n) => el('option', { value: n, text: fill(t('ledger_quarter_n'), { n }) })));
    const from = el('input', { id: 'ledger-from', type: 'date' });
    const to = el('input', { id: 'ledger-to', type: 'date' });
    const format = el('select', { id: 'ledger-format' }, ['xlsx', 'csv'].map((f) => el('option', { value: f, text: f.toUpperCase() })));
    const out = el('div', { role: 'status' });
    const yearBox = el('span', {}, el('label', { for: 'ledger-year', text: t('ledger_year') }), yearInput);
    const quarterBox = el('span', { hidden: true }, el('label', { for: 'ledger-quarter', text: t('ledger_quarter') }), quarter);
    const rangeBox = el('span', { hidden: true }, el('label', { for: 'ledger-from', text: t('ledger_from') }), from,
      el('label', { for: 'ledger-to', text: t('ledger_to') }), to);
    way.addEventListener('change', () => {
      yearBox.hidden = way.value === 'range';
      quarterBox.hidden = way.value !== 'quarter';
      rangeBox.hidden = way.value !== 'range';
    });
    const form = el('form', { class: 'card ledger-export', 'data-testid': 'ledger-export' },
      el('h2', { text: t('ledger_export_h') }), el('p', { class: 'muted', text: t('ledger_export_intro') }),
      el('div', { class: 'ledger-fields' }, el('label', { for: 'ledger-way', text: t('ledger_export_h') }), way,
        yearBox, quarterBox, rangeBox, el('label', { for: 'ledger-format', text: t('ledger_format') }), format),
      el('button', { type: 'submit', text: t('ledger_download'), 'data-testid': 'ledger-download' }), out);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const q = new URLSearchParams({ format: format.value });
      if (way.value === 'year') q.set('year', yearInput.value);
      else if (way.value === 'quarter') q.set('period', `${yearInput.value}Q${quarter.value}`);
      else { q.set('from', from.value); q.set('to', to.value); }
      out.replaceChildren();
      try {
        const r = await api('GET', `${API}/export?${q}`, null, { raw: true });
        const header = r.headers.get('Content-Disposition') || '';
        const named = /filename\*=UTF-8''([^;]+)/.exec(header);
        const name = named ? decodeURIComponent(named[1]) : `ledger.${format.value}`;
        const url = URL.createObjectURL(await r.blob());
        const a = el('a', { href: url, download: name });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
        out.replaceChildren(el('p', { class: 'ledger-ok', text: fill(t('ledger_downloaded'), { name }) }));
      } catch (e) {
        const fields = e.body && e.body.fields ? Object.values(e.body.fields) : [];
        out.replaceChildren(el('p', { class: 'error', role: 'alert', text: [e.message, ...fields].join('：') }));
      }
    });
    return form;
  }

  // ------------------------------------------------------------------ code tables
  const codes = { reload: () => {} };

  function codesSection() {
    const tabs = el('div', { role: 'tablist', class: 'ledger-tabs' });
    const panel = el('div', { 'data-testid': 'ledger-codes' });
    let current = 'dispute_type';

    function changed(e) {
      return e.version === 0 ? '' : `${e.changed_by} · ${fmtTime(e.changed_at)}`;
    }

    async function history(e, cell) {
      try {
        const out = await api('GET', `${API}/codes/${e.kind}/history?term=${encodeURIComponent(e.term)}`);
        cell.replaceChildren(el('ol', { class: 'ledger-history', 'data-testid': 'ledger-history' }, out.versions.map((v) =>
          el('li', {}, el('strong', { text: versionLabel(v.version) }), v.retired ? ` · ${t('ledger_retired')}` : '',
            v.version ? ` · ${v.changed_by} · ${fmtTime(v.changed_at)}` : '', v.note ? ` · ${v.note}` : '',
            el('br'), v.synonyms.join('、')))));
      } catch (err) { showError(cell, err); }
    }

    function editor(e, row) {
      const words = el('textarea', { rows: 3, 'aria-label': `${t('ledger_synonyms')}（${e.term}）`, 'data-testid': 'ledger-synonyms-input' });
      words.value = e.synonyms.join('、');
      const retired = el('input', { type: 'checkbox', id: `retire-${e.kind}-${e.term}` });
      retired.checked = e.retired;
      const note = el('input', { maxlength: 500, 'aria-label': t('ledger_note'), placeholder: t('ledger_note') });
      const out = el('div');
      const form = el('form', { class: 'ledger-edit' }, words, el('small', { class: 'muted', text: t('ledger_synonyms_hint') }),
        el('div', {}, retired, el('label', { for: retired.id, text: t('ledger_retire') }), ' ', note, ' ',
          el('button', { type: 'submit', text: t('save'), 'data-testid': 'ledger-save' })), out);
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        try {
          const saved = await api('POST', `${API}/codes/${e.kind}`, { term: e.term, synonyms: splitWords(words.value),
            retired: retired.checked, version: e.version, note: note.value.trim() || null });
          toast(fill(t('ledger_saved'), { term: saved.term, version: versionLabel(saved.version) }));
          await loadTables();
          render();
        } catch (err) { showFields(out, err); }
      });
      row.after(el('tr', { class: 'ledger-edit-row' }, el('td', { colspan: 5 }, form)));
    }

    function showFields(out, err) {
      const fields = err.body && err.body.fields ? Object.values(err.body.fields) : [];
      out.replaceChildren(el('p', { class: 'error', role: 'alert', text: [err.message, ...fields].join('：') }));
    }

    function entryRow(e) {
      const extra = el('td');
      const row = el('tr', { class: e.retired ? 'muted' : '', 'data-testid': 'ledger-entry', dataset: { term: e.term } },
        el('td', {}, el('strong', { text: e.term }), e.retired ? ` · ${t('ledger_retired')}` : ''),
        el('td', { 'data-testid': 'ledger-entry-synonyms', text: e.synonyms.join('、') }),
        el('td', { text: versionLabel(e.version) }), el('td', { text: changed(e) }), extra);
      if (EDITOR) {
        extra.append(el('button', { type: 'button', class: 'link-like', text: t('ledger_edit'), 'data-testid': 'ledger-edit',
          onclick: () => { if (!row.nextSibling || !row.nextSibling.classList.contains('ledger-edit-row')) editor(e, row); } }), ' ');
      }
      extra.append(el('button', { type: 'button', class: 'link-like', text: t('ledger_history'),
        onclick: () => { const cell = el('td', { colspan: 5 }); row.after(el('tr', {}, cell)); history(e, cell); } }));
      return row;
    }

    function newEntry() {
      const term = el('input', { id: 'ledger-new-term', maxlength: 50, required: true });
      const words = el('input', { id: 'ledger-new-synonyms', maxlength: 2000 });
      const out = el('div');
      const form = el('form', { class: 'ledger-new' }, el('h3', { text: t('ledger_new_entry') }),
        el('label', { for: 'ledger-new-term', text: t('ledger_entry') }), term,
        el('label', { for: 'ledger-new-synonyms', text: `${t('ledger_synonyms')}（${t('ledger_synonyms_hint')}）` }), words,
        el('button', { type: 'submit', text: t('ledger_add') }), out);
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        try {
          const saved = await api('POST', `${API}/codes/${current}`, { term: term.value.trim(), synonyms: splitWords(words.value) });
          toast(fill(t('ledger_saved'), { term: saved.term, version: versionLabel(saved.version) }));
          await loadTables();
          render();
        } catch (err) { showFields(out, err); }
      });
      return form;
    }

    function render() {
      tabs.replaceChildren(...KINDS.map((k) => el('button', { type: 'button', role: 'tab', 'aria-selected': String(k === current),
        class: k === current ? 'active' : '', text: t('ledger_kind_' + k), 'data-testid': 'ledger-kind-' + k,
        onclick: () => { current = k; render(); } })));
      panel.replaceChildren(el('table', { class: 'ledger-table', role: 'tabpanel' },
        el('thead', {}, el('tr', {}, ['ledger_entry', 'ledger_synonyms', 'ledger_version', 'ledger_changed', '']
          .map((k) => el('th', { text: k ? t(k) : '' })))),
        el('tbody', {}, (tables[current] || []).map(entryRow))), EDITOR ? newEntry() : el('p', { class: 'muted', text: t('ledger_read_only') }));
    }
    codes.reload = render;
    render();
    return el('section', { class: 'card', 'aria-labelledby': 'ledger-codes-h' },
      el('h2', { id: 'ledger-codes-h', text: t('ledger_codes_h') }), el('p', { class: 'muted', text: t('ledger_codes_intro') }),
      tabs, panel);
  }

  async function load() {
    try {
      await loadTables();
      root.replaceChildren(EDITOR ? importSection() : '', exportSection(), codesSection());
    } catch (e) { showError(root, e); }
  }

  load();
}());
