// 我的待办: my claimed tasks and my groups' unclaimed tasks, earliest due first; filters kept in the URL;
// one-click claim; 加载更多 by cursor; refreshed every 30 s and after each action, without a page reload.
(function () {
  'use strict';
  const { PAGE, api, el, t, toast, fmtTime, dueBadge, calMark, ApiError, refreshHeader } = window.tj;
  const root = document.getElementById('queue-page');
  const me = PAGE.user;
  const REFRESH_MS = 30000;
  const FILTERS = ['process', 'dispute_type', 'community', 'overdue'];
  const DISPUTE_TYPES = ['marriage_family', 'neighbourhood', 'housing_homestead', 'contract', 'production_business',
    'damage_compensation', 'forest_land', 'land_requisition_demolition', 'environmental_pollution', 'labour', 'consumer',
    'medical', 'traffic_accident', 'property_management', 'tourism', 'intellectual_property', 'internet', 'other'];
  const processNames = {};
  const processGroups = {}; // top-level process key -> [it, ...its sub-process keys]: choosing it shows them all
  const sections = {};

  function filters() {
    const q = new URLSearchParams(location.search);
    const out = {};
    for (const key of FILTERS) {
      const v = q.get(key);
      if (v) out[key] = key === 'overdue' ? (['1', 'true'].includes(v) ? '1' : '') : v;
      if (!out[key]) delete out[key];
    }
    return out;
  }

  function setFilters(values) {
    const q = new URLSearchParams(location.search);
    for (const key of FILTERS) { if (values[key]) q.set(key, values[key]); else q.delete(key); }
    const qs = q.toString();
    history.replaceState(null, '', location.pathname + (qs ? '?' + qs : ''));
  }

  function disputeName(code) { return code ? t('dt_' + code, code) : '—'; }

  function filterForm() {
    const f = filters();
    const field = (id, label, control) => el('div', { class: 'field' }, el('label', { for: id, text: label }), control);
    const process = el('select', { id: 'qf-process', name: 'process' }, el('option', { value: '', text: t('queue_all') }));
    const dispute = el('select', { id: 'qf-dispute', name: 'dispute_type' }, el('option', { value: '', text: t('queue_all') }),
      DISPUTE_TYPES.map((c) => el('option', { value: c, text: disputeName(c), selected: f.dispute_type === c })));
    const community = me.communities && me.communities.length
      ? el('select', { id: 'qf-community', name: 'community' }, el('option', { value: '', text: t('queue_all') }),
        me.communities.map((c) => el('option', { value: c, text: c, selected: f.community === c })))
      : el('input', { id: 'qf-community', name: 'community', type: 'text', maxlength: 100, value: f.community || null });
    const overdue = el('input', { id: 'qf-overdue', name: 'overdue', type: 'checkbox', checked: !!f.overdue });
    const form = el('form', { class: 'filters', role: 'search', 'aria-label': t('queue_filters'), 'data-testid': 'queue-filters' },
      field('qf-process', t('queue_process'), process),
      field('qf-dispute', t('queue_dispute_type'), dispute),
      field('qf-community', t('community'), community),
      el('div', { class: 'field check' }, el('span', {}, overdue, ' ', el('label', { for: 'qf-overdue', text: t('queue_overdue_only') }))),
      el('button', { type: 'submit', text: t('queue_apply') }),
      el('button', { type: 'button', class: 'link-like', text: t('queue_clear'), onclick: () => {
        process.value = ''; dispute.value = ''; community.value = ''; overdue.checked = false; apply();
      } }));
    function apply() {
      setFilters({ process: process.value, dispute_type: dispute.value, community: community.value.trim(), overdue: overdue.checked ? '1' : '' });
      reloadAll();
    }
    form.addEventListener('submit', (e) => { e.preventDefault(); apply(); });
    for (const c of [process, dispute, overdue]) c.addEventListener('change', apply);
    if (community.tagName === 'SELECT') community.addEventListener('change', apply);
    loadProcesses().then((keys) => {
      for (const key of keys) {
        const sub = !processGroups[key];
        process.append(el('option', { value: key, text: sub ? '\u2003' + processNames[key] : processNames[key], selected: f.process === key }));
      }
      if (f.process && (processGroups[f.process] || []).length > 1) reloadAll(); // the first load asked for the top level only
      else for (const s of Object.values(sections)) drawRows(s);
    }).catch(() => {});
    return form;
  }

  // Tasks carry the key of the (sub)process they are in: name each after its process (and sub-process).
  async function loadProcesses() {
    const list = await api('GET', '/api/v1/processes');
    const keys = [];
    for (const p of list) processNames[p.key] = p.name;
    const owner = {}; // sub-process key -> {p, size}: a process's user tasks include those of what it calls,
    // so a sub-process belongs to the smallest process that lists it (people_mediation, not dispute_case)
    await Promise.all(list.map(async (p) => {
      let detail = null;
      try { detail = await api('GET', `/api/v1/processes/${encodeURIComponent(p.key)}/versions/${p.version}`); } catch (e) { detail = null; }
      const tasks = (detail && detail.user_tasks) || [];
      const inner = new Set(tasks.map((u) => u.process).filter((k) => k && !list.some((x) => x.key === k)));
      for (const sub of inner) if (!owner[sub] || tasks.length < owner[sub].size) owner[sub] = { p, size: tasks.length };
    }));
    for (const [sub, o] of Object.entries(owner)) processNames[sub] = `${o.p.name} · ${t('proc_' + sub, sub)}`;
    for (const p of list) {
      const subs = Object.keys(processNames).filter((k) => processNames[k].startsWith(p.name + ' · ')).sort();
      processGroups[p.key] = [p.key, ...subs];
      keys.push(p.key, ...subs);
    }
    return keys;
  }

  function makeSection(key, title, params, note) {
    const tbody = el('tbody');
    const more = el('button', { type: 'button', class: 'more', hidden: true, text: t('queue_more') });
    const count = el('span', { class: 'count muted' });
    const table = el('table', { class: 'queue-table', 'aria-labelledby': `q-${key}-title` },
      el('thead', {}, el('tr', {}, COLUMNS.map((h) => el('th', { scope: 'col', text: t(h) })))),
      tbody);
    const empty = el('p', { class: 'empty muted', hidden: true });
    const status = el('div', { class: 'status' });
    const node = el('section', { class: 'queue-section', 'data-testid': `queue-${key}`, 'aria-labelledby': `q-${key}-title` },
      el('h2', { id: `q-${key}-title` }, title, ' ', count), note ? el('p', { class: 'muted small', text: note }) : null,
      status, table, empty, more);
    const s = { key, params, tbody, more, count, empty, table, status, node, items: [], cursor: null };
    more.addEventListener('click', () => fetchPage(s, false));
    sections[key] = s;
    return node;
  }

  function query(s, cursor, limit) {
    const q = new URLSearchParams({ ...s.params, ...filters(), limit: String(limit || 50) });
    if (q.get('process') && processGroups[q.get('process')]) q.set('process', processGroups[q.get('process')].join(','));
    if (q.get('overdue')) q.set('overdue', 'true');
    if (cursor) q.set('cursor', cursor);
    return '/api/v1/tasks?' + q.toString();
  }

  async function fetchPage(s, fresh) {
    const limit = fresh ? Math.min(100, Math.max(50, s.items.length)) : 50;
    const gen = s.gen = (s.gen || 0) + 1; // a slower earlier answer (e.g. other filters) must not overwrite a newer one
    try {
      const page = await api('GET', query(s, fresh ? null : s.cursor, limit));
      if (gen !== s.gen) return;
      s.items = fresh ? page.items : s.items.concat(page.items);
      s.cursor = page.next_cursor;
      s.status.replaceChildren();
    } catch (err) {
      if (gen !== s.gen) return;
      s.status.replaceChildren(el('p', { class: 'error', role: 'alert', text: err instanceof ApiError ? err.message : t('error') }));
    }
    drawRows(s);
  }

  // The row's cells, each labelled (data-label) for the phone layout, where rows become cards (queue.css).
  const COLUMNS = ['queue_due', 'cw_case_number', 'queue_case', 'queue_task', 'queue_dispute_type', 'community', 'queue_action'];

  function action(s, item) {
    if (item.can_claim && item.status === 'ready') {
      return el('button', { type: 'button', class: 'primary small', 'data-testid': 'claim', text: t('claim'),
        'aria-label': `${t('claim')} ${item.name} ${item.case_number}`, onclick: (e) => claim(item, e.currentTarget) });
    }
    if (item.can_work !== false) return el('a', { href: `/tasks/${encodeURIComponent(item.id)}`, class: 'button-like small', text: t('queue_open') });
    return el('a', { href: `/cases/${item.case_id}`, class: 'button-like small secondary', 'data-testid': 'view-case', text: t('queue_view_case') });
  }

  function row(s, item) {
    const cell = (i, ...children) => el('td', { dataset: { label: t(COLUMNS[i]) } }, ...children);
    const taskLink = item.can_work === false ? el('span', { text: item.name })
      : el('a', { href: `/tasks/${encodeURIComponent(item.id)}`, text: item.name });
    return el('tr', { dataset: { taskId: item.id }, class: item.overdue ? 'overdue' : null },
      cell(0, dueBadge(item.seconds_remaining, item.overdue_by), item.due_at ? el('div', { class: 'muted small', text: fmtTime(item.due_at) }) : null, calMark(item)),
      cell(1, el('a', { href: `/cases/${item.case_id}`, text: item.case_number }), window.tjQueueRows.applicant(item)),
      cell(2, window.tjQueueRows.flags(item), window.tjQueueRows.summary(item)),
      cell(3, taskLink, el('div', { class: 'muted small', text: processNames[item.process_key] || '' })),
      cell(4, el('span', { text: disputeName(item.dispute_type) })),
      cell(5, el('span', { text: item.community || '—' })),
      cell(6, action(s, item)));
  }

  // Redrawing (the 30 s refresh, process names arriving) must not take the keyboard focus away: a focused
  // control in a row is focused again in the redrawn row of the same task.
  function focusedInRows(s) {
    const active = document.activeElement;
    const tr = active && s.tbody.contains(active) ? active.closest('tr') : null;
    if (!tr) return null;
    const controls = [...tr.querySelectorAll('a, button')];
    return { taskId: tr.dataset.taskId, index: controls.indexOf(active) };
  }

  function restoreFocus(s, spot) {
    if (!spot) return;
    const tr = [...s.tbody.rows].find((r) => r.dataset.taskId === spot.taskId);
    const target = tr && tr.querySelectorAll('a, button')[spot.index];
    if (target) target.focus();
  }

  function drawRows(s) {
    const spot = focusedInRows(s);
    s.tbody.replaceChildren(...s.items.map((item) => row(s, item)));
    restoreFocus(s, spot);
    s.count.textContent = `(${s.items.length}${s.cursor ? '+' : ''})`;
    const none = s.items.length === 0;
    s.table.hidden = none;
    s.empty.hidden = !none;
    s.empty.textContent = Object.keys(filters()).length ? t('queue_empty_filtered') : t(`queue_empty_${s.key}`);
    s.more.hidden = !s.cursor;
  }

  async function claim(item, button) {
    button.disabled = true;
    try {
      await api('POST', `/api/v1/tasks/${encodeURIComponent(item.id)}/claim`);
      toast(t('queue_claimed').replace('{name}', item.name).replace('{case}', item.case_number));
    } catch (err) {
      toast(err instanceof ApiError && err.status === 409 ? t('queue_claim_conflict') : (err.message || t('error')), 'error');
    }
    await reloadAll();
    const mine = document.querySelector(`[data-testid="queue-mine"] tr[data-task-id="${CSS.escape(item.id)}"] a`);
    if (mine) mine.focus();
  }

  async function reloadAll() {
    await Promise.all(Object.values(sections).map((s) => fetchPage(s, true)));
    refreshHeader();
  }

  function start() {
    // a leader's unclaimed tasks are the leaders' group's (the API's default for them): what they may act on
    const ownGroup = me.role === 'supervisor' || me.role === 'leader' || me.role === 'admin' ? {} : { group: me.role };
    const leader = me.role === 'leader';
    root.replaceChildren(...[
      el('h1', { text: t('nav_queue') }),
      leader ? window.tjQueueLeader.section() : null,
      el('div', { class: 'queue-tools' }, filterForm(), window.tjQueueSaved.control()),
      makeSection('mine', t('queue_mine'), { mine: 'true' }),
      makeSection('ready', t('queue_ready'), { ...ownGroup, status: 'ready' }),
      leader ? makeSection('led', t('queue_led_tasks'), { led: 'true' }, t('queue_led_tasks_note')) : null].filter(Boolean));
    const note = sessionStorage.getItem('tj-toast');
    if (note) { sessionStorage.removeItem('tj-toast'); toast(note); }
    reloadAll();
    setInterval(() => { if (!document.hidden) reloadAll(); }, REFRESH_MS);
  }

  document.addEventListener('DOMContentLoaded', start);
})();
