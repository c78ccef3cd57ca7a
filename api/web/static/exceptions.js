// 异常 (issue 17): failed steps, failing emails and stuck cases, each with its actions. window.tjExceptions
// builds the tables and the reason form; the /exceptions page draws its three sections with them and
// case-exceptions.js draws one case's card. Every action but a retry asks for a reason first.
(function () {
  'use strict';
  const { api, ApiError, el, t, toast, fmtTime } = window.tj;
  const fmt = (key, values) => t(key).replace(/\{(\w+)\}/g, (_, k) => (values[k] === undefined ? '' : values[k]));

  function table(heads, rows, testid) {
    return el('div', { class: 'table-scroll' }, el('table', { 'data-testid': testid, class: 'exc-table' },
      el('thead', {}, el('tr', {}, heads.map((h) => el('th', { scope: 'col', text: t(h) })))), el('tbody', {}, rows)));
  }

  // A button that runs ``send(reason)``; with ``needsReason`` it first opens a small form for the reason.
  function action(label, testid, needsReason, send, done) {
    const host = el('span', { class: 'exc-action' });
    const button = el('button', { type: 'button', 'data-testid': testid, text: t(label) });
    async function run(reason) {
      button.disabled = true;
      try {
        const out = await send(reason);
        done(out);
      } catch (err) {
        button.disabled = false;
        const body = err instanceof ApiError ? err.body || {} : {};
        if (body.error === 'step_failed') toast(fmt('exc_failed_again', { message: body.detail || '' }), 'error');
        else toast(err instanceof ApiError ? err.message : t('error'), 'error');
        done(null);
      }
    }
    button.addEventListener('click', () => {
      if (!needsReason) { run(null); return; }
      const box = el('textarea', { rows: '2', maxlength: '2000', 'aria-label': t('exc_reason'), 'data-testid': 'exc-reason' });
      const problem = el('p', { class: 'error', role: 'alert', hidden: true, text: t('exc_reason_required') });
      const form = el('form', { class: 'exc-reason', novalidate: true },
        el('label', { text: t('exc_reason') }), box, problem,
        el('button', { type: 'submit', class: 'primary', 'data-testid': 'exc-confirm', text: t('exc_confirm') }), ' ',
        el('button', { type: 'button', text: t('exc_cancel'), onclick: () => { form.remove(); button.hidden = false; } }));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        if (!box.value.trim()) { problem.hidden = false; box.focus(); return; }
        run(box.value.trim());
      });
      button.hidden = true;
      host.append(form);
      box.focus();
    });
    host.append(button);
    return host;
  }

  const post = (path, body) => api('POST', path, body);
  const caseLink = (id, number) => (id ? el('a', { href: `/cases/${id}`, text: number || String(id) }) : '—');
  const tpl = (code) => t('exc_tpl_' + code, t('exc_tpl_other'));

  function incidentRows(items, reload, withCase) {
    return items.map((i) => el('tr', { 'data-testid': 'exc-incident', dataset: { id: String(i.id) } },
      withCase ? el('td', {}, caseLink(i.case_id, i.case_number)) : null,
      el('td', {}, i.task_name || '', i.task_name ? ' ' : '', el('code', { text: i.element_id || '—' })),
      el('td', { class: 'exc-error' }, el('code', { text: i.message })),
      el('td', { text: fmtTime(i.at) }), el('td', { text: String(i.attempts) }), el('td', { text: i.actor || t('system') }),
      el('td', { class: 'exc-actions' },
        action('exc_retry', 'exc-retry', false, () => post(`/api/v1/incidents/${i.id}/retry`), (out) => {
          if (out) toast(fmt('exc_done_retry', { case: out.case_number }) + (out.open_tasks.length
            ? ` · ${t('exc_next_tasks')}：${out.open_tasks.map((x) => x.name).join('、')}` : ''));
          reload();
        }),
        i.element_id ? action('exc_skip', 'exc-skip', true, (reason) => post(`/api/v1/incidents/${i.id}/skip`, { reason }),
          (out) => { if (out) toast(fmt('exc_done_skip', { case: out.case_number })); reload(); }) : null,
        caseActions(i.case_id, i.case_status, reload))));
  }

  function caseActions(caseId, status, reload) {
    const done = (key) => (out) => { if (out) toast(fmt(key, { case: out.case_number })); reload(); };
    return [
      status === 'active' ? action('exc_suspend', 'exc-suspend', true,
        (reason) => post(`/api/v1/cases/${caseId}/suspend`, { reason }), done('exc_done_suspend')) : null,
      status === 'suspended' ? action('exc_reactivate', 'exc-reactivate', true,
        (reason) => post(`/api/v1/cases/${caseId}/reactivate`, { reason }), done('exc_done_reactivate')) : null,
      status === 'active' || status === 'suspended' ? action('exc_end', 'exc-end', true,
        (reason) => post(`/api/v1/cases/${caseId}/end`, { reason }), done('exc_done_end')) : null,
    ];
  }

  function emailRows(items, reload, withCase) {
    return items.map((m) => el('tr', { 'data-testid': 'exc-email', dataset: { id: String(m.id) } },
      withCase ? el('td', {}, caseLink(m.case_id, m.case_number)) : null,
      el('td', { text: tpl(m.template) }), el('td', { text: m.to_user || m.to_address }),
      el('td', { class: 'exc-error' }, el('code', { text: m.error || '—' })),
      el('td', { text: fmtTime(m.failed_at) }), el('td', { text: String(m.attempts) }),
      el('td', { class: 'exc-actions' },
        action('exc_email_retry', 'exc-email-retry', false, () => post(`/api/v1/emails/${m.id}/retry`),
          (out) => { if (out) toast(t('exc_done_email_retry')); reload(); }),
        action('exc_email_drop', 'exc-email-drop', true, (reason) => post(`/api/v1/emails/${m.id}/drop`, { reason }),
          (out) => { if (out) toast(t('exc_done_email_drop')); reload(); }))));
  }

  function incidents(items, reload, withCase) {
    if (!items.length) return el('p', { class: 'muted', 'data-testid': 'exc-no-incidents', text: t('exc_none_incidents') });
    const heads = [withCase ? 'exc_case' : null, 'exc_element', 'exc_error', 'exc_at', 'exc_attempts', 'exc_submitted_by',
      'exc_actions'].filter(Boolean);
    return table(heads, incidentRows(items, reload, withCase), 'exc-incidents');
  }

  function emails(items, reload, withCase) {
    if (!items.length) return el('p', { class: 'muted', 'data-testid': 'exc-no-emails', text: t('exc_none_emails') });
    const heads = [withCase ? 'exc_case' : null, 'exc_mail', 'exc_to', 'exc_error', 'exc_failed_at', 'exc_tries',
      'exc_actions'].filter(Boolean);
    return table(heads, emailRows(items, reload, withCase), 'exc-emails');
  }

  function stuck(items, reload) {
    if (!items.length) return el('p', { class: 'muted', 'data-testid': 'exc-no-stuck', text: t('exc_none_stuck') });
    const rows = items.map((c) => el('tr', { 'data-testid': 'exc-stuck', dataset: { id: String(c.id) } },
      el('td', {}, caseLink(c.id, c.case_number)), el('td', {}, el('code', { text: c.process_key })),
      el('td', { text: c.community || '—' }), el('td', { text: fmtTime(c.updated_at) }),
      el('td', { class: 'exc-actions' }, caseActions(c.id, 'active', reload))));
    return table(['exc_case', 'exc_process', 'exc_community', 'exc_updated', 'exc_actions'], rows, 'exc-stuck-table');
  }

  window.tjExceptions = { incidents, emails, stuck, caseActions, action };

  const page = document.getElementById('exceptions-body');
  if (!page) return;
  async function load() {
    let data;
    try { data = await api('GET', '/api/v1/exceptions'); } catch (err) { window.tj.showError(page, err); return; }
    const section = (key, count, body) => el('section', { class: 'exc-section', 'data-testid': 'exc-section-' + key },
      el('h2', { text: `${t('exc_' + key)}（${count}）` }), body);
    page.replaceChildren(
      section('incidents', data.incidents.length, incidents(data.incidents, load, true)),
      section('emails', data.emails.length, emails(data.emails, load, true)),
      section('stuck', data.stuck.length, stuck(data.stuck, load)));
  }
  load();
})();
