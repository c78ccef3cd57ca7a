// Case page, the case file (卷宗) card: a supervisor files a closed case (立卷归档); once filed, its number,
// retention and 卷内目录, the whole-file PDF, and reopening (重新开卷) with a reason; a filed case shows as read-only.
// Called by case.js after the page is drawn: window.tjCaseFile.render(root, caseDetail).
(function () {
  'use strict';
  const { PAGE, api, ApiError, el, t, fmtTime, toast } = window.tj;
  const CLOSED = ['completed', 'cancelled'];
  const isSupervisor = () => PAGE.user && PAGE.user.role === 'supervisor';

  function card(...body) {
    return el('section', { class: 'card case-file', 'data-testid': 'case-file', 'aria-labelledby': 'case-file-h' },
      el('h2', { id: 'case-file-h', text: t('file_title') }), ...body);
  }

  function pagesText(item) {
    if (!item.pages) return '—';
    return item.first_page === item.last_page ? String(item.first_page) : `${item.first_page}–${item.last_page}`;
  }

  function contents(list) {
    const rows = list.map((c) => el('tr', {},
      el('td', { text: String(c.seq) }), el('td', { text: c.title }), el('td', { text: c.number || '—' }),
      el('td', { text: c.issued_on_cn || c.issued_on || '—' }), el('td', { text: pagesText(c) }),
      el('td', { text: c.note || '' })));
    return el('div', { class: 'table-scroll' }, el('table', { 'data-testid': 'file-contents' },
      el('caption', { text: t('file_contents') }),
      el('thead', {}, el('tr', {}, ['file_seq', 'file_paper', 'file_doc_number', 'file_date', 'file_pages', 'file_note']
        .map((k) => el('th', { scope: 'col', text: t(k) })))),
      el('tbody', {}, rows)));
  }

  function reopenDialog(caseId, box) {
    const reason = el('textarea', { id: 'reopen-reason', 'data-testid': 'reopen-reason', rows: '3', maxlength: '500',
      required: true });
    const error = el('p', { class: 'error', role: 'alert', hidden: true });
    const dialog = el('dialog', { 'data-testid': 'reopen-dialog', 'aria-labelledby': 'reopen-h' },
      el('h3', { id: 'reopen-h', text: t('file_reopen') }),
      el('label', { for: 'reopen-reason', text: t('file_reopen_reason') }), reason, error,
      el('div', { class: 'actions' },
        el('button', { type: 'button', 'data-testid': 'reopen-confirm', text: t('file_reopen_confirm'),
          onclick: async () => {
            try {
              await api('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/file/reopen`, { reason: reason.value });
              dialog.close();
              toast(t('file_reopened'));
              location.reload();
            } catch (err) {
              error.textContent = (err.body && err.body.fields && err.body.fields.reason) || err.message;
              error.hidden = false;
            }
          } }),
        el('button', { type: 'button', class: 'secondary', text: t('cancel'), onclick: () => dialog.close() })));
    box.append(dialog);
    return dialog;
  }

  function fileButton(caseId, label) {
    return el('button', { type: 'button', 'data-testid': 'file-case', text: label, onclick: async (ev) => {
      ev.target.disabled = true;
      try {
        await api('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/file`);
        toast(t('file_done'));
        location.reload();
      } catch (err) {
        ev.target.disabled = false;
        toast(err.message, 'error');
      }
    } });
  }

  function filed(c, f) {
    const box = card();
    const dl = el('dl', { class: 'fields' });
    const rows = [
      ['file_number', f.file_number, 'file-number'],
      ['file_retention', f.retention_label + (f.retention_years ? ` (${f.retention_years} ${t('file_years')})` : ''), 'file-retention'],
      ['file_status', t(f.filed ? 'file_status_filed' : 'file_status_reopened'), 'file-status'],
      ['file_filed_by', `${f.filed_by} · ${fmtTime(f.filed_at)}`, null],
    ];
    if (f.pages) rows.push(['file_total_pages', String(f.pages), null]);
    if (!f.filed && f.reopen_reason) rows.push(['file_reopen_reason', `${f.reopen_reason} (${f.reopened_by} · ${fmtTime(f.reopened_at)})`, null]);
    for (const [key, value, testid] of rows) {
      dl.append(el('dt', { text: t(key) }), el('dd', { 'data-testid': testid, text: value }));
    }
    if (f.filed) box.append(el('p', { class: 'badge warning', 'data-testid': 'case-readonly', text: t('file_readonly') }));
    box.append(dl, contents(f.contents));
    const actions = el('div', { class: 'actions' },
      el('a', { class: 'button', href: f.pdf_url, download: `${f.file_number}.pdf`, 'data-testid': 'file-pdf',
        text: t('file_download') }));
    if (isSupervisor() && f.filed) {
      const dialog = reopenDialog(c.id, box);
      actions.append(' ', el('button', { type: 'button', class: 'secondary', 'data-testid': 'file-reopen',
        text: t('file_reopen'), onclick: () => dialog.showModal() }));
    }
    if (isSupervisor() && !f.filed && CLOSED.includes(c.status)) actions.append(' ', fileButton(c.id, t('file_again')));
    box.append(actions);
    return box;
  }

  async function render(root, c) {
    let f = null;
    // a file exists once the case was filed (its timeline says so): no request, no 404, for other cases
    if ((c.timeline || []).some((e) => e.kind === 'case_filed')) {
      try {
        f = await api('GET', `/api/v1/cases/${encodeURIComponent(c.id)}/file`);
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 404) toast(err.message, 'error');
      }
    }
    let box = null;
    if (f) box = filed(c, f);
    else if (CLOSED.includes(c.status) && isSupervisor()) {
      box = card(el('p', { class: 'muted', text: t('file_none') }), el('div', { class: 'actions' }, fileButton(c.id, t('file_case'))));
    }
    if (!box) return;
    const head = root.querySelector('.case-head');
    if (head) head.after(box); else root.prepend(box);
  }

  window.tjCaseFile = { render };
})();
