// Moving a task (issue 16): 退回 (release: the holder or a supervisor), 委托 (delegate: the holder),
// 改派 (reassign to a person or a group's queue: supervisors), each with a reason kept on the case's timeline.
// window.tjTaskActions.panel(task, reload) -> element    the task page's panel (task.js)
// window.tjTaskActions.eventDetail(event) -> [text]      the timeline's detail of these events (case.js)
(function () {
  'use strict';
  const { PAGE, api, el, t, toast, showError } = window.tj;
  const me = PAGE.user || {};
  const GROUPS = ['intake', 'mediator', 'lawyer', 'supervisor', 'leader'];
  const path = (task, action) => `/api/v1/tasks/${encodeURIComponent(task.id)}/${action}`;

  function field(id, labelText, control, error) {
    return el('div', { class: 'field' }, el('label', { for: id, text: labelText }), control, error);
  }

  function errorSlot(id) { return el('p', { class: 'field-error', id, role: 'alert', hidden: true }); }

  function setError(slot, control, text) {
    slot.textContent = text || '';
    slot.hidden = !text;
    if (control) control.setAttribute('aria-invalid', text ? 'true' : 'false');
  }

  function people(list, exclude) {
    return list.filter((p) => !exclude.includes(p.username))
      .map((p) => el('option', { value: p.username, text: p.display_name ? `${p.display_name}（${p.username}）` : p.username }));
  }

  async function openForm(host, task, kind, reload) {
    const id = (s) => `tm-${kind}-${s}`;
    const reason = el('textarea', { id: id('reason'), rows: '2', maxlength: '500', 'aria-describedby': id('reason-err') });
    const reasonErr = errorSlot(id('reason-err'));
    const parts = [el('p', { class: 'muted', text: t(`tm_${kind}_hint`) })];
    let person = null; let personErr = null; let group = null; let groupErr = null; let toGroup = null;
    if (kind !== 'release') {
      let colleagues = [];
      try { colleagues = await api('GET', path(task, 'assignees')); } catch (err) { showError(host, err); return; }
      const exclude = kind === 'delegate' ? [me.username] : [task.assignee].filter(Boolean);
      person = el('select', { id: id('person'), 'aria-describedby': id('person-err') },
        el('option', { value: '', text: t('tm_pick') }), people(colleagues, exclude));
      personErr = errorSlot(id('person-err'));
      if (kind === 'reassign') {
        toGroup = el('input', { type: 'checkbox', id: id('to-group') });
        group = el('select', { id: id('group'), 'aria-describedby': id('group-err') },
          el('option', { value: '', text: t('tm_pick') }),
          GROUPS.map((g) => el('option', { value: g, text: t('group_' + g) })));
        groupErr = errorSlot(id('group-err'));
        const groupField = field(id('group'), t('tm_group'), group, groupErr);
        const personField = field(id('person'), t('tm_person'), person, personErr);
        groupField.hidden = true;
        toGroup.addEventListener('change', () => { groupField.hidden = !toGroup.checked; personField.hidden = toGroup.checked; });
        parts.push(el('div', { class: 'field' }, el('label', { for: id('to-group') }, toGroup, ' ', t('tm_to_group_pool'))),
          personField, groupField);
      } else {
        parts.push(field(id('person'), t('tm_person'), person, personErr));
      }
      if (!colleagues.filter((p) => !exclude.includes(p.username)).length) parts.push(el('p', { class: 'muted', text: t('tm_no_colleague') }));
    }
    parts.push(field(id('reason'), t('tm_reason'), reason, reasonErr));
    const failure = el('div');
    const submit = el('button', { type: 'submit', class: 'primary', text: t('tm_submit') });
    const form = el('form', { class: 'task-move-form', novalidate: true, 'data-testid': `task-${kind}-form` },
      el('h3', { text: t('tm_' + kind) }), ...parts, failure,
      el('div', { class: 'actions' }, submit, el('button', { type: 'button', text: t('tm_cancel'), onclick: () => form.remove() })));
    [[person, personErr], [group, groupErr], [reason, reasonErr]].forEach(([control, slot]) => {
      if (control) control.addEventListener('input', () => setError(slot, control, '')); // while typing: no layout shift at the click
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const text = reason.value.trim();
      let ok = true;
      setError(reasonErr, reason, text ? '' : t('tm_reason_required'));
      if (!text) ok = false;
      const body = { reason: text };
      if (toGroup && toGroup.checked) {
        setError(groupErr, group, group.value ? '' : t('tm_group_required'));
        if (!group.value) ok = false;
        body.group = group.value;
      } else if (person) {
        setError(personErr, person, person.value ? '' : t('tm_person_required'));
        if (!person.value) ok = false;
        body.username = person.value;
      }
      if (!ok) { form.querySelector('[aria-invalid="true"]').focus(); return; }
      submit.disabled = true;
      try {
        await api('POST', path(task, kind === 'reassign' ? 'assign' : kind), body);
        toast(t({ release: 'tm_released', delegate: 'tm_delegated', reassign: 'tm_reassigned' }[kind]));
        await reload();
      } catch (err) {
        submit.disabled = false;
        showError(failure, err);
      }
    });
    host.replaceChildren(form);
    (person && !(toGroup && toGroup.checked) ? person : reason).focus();
  }

  function panel(task, reload) {
    const box = el('section', { class: 'card task-moves', 'aria-labelledby': 'task-moves-h', 'data-testid': 'task-moves' });
    const open = task.status === 'ready' || task.status === 'claimed';
    const holder = task.status === 'claimed' && task.assignee === me.username;
    const supervisor = me.role === 'supervisor';
    const kinds = [];
    if (open && task.status === 'claimed' && (holder || supervisor)) kinds.push('release');
    if (open && holder) kinds.push('delegate');
    if (open && supervisor) kinds.push('reassign');
    if (!kinds.length) { box.hidden = true; return box; }
    const host = el('div');
    box.append(el('h2', { id: 'task-moves-h', text: t('tm_title') }),
      el('div', { class: 'actions' }, kinds.map((k) => el('button', { type: 'button', 'data-testid': `task-${k}`,
        text: t('tm_' + k), onclick: () => openForm(host, task, k, reload) }))), host);
    return box;
  }

  function eventDetail(e) {
    const d = e.data || {};
    const parts = [];
    if (e.kind === 'task_regrouped' && d.group) parts.push(`${t('tm_to_group')} ${t('group_' + d.group)}`);
    if (e.kind === 'handover') {
      if (d.from) parts.push(`${t('tm_from')} ${d.from}`);
      if (d.tasks && d.tasks.length) parts.push(t('tm_tasks_n').replace('{n}', d.tasks.length));
      if (d.case_owner) parts.push(t('tm_case_owner'));
      if (d.note) parts.push(`${t('tm_note')}：${d.note}`);
    }
    return parts;
  }

  window.tjTaskActions = { panel, eventDetail };
})();
