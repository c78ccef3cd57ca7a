// The forms list (/forms, supervisors and admins): every deployed process's live version, each of its steps
// (user tasks) with its form's title, file, number of fields and required fields, and 编辑表单, which opens that
// task's form in the process editor (form-editor.js), where it is published with the process.
(function () {
  'use strict';
  const { api, el, t, showError } = window.tj;
  const API = '/api/v1/processes';
  const EN = window.tj.LANG === 'en';

  // A user task listed once, under the most specific deployed process whose scope holds it.
  function owners(details) {
    const keys = new Set(details.map((d) => d.key));
    const size = new Map(details.map((d) => [d.key, d.user_tasks.length]));
    const best = new Map();
    for (const d of details) {
      for (const task of d.user_tasks) {
        const id = task.process + '/' + task.element_id;
        const owner = keys.has(task.process) ? task.process : d.key;
        const prior = best.get(id);
        if (!prior || (!keys.has(task.process) && size.get(owner) < size.get(prior))) best.set(id, owner);
      }
    }
    return best;
  }

  function taskRow(d, task) {
    const schema = task.form ? d.forms[task.form] : null;
    const props = (schema && schema.properties) || {};
    const title = schema ? ((EN && schema['x-title-en']) || schema.title || '') : '';
    const href = `/processes/${encodeURIComponent(d.key)}/editor?form=${encodeURIComponent(task.element_id)}`;
    return el('tr', { 'data-testid': `form-row-${d.key}-${task.element_id}` },
      el('td', { text: task.name || task.element_id }),
      el('td', {}, task.form ? [title, ' ', el('code', { text: task.form })] : el('span', { class: 'muted', text: t('fed_list_none') })),
      el('td', { text: schema ? String(Object.keys(props).length) : '—' }),
      el('td', { text: schema ? String((schema.required || []).filter((k) => k in props).length) : '—' }),
      el('td', {}, el('a', { href, text: task.form ? t('fed_edit') : t('fed_new'),
        'aria-label': `${task.form ? t('fed_edit') : t('fed_new')}：${task.name || task.element_id}` })));
  }

  function section(d, tasks) {
    const head = el('tr', {}, ['fed_list_step', 'fed_list_form', 'fed_list_fields', 'fed_list_required']
      .map((k) => el('th', { scope: 'col', text: t(k) })), el('th', { scope: 'col', class: 'visually-hidden', text: t('fed_edit') }));
    return el('section', { 'data-testid': `forms-${d.key}`, 'aria-labelledby': `forms-${d.key}-h` },
      el('h2', { id: `forms-${d.key}-h` }, d.name, ' ', el('code', { text: d.key }), ' ',
        el('span', { class: 'muted', text: t('fed_list_version').replace('{n}', String(d.version)) })),
      tasks.length ? el('table', {}, el('thead', {}, head), el('tbody', {}, tasks.map((task) => taskRow(d, task))))
        : el('p', { class: 'muted', text: t('fed_list_no_tasks') }));
  }

  async function main() {
    const root = document.getElementById('forms-page');
    let details;
    try {
      const latest = await api('GET', API);
      details = await Promise.all(latest.map((p) => api('GET', `${API}/${encodeURIComponent(p.key)}/versions/${p.version}`)));
    } catch (err) {
      root.replaceChildren(el('h1', { text: t('fed_list_title') }));
      showError(root.appendChild(el('div')), err);
      return;
    }
    const best = owners(details);
    const parts = details.sort((a, b) => a.key.localeCompare(b.key)).map((d) =>
      section(d, d.user_tasks.filter((task) => best.get(task.process + '/' + task.element_id) === d.key)));
    root.replaceChildren(el('h1', { text: t('fed_list_title') }), el('p', { class: 'muted', text: t('fed_list_intro') }),
      ...(parts.length ? parts : [el('p', { class: 'muted', text: t('fed_list_empty') })]));
    root.dataset.ready = 'true';
  }

  document.addEventListener('DOMContentLoaded', main);
})();
