// 用户与权限 (issue 17): the admins' user list with filters, add (a temporary password shown once), edit in a
// dialog, reset a password (shown once), deactivate / activate, each user's audited history.
(function () {
  'use strict';
  const { api, el, t, toast, fmtTime, showError } = window.tj;
  const ROLES = ['intake', 'mediator', 'lawyer', 'supervisor', 'leader', 'admin'];
  const list = document.getElementById('us-list');
  const count = document.getElementById('us-count');
  const filters = document.getElementById('us-filters');
  const tempBox = document.getElementById('us-temp');
  const name = (u) => (u.display_name ? `${u.display_name}（${u.username}）` : u.username);
  const fmt = (template, values) => template.replace(/\{(\w+)\}/g, (_, k) => (k in values ? values[k] : ''));
  const roleName = (r) => t('us_role_' + r, '—');
  const splitCommunities = (text) => text.split(/[,，、;；\s]+/).map((s) => s.trim()).filter(Boolean);

  function query() {
    const q = new URLSearchParams();
    for (const key of ['q', 'role', 'community', 'active']) {
      const v = filters.elements[key].value.trim();
      if (v) q.set(key, v);
    }
    return q;
  }

  function fillFilters() {
    const q = new URLSearchParams(location.search);
    for (const key of ['q', 'role', 'community', 'active']) if (q.get(key)) filters.elements[key].value = q.get(key);
  }

  function fieldErrors(err, labels) {
    const fields = (err.body && err.body.fields) || {};
    return el('div', { class: 'error' }, el('p', { text: err.message }),
      Object.keys(fields).length ? el('ul', {}, Object.entries(fields).map(([k, v]) => {
        const label = labels[k] || window.tj.T['us_f_' + k.split('.')[0]] || '';
        return el('li', { text: label ? `${label}：${v}` : v });
      })) : '');
  }

  function showTemp(user, password) {
    tempBox.replaceChildren(
      el('h2', { text: fmt(t('us_temp_title'), { name: name(user) }) }),
      el('p', {}, el('code', { class: 'us-temp-pw', 'data-testid': 'temp-password', text: password })),
      el('p', { class: 'muted', text: t('us_temp_note') }),
      el('button', { type: 'button', onclick: () => { tempBox.hidden = true; tempBox.replaceChildren(); }, text: t('us_temp_done') }));
    tempBox.hidden = false;
    tempBox.scrollIntoView({ block: 'nearest' });
  }

  async function load() {
    const q = query();
    history.replaceState(null, '', q.toString() ? `?${q}` : location.pathname);
    let users;
    try { users = await api('GET', `/api/v1/users?${q}`); } catch (err) { showError(list, err); return; }
    count.textContent = fmt(t('us_count'), { n: users.length });
    if (!users.length) { list.replaceChildren(el('p', { 'data-testid': 'us-none', text: t('us_none') })); return; }
    const heads = ['us_username', 'us_display_name', 'us_role', 'us_groups', 'us_communities', 'us_email', 'us_status',
      'us_last_login', 'us_actions'].map((k) => el('th', { scope: 'col', text: t(k) }));
    list.replaceChildren(el('div', { class: 'table-scroll' }, el('table', { class: 'us-table', 'data-testid': 'users-table' },
      el('thead', {}, el('tr', {}, heads)), el('tbody', {}, users.map(row)))));
  }

  function row(u) {
    const status = el('td', { 'data-label': t('us_status') },
      el('span', { class: 'badge ' + (u.active ? 'ok' : 'none'), 'data-testid': 'us-status', text: u.active ? t('us_active') : t('us_inactive') }),
      u.must_change_password ? el('span', { class: 'badge warning', text: t('us_must_change') }) : '');
    const actions = el('td', { class: 'us-actions', 'data-label': t('us_actions') },
      el('button', { type: 'button', onclick: () => edit(u), text: t('us_edit') }),
      el('button', { type: 'button', onclick: () => reset(u), text: t('us_reset') }),
      el('button', { type: 'button', 'data-testid': 'us-toggle', onclick: () => toggle(u), text: u.active ? t('us_deactivate') : t('us_activate') }),
      el('button', { type: 'button', onclick: () => history_(u), text: t('us_audit') }));
    return el('tr', { dataset: { user: u.username } },
      el('td', { 'data-label': t('us_username'), text: u.username }),
      el('td', { 'data-label': t('us_display_name'), text: u.display_name || '—' }),
      el('td', { 'data-label': t('us_role'), text: roleName(u.role) }),
      el('td', { 'data-label': t('us_groups'), text: u.groups.length ? u.groups.map(roleName).join('、') : '—' }),
      el('td', { 'data-label': t('us_communities'), text: u.communities.length ? u.communities.join('、') : t('us_all_communities') }),
      el('td', { 'data-label': t('us_email'), text: u.email || '—' }),
      status,
      el('td', { 'data-label': t('us_last_login'), text: u.last_login_at ? fmtTime(u.last_login_at) : t('us_never') }),
      actions);
  }

  function dialog(title, testid, ...content) {
    const box = el('dialog', { class: 'us-dialog', 'data-testid': testid, 'aria-label': title }, el('h2', { text: title }), ...content);
    box.addEventListener('close', () => box.remove());
    document.body.append(box);
    box.showModal();
    return box;
  }

  function edit(u) {
    const f = (id, label, input) => el('div', { class: 'field' }, el('label', { for: id, text: label }), input);
    const display = el('input', { id: 'ed-display-name', maxlength: '100', value: u.display_name || '' });
    const role = el('select', { id: 'ed-role' }, ROLES.map((r) => el('option', { value: r, text: roleName(r), selected: r === u.role })));
    const comms = el('input', { id: 'ed-communities', maxlength: '1000', value: u.communities.join('、') });
    const email = el('input', { id: 'ed-email', type: 'email', maxlength: '255', value: u.email || '' });
    const errors = el('div', { role: 'alert' });
    const form = el('form', { novalidate: true },
      f('ed-display-name', t('us_display_name'), display), f('ed-role', t('us_role'), role),
      f('ed-communities', t('us_communities'), comms), el('small', { class: 'muted', text: t('us_communities_hint') }),
      f('ed-email', t('us_email'), email), errors,
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: t('save') }),
        el('button', { type: 'button', text: t('cancel'), onclick: () => box.close() })));
    const box = dialog(fmt(t('us_edit_title'), { name: name(u) }), 'us-edit-dialog', form);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = { display_name: display.value.trim(), role: role.value, communities: splitCommunities(comms.value),
        email: email.value.trim() };
      try { await api('PATCH', `/api/v1/users/${u.id}`, body); } catch (err) {
        errors.replaceChildren(fieldErrors(err, { display_name: t('us_display_name'), role: t('us_role'), communities: t('us_communities'), email: t('us_email') }));
        return;
      }
      box.close();
      toast(t('us_saved'));
      load();
    });
  }

  async function reset(u) {
    if (!confirm(fmt(t('us_reset_confirm'), { name: name(u) }))) return;
    let out;
    try { out = await api('POST', `/api/v1/users/${u.id}/reset-password`); } catch (err) { toast(err.message, 'error'); return; }
    showTemp(u, out.temporary_password);
    load();
  }

  async function toggle(u) {
    if (u.active && !confirm(fmt(t('us_deactivate_confirm'), { name: name(u) }))) return;
    try { await api('PATCH', `/api/v1/users/${u.id}`, { active: !u.active }); } catch (err) { toast(err.message, 'error'); return; }
    toast(fmt(t(u.active ? 'us_deactivated' : 'us_activated'), { name: name(u) }));
    load();
  }

  function value(key, v) {
    if (v === null || v === undefined || v === '') return t('us_empty');
    if (key === 'role') return roleName(v);
    if (typeof v === 'boolean') return v ? t('us_yes') : t('us_no');
    if (Array.isArray(v)) return v.length ? v.join('、') : t('us_all_communities');
    return String(v);
  }

  function changes(entry) {
    const keys = Object.keys(entry.new || entry.old || {});
    return el('ul', { class: 'us-changes' }, keys.map((k) => el('li', {},
      `${t('us_f_' + k, '—')}：`, entry.old && k in entry.old ? el('del', { text: value(k, entry.old[k]) }) : '',
      entry.old && k in entry.old ? ' → ' : '', el('ins', { text: value(k, (entry.new || {})[k]) }))));
  }

  async function history_(u) {
    let rows;
    try { rows = await api('GET', `/api/v1/users/${u.id}/audit`); } catch (err) { toast(err.message, 'error'); return; }
    const body = rows.length ? el('div', { class: 'table-scroll' }, el('table', { 'data-testid': 'us-audit-table' },
      el('thead', {}, el('tr', {}, ['us_at', 'us_actor', 'us_action', 'us_changes'].map((k) => el('th', { scope: 'col', text: t(k) })))),
      el('tbody', {}, rows.map((r) => el('tr', {},
        el('td', { text: fmtTime(r.at) }), el('td', { text: r.actor === 'cli' ? t('us_cli') : r.actor }),
        el('td', { text: t('us_a_' + r.action, '—') }), el('td', {}, changes(r)))))))
      : el('p', { text: t('us_audit_none') });
    const box = dialog(fmt(t('us_audit_title'), { name: name(u) }), 'us-audit-dialog', body,
      el('div', { class: 'actions' }, el('button', { type: 'button', text: t('us_close'), onclick: () => box.close() })));
  }

  const addForm = document.getElementById('us-add-form');
  addForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const errors = document.getElementById('us-add-errors');
    errors.replaceChildren();
    const body = { username: addForm.username.value.trim(), role: addForm.role.value,
      communities: splitCommunities(addForm.communities.value) };
    if (addForm.display_name.value.trim()) body.display_name = addForm.display_name.value.trim();
    if (addForm.email.value.trim()) body.email = addForm.email.value.trim();
    let out;
    try { out = await api('POST', '/api/v1/users', body); } catch (err) {
      errors.replaceChildren(fieldErrors(err, { username: t('us_username'), role: t('us_role'), communities: t('us_communities'), email: t('us_email'), display_name: t('us_display_name') }));
      return;
    }
    addForm.reset();
    toast(fmt(t('us_added'), { name: out.user.username }));
    showTemp(out.user, out.temporary_password);
    load();
  });

  filters.addEventListener('submit', (event) => { event.preventDefault(); load(); });
  fillFilters();
  load();
})();
