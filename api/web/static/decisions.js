// 决策表 (supervisors, admins). /decisions: the decision tables the deployed processes use. /decisions/{id}/edit:
// the dmn-js decision table editor (Chinese labels), 校验 against the engine, 试算 on a sample input (the edited
// table, unpublished changes included: the rule that matched and the results in words), 发布 as a new version of
// the processes that use it, and the versions with the cell-by-cell diff (old and new values).
(function () {
  'use strict';
  const { api, el, t, fmtTime, showError, PAGE, LANG } = window.tj;
  const API = '/api/v1/decisions';
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => String(values[k]));
  const hitPolicy = (hp) => t('dec_hp_' + String(hp || 'UNIQUE').toLowerCase());
  const path = (id, rest) => API + '/' + encodeURIComponent(id) + (rest || '');

  // ------------------------------------------------------------------ the list
  async function listPage(root) {
    let rows;
    try { rows = await api('GET', API); } catch (e) { showError(root, e); return; }
    const head = el('tr', {}, [t('dec_name'), t('dec_hit_policy'), t('dec_size'), t('dec_used_by'), '']
      .map((h) => el('th', { text: h })));
    const body = rows.map((r) => el('tr', { dataset: { decision: r.id } },
      el('td', {}, el('strong', { text: r.name || r.id }), ' ', el('code', { text: r.id })),
      el('td', { text: hitPolicy(r.hit_policy) }),
      el('td', { text: fill(t('dec_size_of'), r) }),
      el('td', {}, r.processes.flatMap((p, i) => [i ? '、' : '', fill(t('dec_process_version'), p)])),
      el('td', {}, el('a', { href: path(r.id, '/edit').replace(API, '/decisions'), text: t('dec_edit'),
        'data-testid': 'edit-decision' }))));
    root.replaceChildren(el('h1', { text: t('dec_title') }), el('p', { class: 'muted', text: t('dec_intro') }),
      rows.length ? el('table', { class: 'dec-list', 'data-testid': 'decisions' }, el('thead', {}, head),
        el('tbody', {}, body)) : el('p', { text: t('dec_none') }));
  }

  // ------------------------------------------------------------------ the editor
  function words(detail, value) {
    if (value === null || value === undefined) return t('dec_empty');
    if (typeof value === 'boolean') return value ? t('dec_yes') : t('dec_no');
    if (Array.isArray(value)) return value.map((v) => words(detail, v)).join('、');
    const pair = typeof value === 'string' ? detail.values[value] : null;
    return pair ? pair[LANG === 'en' ? 1 : 0] : String(value);
  }

  // A cell's text (a Python expression) as written, and in words when it is a quoted code the forms name.
  function cellView(detail, text) {
    if (text === null || text === undefined) return el('span', { class: 'muted', text: t('dec_any') });
    const quoted = /^"([^"]*)"$/.exec(text);
    const pair = quoted ? detail.values[quoted[1]] : null;
    return el('span', {}, pair ? pair[LANG === 'en' ? 1 : 0] + ' ' : '', el('code', { text }));
  }

  function problemsView(problems) {
    return el('ul', { class: 'dec-problems', 'data-testid': 'dec-problems' }, problems.map((p) => el('li', {},
      p.message, ' ', el('span', { class: 'muted' }, p.file ? el('code', { text: p.file }) : null,
        p.line ? ' ' + fill(t('dec_line'), { line: p.line }) : '', p.element ? [' ', el('code', { text: p.element })] : null))));
  }

  function fieldInput(f) {
    const attrs = { name: f.name, id: 'try-' + f.name, 'data-type': f.type };
    if (f.choices && f.choices.length) {
      return el('select', attrs, el('option', { value: '', text: t('dec_empty') }),
        f.choices.map((c) => el('option', { value: c.value, text: LANG === 'en' ? c.en : c.zh })));
    }
    if (f.type === 'boolean') {
      return el('select', attrs, el('option', { value: '', text: t('dec_empty') }),
        el('option', { value: 'true', text: t('dec_yes') }), el('option', { value: 'false', text: t('dec_no') }));
    }
    return el('input', { ...attrs, type: f.type === 'number' ? 'number' : 'text', step: 'any' });
  }

  function inputValue(node) {
    const v = node.value;
    if (v === '') return null;
    if (node.dataset.type === 'boolean') return v === 'true';
    if (node.dataset.type === 'number') return Number(v);
    return v;
  }

  function markRows(canvas, ids) {
    canvas.querySelectorAll('.dec-hit').forEach((n) => n.classList.remove('dec-hit'));
    for (const id of ids) {
      canvas.querySelectorAll('td[data-row-id="' + CSS.escape(id) + '"]').forEach((n) => n.classList.add('dec-hit'));
    }
  }

  function tryResult(detail, out) {
    const box = el('div', { class: 'dec-result', 'data-testid': 'try-result' });
    if (!out.matched.length) {
      box.append(el('p', { class: 'muted', text: t('dec_no_match') }));
      return box;
    }
    box.append(el('p', {}, el('strong', { text: t('dec_matched') + '：' }),
      out.matched.map((r, i) => el('span', { 'data-testid': 'matched-rule', dataset: { rule: r.id } }, i ? '、' : '',
        fill(t('dec_rule_row'), r), r.annotation ? '（' + r.annotation + '）' : ''))));
    box.append(el('table', { class: 'dec-outputs' },
      el('thead', {}, el('tr', {}, el('th', { text: t('dec_output') }), el('th', { text: t('dec_value') }))),
      el('tbody', {}, Object.entries(out.outputs).map(([name, value]) => el('tr', { dataset: { output: name } },
        el('td', { text: out.output_labels[name] || name }),
        el('td', { 'data-testid': 'output-' + name, text: words(detail, value) }))))));
    return box;
  }

  function diffView(detail, diff) {
    const box = el('div', { class: 'dec-diff', 'data-testid': 'dec-diff' },
      el('h3', { text: fill(t('dec_diff_title'), { from: diff.from_version, to: diff.to_version }) }));
    const rule = (r) => fill(t('dec_rule_row'), r) + (r.annotation ? '（' + r.annotation + '）' : '');
    let any = false;
    if (diff.hit_policy) {
      any = true;
      box.append(el('p', { text: t('dec_hp_changed') + ' ' + hitPolicy(diff.hit_policy[1]) }));
    }
    for (const [key, label, fmt] of [['columns_added', 'dec_columns_added', (c) => c.label],
      ['columns_removed', 'dec_columns_removed', (c) => c.label], ['rules_added', 'dec_rules_added', rule],
      ['rules_removed', 'dec_rules_removed', rule]]) {
      if (!diff[key].length) continue;
      any = true;
      box.append(el('p', { 'data-testid': 'diff-' + key }, el('strong', { text: t(label) + '：' }),
        diff[key].map(fmt).join('、')));
    }
    const rows = [];
    for (const r of diff.rules_changed) {
      const moved = r.old_row !== r.row ? fill(t('dec_moved'), { row: r.old_row }) : '';
      if (r.annotation_change) {
        rows.push(el('tr', {}, el('td', { text: rule(r) + moved }), el('td', { text: t('dec_diff_annotation') }),
          el('td', { text: r.annotation_change[0] || '' }), el('td', { text: r.annotation_change[1] || '' })));
      }
      for (const c of r.cells) {
        rows.push(el('tr', { dataset: { rule: r.id } }, el('td', { text: rule(r) + moved }), el('td', { text: c.column }),
          el('td', { class: 'dec-old' }, cellView(detail, c.old)), el('td', { class: 'dec-new' }, cellView(detail, c.new))));
      }
      if (!r.cells.length && !r.annotation_change) rows.push(el('tr', {}, el('td', { text: rule(r) + moved }),
        el('td', {}), el('td', {}), el('td', {})));
    }
    if (rows.length) {
      any = true;
      box.append(el('table', { class: 'dec-diff-cells', 'data-testid': 'diff-cells' },
        el('thead', {}, el('tr', {}, ['dec_diff_rule', 'dec_diff_column', 'dec_diff_old', 'dec_diff_new']
          .map((k) => el('th', { text: t(k) })))), el('tbody', {}, rows)));
    }
    if (!any) box.append(el('p', { class: 'muted', text: t('dec_diff_none') }));
    return box;
  }

  async function editorPage(root) {
    const id = PAGE.params.decision_id;
    let detail;
    try { detail = await api('GET', path(id)); } catch (e) { showError(root, e); return; }
    const canvas = el('div', { class: 'dec-canvas', translate: 'no', 'data-testid': 'dmn-editor' });
    const status = el('div', { class: 'dec-status', 'data-testid': 'dec-status', 'aria-live': 'polite' });
    const unsaved = el('span', { class: 'dec-unsaved', hidden: true, text: t('dec_unsaved') });
    const versions = el('section', { class: 'dec-versions', 'data-testid': 'versions' });
    const diffBox = el('div');
    const result = el('div');
    const form = el('form', { class: 'dec-try-form', 'data-testid': 'try-form' },
      detail.fields.map((f) => el('label', { for: 'try-' + f.name }, el('span', { text: f.label }), fieldInput(f))),
      el('button', { type: 'submit', text: t('dec_try_run'), 'data-testid': 'try-run' }));
    const buttons = el('div', { class: 'dec-toolbar' },
      el('button', { type: 'button', text: t('dec_validate'), 'data-testid': 'dec-validate', onclick: validate }),
      el('button', { type: 'button', class: 'primary', text: t('dec_publish'), 'data-testid': 'dec-publish',
        onclick: publish }),
      el('button', { type: 'button', text: t('dec_download'), onclick: download }), unsaved);
    root.replaceChildren(
      el('p', {}, el('a', { href: '/decisions', text: t('dec_back') })),
      el('h1', {}, detail.name || detail.id, ' ', el('code', { text: detail.id })),
      el('p', { class: 'muted' }, t('dec_used_by') + '：', detail.processes.flatMap((p, i) => [i ? '、' : '',
        fill(t('dec_process_version'), p)]), ' · ', t('dec_file') + '：', el('code', { text: detail.file })),
      el('p', { class: 'muted' }, t('dec_cells_hint'), ' ', el('code', { text: '"labour"' }), '、',
        el('code', { text: '-' }), '、', el('code', { text: '? in ("contract", "labour")' })),
      buttons, canvas, status,
      el('section', { class: 'dec-try' }, el('h2', { text: t('dec_try') }),
        el('p', { class: 'muted', text: t('dec_try_intro') }), form, result),
      el('h2', { text: t('dec_versions') }), versions, diffBox);

    const modeler = window.TiaojieDmn.create(canvas, LANG);
    await modeler.importXML(detail.xml);
    const table = modeler.getViews().find((v) => v.type === 'decisionTable');
    if (table) await modeler.open(table);
    const viewer = modeler.getActiveViewer();
    if (viewer) viewer.get('eventBus').on('elements.changed', () => { unsaved.hidden = false; });
    root.dataset.ready = 'true';

    async function xml() { return (await modeler.saveXML({ format: true })).xml; }

    function refused(e, heading) {
      if (e.status === 422 && e.body && e.body.problems) {
        status.replaceChildren(el('p', { class: 'error', role: 'alert', text: heading }), problemsView(e.body.problems));
      } else showError(status, e);
    }

    async function validate() {
      try {
        await api('POST', path(id, '/validate'), { xml: await xml() });
        status.replaceChildren(el('p', { class: 'dec-ok', role: 'status', 'data-testid': 'dec-valid', text: t('dec_valid') }));
      } catch (e) { refused(e, t('dec_invalid')); }
    }

    async function publish() {
      let out;
      try { out = await api('POST', path(id, '/publish'), { xml: await xml() }); } catch (e) {
        refused(e, t('dec_publish_refused'));
        return;
      }
      const fresh = out.definitions.filter((d) => d.is_new);
      const text = fresh.length ? fill(t('dec_published'), { list: fresh.map((d) => fill(t('dec_new_version'), d)).join('、') })
        : t('dec_unchanged');
      status.replaceChildren(el('p', { class: 'dec-ok', role: 'status', 'data-testid': 'dec-published', text }));
      unsaved.hidden = true;
      await loadVersions(true);
    }

    async function download() {
      const blob = new Blob([await xml()], { type: 'application/xml;charset=utf-8' });
      const url = URL.createObjectURL(blob);
      const a = el('a', { href: url, download: detail.file });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    }

    async function showDiff(from, to) {
      try { diffBox.replaceChildren(diffView(detail, await api('GET', path(id, `/versions/${from}/diff/${to}`)))); } catch (e) {
        showError(diffBox, e);
      }
    }

    async function loadVersions(latestDiff) {
      let out;
      try { out = await api('GET', path(id, '/versions')); } catch (e) { showError(versions, e); return; }
      const list = out.versions;
      versions.replaceChildren(el('p', { class: 'muted', text: fill(t('dec_versions_intro'), { process: out.process.name }) }),
        el('ul', {}, list.slice().reverse().map((v) => {
          const i = list.indexOf(v);
          return el('li', { dataset: { version: v.version } }, el('strong', { text: fill(t('dec_version'), v) }), ' ',
            el('span', { class: 'muted', text: fill(t('dec_version_by'), { by: v.created_by || '', at: fmtTime(v.created_at), rules: v.rules }) }),
            i > 0 ? [' ', el('button', { type: 'button', class: 'link-like', text: t('dec_diff_prev'),
              'data-testid': 'diff-prev', onclick: () => showDiff(list[i - 1].version, v.version) })] : null);
        })));
      if (latestDiff && list.length > 1) await showDiff(list[list.length - 2].version, list[list.length - 1].version);
    }

    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const inputs = {};
      for (const node of form.querySelectorAll('[name]')) inputs[node.name] = inputValue(node);
      try {
        const out = await api('POST', path(id, '/try'), { xml: await xml(), inputs });
        result.replaceChildren(tryResult(detail, out));
        markRows(canvas, out.matched.map((r) => r.id));
      } catch (e) {
        if (e.status === 422 && e.body && e.body.problems) refused(e, t('dec_try_failed'));
        else {
          showError(result, e);
          if (e.body && e.body.detail) result.append(el('p', {}, el('code', { text: e.body.detail })));
        }
      }
    });
    await loadVersions(false);
  }

  document.addEventListener('DOMContentLoaded', () => {
    const list = document.getElementById('decisions-page');
    const editor = document.getElementById('decision-editor');
    if (list) listPage(list);
    if (editor) editorPage(editor).catch((e) => showError(editor, e));
  });
}());
