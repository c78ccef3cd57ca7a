// Process list (supervisors): latest version of each process, its versions (open in the editor,
// export .bpmn, diff with the previous version), new process and .bpmn import.
(function () {
  'use strict';
  const { api, el, t, fmtTime, showError } = window.tj;
  const API = '/api/v1/processes';
  const IMPORT_KEY = 'tiaojie.import';  // sessionStorage: {name, xml} handed to the editor

  function editorLink(key, version, text) {
    const query = version ? '?version=' + encodeURIComponent(version) : '';
    return el('a', { href: '/processes/' + encodeURIComponent(key) + '/editor' + query, text });
  }

  function xmlPath(key, version) {
    return API + '/' + encodeURIComponent(key) + '/versions/' + version + '/xml';
  }

  // The element diff of two versions as three short lists (shared with the editor page).
  function diffView(diff) {
    const box = el('div', { class: 'pr-diff', 'data-testid': 'diff' });
    const groups = [['added', t('pr_added')], ['removed', t('pr_removed')], ['changed', t('pr_changed')]];
    let any = false;
    for (const [kind, label] of groups) {
      const items = diff[kind] || [];
      if (!items.length) continue;
      any = true;
      box.append(el('h3', { text: label + ' (' + items.length + ')' }),
        el('ul', { class: 'pr-diff-' + kind, 'data-testid': 'diff-' + kind },
          items.map((e) => el('li', { dataset: { element: e.id } },
            el('code', { text: e.id }), ' ', e.name || '', ' ',
            el('code', { class: 'muted', text: e.type }),
            e.changes ? window.tjDiffValues.element(e.changes) : null))));  // old and new values: diff-values.js
    }
    const forms = diff.forms || {};
    const formNames = [...(forms.added || []), ...(forms.removed || []), ...(forms.changed || [])];
    if (formNames.length) {
      any = true;
      box.append(el('h3', { text: t('pr_forms_changed') }), el('p', { text: formNames.join('、') }),
        window.tjDiffValues.forms(forms.values));
    }
    if (!any) box.append(el('p', { class: 'muted', text: t('pr_no_diff') }));
    return box;
  }

  async function showDiff(target, key, from, to) {
    target.replaceChildren(el('p', { text: t('loading') }));
    try {
      const diff = await api('GET', `${API}/${encodeURIComponent(key)}/versions/${from}/diff/${to}`);
      target.replaceChildren(el('h3', { text: `${t('pr_diff_title')}: v${from} → v${to}` }), diffView(diff));
    } catch (err) { showError(target, err); }
  }

  function versionsTable(key, versions) {
    const diffBox = el('div', { class: 'pr-diff-box', 'aria-live': 'polite' });
    const rows = versions.slice().reverse().map((v) => el('tr', { 'data-testid': `version-${key}-${v.version}` },
      el('td', { text: 'v' + v.version }),
      el('td', { text: fmtTime(v.created_at) }),
      el('td', { text: v.created_by || '—' }),
      el('td', { class: 'actions-cell' },
        editorLink(key, v.version, t('pr_open_editor')), ' ',
        el('a', { href: xmlPath(key, v.version), download: `${key}-v${v.version}.bpmn`, text: t('pr_export') }), ' ',
        v.version > 1 ? el('button', { type: 'button', class: 'small', text: t('pr_diff_prev'),
          onclick: () => showDiff(diffBox, key, v.version - 1, v.version) }) : null)));
    return el('div', { class: 'pr-versions' },
      el('table', {},
        el('thead', {}, el('tr', {}, el('th', { text: t('pr_version') }), el('th', { text: t('pr_deployed_at') }),
          el('th', { text: t('pr_deployed_by') }), el('th', { text: t('pr_actions') }))),
        el('tbody', {}, rows)),
      diffBox);
  }

  function processRow(p) {
    const detailRow = el('tr', { class: 'pr-detail', hidden: true }, el('td', { colspan: 7 }));
    const toggle = el('button', { type: 'button', class: 'small', 'aria-expanded': 'false',
      'aria-controls': 'versions-' + p.key, text: t('pr_show_versions') + ' (' + p.versions + ')' });
    detailRow.firstChild.id = 'versions-' + p.key;
    toggle.addEventListener('click', async () => {
      const open = toggle.getAttribute('aria-expanded') === 'true';
      toggle.setAttribute('aria-expanded', String(!open));
      detailRow.hidden = open;
      if (open) return;
      const cell = detailRow.firstChild;
      cell.replaceChildren(el('p', { text: t('loading') }));
      try {
        const versions = await api('GET', `${API}/${encodeURIComponent(p.key)}/versions`);
        cell.replaceChildren(versionsTable(p.key, versions));
      } catch (err) { showError(cell, err); }
    });
    const row = el('tr', { 'data-testid': 'process-' + p.key },
      el('td', {}, el('strong', { text: p.name })),
      el('td', {}, el('code', { text: p.key })),
      el('td', { text: 'v' + p.version }),
      el('td', { text: fmtTime(p.created_at) }),
      el('td', { text: p.created_by || '—' }),
      el('td', { text: String(p.versions) }),
      el('td', { class: 'actions-cell' }, editorLink(p.key, null, t('pr_edit_latest')), ' ', toggle));
    return [row, detailRow];
  }

  function importControl() {
    const input = el('input', { type: 'file', id: 'import-file', accept: '.bpmn,.xml,application/xml,text/xml',
      class: 'visually-hidden' });
    const button = el('button', { type: 'button', text: t('pr_import'), 'aria-describedby': 'import-file-label' });
    button.addEventListener('click', () => input.click());
    input.addEventListener('change', async () => {
      const file = input.files && input.files[0];
      if (!file) return;
      const xml = await file.text();
      sessionStorage.setItem(IMPORT_KEY, JSON.stringify({ name: file.name, xml }));
      location.assign('/processes/new/editor?import=1');
    });
    return [el('label', { for: 'import-file', id: 'import-file-label', class: 'visually-hidden',
      text: t('pr_import_file') }), input, button];
  }

  async function main() {
    const root = document.getElementById('processes-page');
    if (!root) return;  // the editor page loads this file for diffView only
    const head = el('div', { class: 'pr-head' },
      el('h1', { text: t('pr_title') }),
      el('div', { class: 'actions' },
        el('a', { class: 'button primary', href: '/processes/new/editor', text: t('pr_new') }), importControl()));
    let processes;
    try {
      processes = await api('GET', API);
    } catch (err) {
      root.replaceChildren(head);
      showError(root.appendChild(el('div')), err);
      return;
    }
    const table = el('table', { 'data-testid': 'process-table' },
      el('thead', {}, el('tr', {}, ['pr_process', 'pr_key', 'pr_latest', 'pr_deployed_at', 'pr_deployed_by',
        'pr_versions', 'pr_actions'].map((k) => el('th', { scope: 'col', text: t(k) })))),
      el('tbody', {}, processes.flatMap(processRow)));
    root.replaceChildren(head, processes.length ? table : el('p', { class: 'muted', text: t('pr_none') }));
  }

  window.tjProcesses = { diffView, IMPORT_KEY };
  document.addEventListener('DOMContentLoaded', main);
})();
