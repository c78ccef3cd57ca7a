// Task page: the task's form from its JSON schema, prefilled from the draft (else the case data);
// claim, save draft, complete. Field errors from the API go next to the fields plus a summary on top.
(function () {
  'use strict';
  const { PAGE, api, el, t, toast, fmtTime, dueBadge, calMark, showError, ApiError } = window.tj;
  const root = document.getElementById('task-page');
  const taskId = PAGE.params.task_id;
  const me = PAGE.user;
  let form = null;
  let state = null;

  function hasAttachments(schema) {
    return JSON.stringify(schema || {}).includes('"format":"attachments"');
  }

  async function load() {
    try {
      state = await api('GET', `/api/v1/tasks/${encodeURIComponent(taskId)}/form`);
    } catch (err) {
      root.replaceChildren(el('h1', { text: t('task_title') }));
      showError(root.appendChild(el('div')), err);
      return;
    }
    let attachments = [];
    if (hasAttachments(state.schema)) {
      try { attachments = await api('GET', `/api/v1/cases/${state.task.case_id}/attachments`); } catch (e) { attachments = []; }
    }
    draw(attachments);
  }

  function mine(task) { return task.status === 'claimed' && task.assignee === me.username; }
  function inGroup(task) { return me.role === 'supervisor' || task.group === me.role; }

  function header(task) {
    const status = { ready: t('task_status_ready'), claimed: t('task_status_claimed'), completed: t('task_status_completed') }[task.status] || task.status;
    return el('div', { class: 'task-head' },
      el('h1', { text: task.name }),
      el('dl', { class: 'fields task-meta' },
        el('dt', { text: t('cw_case_number') }),
        el('dd', {}, el('a', { href: `/cases/${task.case_id}`, 'data-testid': 'task-case-link', text: task.case_number })),
        el('dt', { text: t('cw_task_group') }), el('dd', { text: t('group_' + task.group, task.group || '—') }),
        el('dt', { text: t('task_assignee') }), el('dd', { 'data-testid': 'task-assignee', text: task.assignee || t('task_unclaimed') }),
        el('dt', { text: t('task_status') }), el('dd', { 'data-testid': 'task-status', text: status }),
        el('dt', { text: t('task_due') }),
        el('dd', {}, task.due_at ? [dueBadge(task.seconds_remaining, task.overdue_by), ' ', el('span', { class: 'muted', text: fmtTime(task.due_at) }), ' ', calMark(task)] : '—')));
  }

  function draw(attachments) {
    const task = state.task;
    const editable = mine(task);
    const summary = el('div', { class: 'error-summary', id: 'error-summary', tabindex: '-1', role: 'alert', hidden: true, 'data-testid': 'error-summary' });
    const notice = el('p', { class: 'notice', 'data-testid': 'task-notice', hidden: true });
    const body = el('div', { class: 'form-host' });
    const actions = el('div', { class: 'actions' });
    const formEl = el('form', { novalidate: true, 'aria-labelledby': 'task-form-title' },
      el('h2', { id: 'task-form-title', text: window.tjForm.title(state.schema) || task.name }),
      window.tjForm.description(state.schema) ? el('p', { class: 'muted', text: window.tjForm.description(state.schema) }) : null,
      body, actions);
    const docsHost = el('div', { class: 'documents-host' });
    const screeningHost = el('div', { class: 'screening-host' }); // 诉访分离: screening.js
    root.replaceChildren(header(task), summary, notice, screeningHost, formEl, docsHost);

    if (state.draft) {
      notice.textContent = t('task_draft_loaded');
      notice.hidden = false;
    }
    if (!state.schema) body.append(el('p', { class: 'muted', text: t('task_no_form') }));
    form = window.tjForm.render(body, state.schema || { type: 'object', properties: {} }, state.draft || state.data, {
      readonly: !editable, idPrefix: 'task', caseId: task.case_id, taskId: task.id, attachments,
    });

    if (task.status === 'ready' && inGroup(task)) {
      actions.append(el('button', { type: 'button', class: 'primary', onclick: claim, text: t('claim') }));
      notice.textContent = t('task_claim_first');
      notice.hidden = false;
    } else if (editable) {
      actions.append(
        el('button', { type: 'submit', class: 'primary', text: t('task_complete') }),
        el('button', { type: 'button', onclick: saveDraft, text: t('task_save_draft') }));
    } else if (task.status === 'claimed') {
      notice.textContent = t('task_held_by').replace('{user}', task.assignee);
      notice.hidden = false;
    }
    actions.append(el('a', { href: '/', class: 'button-like', text: t('task_back') }));
    // 文书: the papers this step offers, made from the form as it is filled in (documents.js)
    if (window.tjDocs) window.tjDocs.taskPanel(docsHost, { task, form });
    if (window.tjScreening && state.screening) window.tjScreening.panel(screeningHost, { screening: state.screening, schema: state.schema, form, formEl });
    // 退回 / 委托 / 改派 with a reason (task-actions.js)
    if (window.tjTaskActions) root.insertBefore(window.tjTaskActions.panel(task, load), docsHost);
    formEl.addEventListener('submit', (e) => { e.preventDefault(); complete(); });

    function fail(err) {
      summary.replaceChildren();
      summary.hidden = true;
      const code = err instanceof ApiError && err.body && err.body.error;
      if (code && window.tj.PAGE.t['err_' + code]) {
        // a refused action the page explains in its own words (e.g. the signed agreement is missing)
        const text = window.tj.PAGE.t['err_' + code];
        const target = Object.keys(err.body.fields || {})[0];
        const f = target && form.field(target.replace(/^data\./, ''));
        if (f) form.setError(target.replace(/^data\./, ''), text);
        summary.append(el('h2', { text: t('task_errors_title') }),
          el('p', { 'data-testid': 'error-code', dataset: { code } }, text),
          docsHost.firstChild ? el('p', {}, el('a', { href: '#task-documents-h', text: t('doc_panel') })) : null);
        summary.hidden = false;
        summary.focus();
        return;
      }
      if (err instanceof ApiError && err.status === 422 && err.body && err.body.fields) {
        const list = form.showErrors(err.body);
        summary.append(el('h2', { text: t('task_errors_title') }),
          el('ul', {}, list.map((e) => el('li', {}, e.id ? el('a', { href: '#' + e.id, text: e.label }) : e.label, window.tj.LANG === 'en' ? ': ' : '：', e.message))));
        summary.hidden = false;
        summary.focus();
      } else if (err instanceof ApiError && err.status === 409) {
        summary.append(el('p', { text: t('task_conflict') }), el('p', { class: 'muted', text: err.message }),
          el('p', {}, el('a', { href: '/', text: t('task_back') })));
        summary.hidden = false;
        summary.focus();
      } else {
        showError(summary, err);
        summary.hidden = false;
        summary.focus();
      }
    }

    tjForm.linkSummary(summary);

    async function claim() {
      try {
        await api('POST', `/api/v1/tasks/${encodeURIComponent(task.id)}/claim`);
        toast(t('claimed'));
        await load();
      } catch (err) { fail(err); }
    }

    async function saveDraft() {
      try {
        await api('PUT', `/api/v1/tasks/${encodeURIComponent(task.id)}/draft`, { data: form.values() });
        form.clearErrors();
        summary.hidden = true;
        toast(t('task_draft_saved'));
      } catch (err) { fail(err); }
    }

    async function complete() {
      const local = state.schema && window.tjCheck && window.tjCheck.form(state.schema, form.values());
      if (local) { fail(new ApiError(422, { fields: local })); return; } // the server's checks, before sending
      const buttons = actions.querySelectorAll('button');
      buttons.forEach((b) => { b.disabled = true; });
      try {
        await api('POST', `/api/v1/tasks/${encodeURIComponent(task.id)}/complete`, { data: form.values() });
        sessionStorage.setItem('tj-toast', t('task_completed_toast').replace('{name}', task.name).replace('{case}', task.case_number));
        location.assign('/');
      } catch (err) {
        buttons.forEach((b) => { b.disabled = false; });
        fail(err);
      }
    }
  }

  document.addEventListener('DOMContentLoaded', load);
})();
