// 交接 (issue 16): a supervisor picks a departing caseworker, previews their open tasks and active cases and
// gives them to one colleague, or case by case in turn to several, or piece by piece; with a note.
(function () {
  'use strict';
  const { api, el, t, toast, fmtTime, showError } = window.tj;
  const CASEWORKERS = ['intake', 'mediator', 'lawyer'];
  const body = document.getElementById('handover-body');
  const name = (p) => (p.display_name ? `${p.display_name}（${p.username}）` : p.username);

  function table(heads, rows, testid) {
    return el('div', { class: 'table-scroll' }, el('table', { 'data-testid': testid },
      el('thead', {}, el('tr', {}, heads.map((h) => el('th', { scope: 'col', text: h })))), el('tbody', {}, rows)));
  }

  function targetSelect(id, label, colleagues, community) {
    const fit = colleagues.filter((p) => !community || CASEWORKERS.indexOf(p.role) < 0 || p.communities.includes(community));
    return el('select', { id, 'aria-label': label },
      el('option', { value: '', text: t('ho_follow_mode') }), fit.map((p) => el('option', { value: p.username, text: name(p) })));
  }

  async function start() {
    let users;
    try { users = await api('GET', '/api/v1/users'); } catch (err) { showError(body, err); return; }
    const departing = el('select', { id: 'ho-departing' }, el('option', { value: '', text: t('tm_pick') }),
      users.filter((u) => CASEWORKERS.includes(u.role)).map((u) => el('option', { value: String(u.id),
        text: `${name(u)} · ${t('group_' + u.role)}${u.active ? '' : ' ×'}` })));
    const host = el('div', { id: 'ho-preview' });
    departing.addEventListener('change', () => { if (departing.value) preview(host, Number(departing.value)); else host.replaceChildren(); });
    body.replaceChildren(el('div', { class: 'field' }, el('label', { for: 'ho-departing', text: t('ho_departing') }), departing), host);
  }

  async function preview(host, userId) {
    let p;
    try { p = await api('GET', `/api/v1/users/${userId}/handover/preview`); } catch (err) { showError(host, err); return; }
    if (!p.tasks.length && !p.cases.length) { host.replaceChildren(el('p', { 'data-testid': 'ho-none', text: t('ho_none') })); return; }
    const colleagues = p.colleagues;
    const taskRows = p.tasks.map((task, i) => el('tr', { dataset: { task: task.id } },
      el('td', {}, el('a', { href: `/cases/${task.case_id}`, text: task.case_number })),
      el('td', {}, el('a', { href: `/tasks/${task.id}`, text: task.name }), task.owner === p.user.username && task.assignee !== task.owner ? t('ho_delegated_by') : ''),
      el('td', { text: task.community || '—' }),
      el('td', { text: task.due_at ? fmtTime(task.due_at) : '—' }),
      el('td', {}, targetSelect(`ho-task-${i}`, `${t('ho_to')} ${task.case_number} ${task.name}`, colleagues, task.community))));
    const caseRows = p.cases.map((c, i) => el('tr', { dataset: { case: String(c.id) } },
      el('td', {}, el('a', { href: `/cases/${c.id}`, text: c.case_number })),
      el('td', { text: c.community || '—' }),
      el('td', { text: c.dispute_type ? t('v_dispute_type_' + c.dispute_type, '—') : '—' }),
      el('td', { text: fmtTime(c.created_at) }),
      el('td', {}, targetSelect(`ho-case-${i}`, `${t('ho_to')} ${c.case_number}`, colleagues, c.community))));
    const one = el('input', { type: 'radio', name: 'ho-mode', id: 'ho-mode-one', value: 'one', checked: true });
    const rr = el('input', { type: 'radio', name: 'ho-mode', id: 'ho-mode-rr', value: 'rr' });
    const toUser = el('select', { id: 'ho-to-user' }, el('option', { value: '', text: t('tm_pick') }),
      colleagues.map((c) => el('option', { value: c.username, text: name(c) })));
    const rrBoxes = colleagues.map((c) => el('label', { class: 'inline' },
      el('input', { type: 'checkbox', value: c.username, 'data-rr': '1' }), ' ', name(c)));
    const oneField = el('div', { class: 'field' }, el('label', { for: 'ho-to-user', text: t('ho_to_user') }), toUser);
    const rrField = el('fieldset', { class: 'field', hidden: true }, el('legend', { text: t('ho_rr_people') }), rrBoxes);
    const sync = () => { oneField.hidden = !one.checked; rrField.hidden = !rr.checked; };
    one.addEventListener('change', sync); rr.addEventListener('change', sync);
    const note = el('textarea', { id: 'ho-note', rows: '3', maxlength: '2000' });
    const errors = el('div', { role: 'alert' });
    const submit = el('button', { type: 'submit', class: 'primary', text: t('ho_submit') });
    const form = el('form', { novalidate: true, 'data-testid': 'ho-form' },
      p.tasks.length ? [el('h2', { text: `${t('ho_tasks')}（${p.tasks.length}）` }),
        table([t('ho_case'), t('ho_task'), t('ho_community'), t('ho_due'), t('ho_to')], taskRows, 'ho-tasks')] : [],
      p.cases.length ? [el('h2', { text: `${t('ho_cases')}（${p.cases.length}）` }),
        table([t('ho_case'), t('ho_community'), t('ho_dispute_type'), t('ho_started'), t('ho_to')], caseRows, 'ho-cases')] : [],
      el('fieldset', { class: 'field' }, el('legend', { text: t('ho_mode') }),
        el('label', { for: 'ho-mode-one' }, one, ' ', t('ho_mode_one')), ' ',
        el('label', { for: 'ho-mode-rr' }, rr, ' ', t('ho_mode_rr'))),
      oneField, rrField,
      el('div', { class: 'field' }, el('label', { for: 'ho-note', text: t('ho_note') }), note),
      errors, el('div', { class: 'actions' }, submit));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const req = { note: note.value.trim() };
      const problems = [];
      if (!req.note) problems.push(t('ho_note_required'));
      const tasks = {}; const cases = {};
      p.tasks.forEach((task, i) => { const v = document.getElementById(`ho-task-${i}`).value; if (v) tasks[task.id] = v; });
      p.cases.forEach((c, i) => { const v = document.getElementById(`ho-case-${i}`).value; if (v) cases[c.id] = v; });
      if (one.checked && toUser.value) req.to_user = toUser.value;
      if (rr.checked) req.round_robin = rrBoxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
      const covered = p.tasks.every((task) => tasks[task.id] || cases[task.case_id]) && p.cases.every((c) => cases[c.id]);
      if (!req.to_user && !(req.round_robin && req.round_robin.length) && !covered) problems.push(t('ho_to_required'));
      if (problems.length) { errors.replaceChildren(el('ul', { class: 'error' }, problems.map((x) => el('li', { text: x })))); return; }
      if (Object.keys(tasks).length) req.tasks = tasks;
      if (Object.keys(cases).length) req.cases = cases;
      submit.disabled = true;
      try {
        const r = await api('POST', `/api/v1/users/${p.user.id}/handover`, req);
        const done = t('ho_done').replace('{tasks}', r.tasks).replace('{cases}', r.cases);
        toast(done);
        host.replaceChildren(el('p', { 'data-testid': 'ho-result', text: done }),
          el('ul', {}, r.moves.map((m) => el('li', {}, el('a', { href: `/cases/${m.case_id}`, text: m.case_number || String(m.case_id) }), ' → ', m.to))));
      } catch (err) {
        submit.disabled = false;
        showError(errors, err);
      }
    });
    host.replaceChildren(form);
  }

  document.addEventListener('DOMContentLoaded', start);
})();
