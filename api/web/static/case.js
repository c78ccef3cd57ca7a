// Case page (/cases/{id}): business fields, parties (masked as the API returns them), the process
// diagram (case-diagram.js), deadlines with time remaining and pauses, attachments, open tasks, timeline.
// Everything from the API goes into the page as text (tj.el), never as HTML.
(function () {
  'use strict';
  const { PAGE, api, ApiError, el, t, fmtTime, dueBadge, calMark, LANG } = window.tj;
  const root = document.getElementById('case-page');
  const caseId = PAGE.params && PAGE.params.case_id;

  // A code's label ("v_<field>_<code>" in i18n), the code itself when unknown.
  function label(field, code) {
    if (code === null || code === undefined || code === '') return '—';
    const key = `v_${field}_${code}`;
    return PAGE.t[key] || String(code);
  }

  function card(title, testid, ...body) {
    return el('section', { class: 'card', 'data-testid': testid, 'aria-labelledby': testid + '-h' },
      el('h2', { id: testid + '-h', text: title }), ...body);
  }

  function table(headers, rows, attrs) {
    return el('table', attrs || {},
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, rows));
  }

  function amount(value) {
    if (value === null || value === undefined) return '—';
    return '¥' + Number(value).toLocaleString(LANG === 'en' ? 'en-GB' : 'zh-CN', { minimumFractionDigits: 2 });
  }

  const SEP = LANG === 'en' ? ': ' : '：';
  const paren = (text) => (LANG === 'en' ? ` (${text})` : `（${text}）`);

  function yesNo(value) { return value === null || value === undefined ? '—' : t(value ? 'yes' : 'no'); }

  function fields(c, processes) {
    const proc = processes[c.process_key];
    const rows = [
      ['case_number', c.case_number],
      ['case_status', label('status', c.status)],
      ['case_process', (proc ? proc.name : c.process_key) + paren(`${t('case_version')} ${c.process_version}`)],
      ['case_channel', label('channel', c.channel)],
      ['case_source', label('source', c.source)],
      ['case_dispute_type', label('dispute_type', c.dispute_type)],
      ['case_request_kind', label('request_kind', c.request_kind)],
      ['community', c.community || '—'],
      ['case_amount', amount(c.amount)],
      ['case_people', c.people_count ?? '—'],
      ['case_risk', label('risk_level', c.risk_level)],
      ['case_outcome', label('outcome', c.outcome)],
      ['case_created', fmtTime(c.created_at)],
      ['case_updated', fmtTime(c.updated_at)],
    ];
    if (c.completed_at) rows.push(['case_completed', fmtTime(c.completed_at)]);
    if (c.repeat_petitioner) rows.push(['case_repeat', yesNo(true)]);
    if (c.over_level) rows.push(['case_over_level', yesNo(true)]);
    if (c.visit_count > 1) rows.push(['case_visit_count', String(c.visit_count)]);
    if (c.leader) rows.push(['case_leader', c.leader]);
    const dl = el('dl', { class: 'fields', 'data-testid': 'case-fields' });
    for (const [key, value] of rows) dl.append(el('dt', { text: t(key) }), el('dd', { dataset: { field: key }, text: value }));
    dl.append(el('dt', { text: t('case_summary') }), el('dd', { class: 'summary-text', dataset: { field: 'case_summary' },
      text: c.summary || '—' }));
    return card(t('case_fields'), 'case-fields-card', dl);
  }

  function parties(list) {
    if (!list.length) return card(t('case_parties'), 'case-parties', el('p', { class: 'muted', text: t('no_parties') }));
    const masked = (p, value) => [value || '—', p.masked && value ? el('span', { class: 'masked-tag', text: t('masked') }) : null];
    const rows = list.map((p) => el('tr', {},
      el('td', { text: label('role', p.role) }), el('td', { text: label('party_kind', p.party_kind) }),
      el('td', { text: p.name || '—' }), el('td', { text: label('id_type', p.id_type) }),
      el('td', { 'data-testid': 'party-id-number' }, masked(p, p.id_number)),
      el('td', { 'data-testid': 'party-phone' }, masked(p, p.phone)),
      el('td', { text: p.address || '—' })));
    return card(t('case_parties'), 'case-parties', table(
      ['party_role', 'party_kind', 'party_name', 'party_id_type', 'party_id_number', 'party_phone', 'party_address'].map(t),
      rows));
  }

  function openTasks(c) {
    if (!c.open_tasks.length) return card(t('case_open_tasks'), 'case-open-tasks', el('p', { class: 'muted', text: t('no_open_tasks') }));
    const items = c.open_tasks.map((task) => el('li', {},
      el('a', { href: `/tasks/${encodeURIComponent(task.id)}`, text: task.name }), ' ',
      el('span', { class: 'muted', text: label('group', task.group) }), ' ',
      task.due_at ? el('span', { class: 'muted', text: fmtTime(task.due_at) }) : null, ' ',
      calMark((c.deadlines || []).find((d) => d.task_id === task.id)),
      task.overdue_by ? [' ', dueBadge(null, task.overdue_by)] : null));
    return card(t('case_open_tasks'), 'case-open-tasks', el('ul', {}, items));
  }

  function attachments(list) {
    if (!list) return null;
    if (!list.length) return card(t('case_attachments'), 'case-attachments', el('p', { class: 'muted', text: t('no_attachments') }));
    const rows = list.map((a) => el('tr', {},
      el('td', { text: label('attachment', a.kind) }),
      el('td', {}, el('a', { href: a.url || `/api/v1/attachments/${encodeURIComponent(a.id)}`, download: a.filename, text: a.filename })),
      el('td', { text: `${Math.max(1, Math.round(a.size / 1024))} KB` }),
      el('td', { text: a.uploaded_by || '—' }), el('td', { text: fmtTime(a.uploaded_at) })));
    return card(t('case_attachments'), 'case-attachments', table(
      ['attachment_kind', 'attachment_name', 'attachment_size', 'attachment_by', 'event_when'].map(t), rows));
  }

  // A short, plain-text detail of an event (reason, assignee, outcome …).
  function eventDetail(e) {
    const d = e.data || {};
    const parts = [];
    if (e.kind === 'case_started' && d.number) parts.push(d.number);
    if (d.reason) parts.push(d.reason);
    if (d.to) parts.push('→ ' + d.to);
    if (e.kind === 'case_completed' && d.outcome) parts.push(label('outcome', d.outcome));
    if (e.kind === 'case_migrated') parts.push(`v${d.from_version} → v${d.to_version}`);
    if (e.kind === 'deadline_extended' && d.extension_kind) parts.push(label('extension_kind', d.extension_kind));
    if (e.kind === 'deadline_extended' && d.new_due) parts.push(fmtTime(d.new_due));
    if (e.kind === 'deadline_extended' && d.party_told_on) parts.push((LANG === 'en' ? 'party told ' : '已告知 ') + d.party_told_on);
    if ((e.kind === 'case_paused' || e.kind === 'case_resumed') && d.pause_kind) parts.push(label('pause_kind', d.pause_kind));
    if (e.kind === 'case_paused' && d.approved_by) parts.push((LANG === 'en' ? 'approved by ' : '批准人 ') + d.approved_by);
    if (e.kind === 'case_date_changed') parts.push(`${label('case_date', d.name)} ${d.old || '—'} → ${d.new}`);
    if (e.kind === 'deadline_recomputed' && d.new_due) parts.push(d.old_due ? `${fmtTime(d.old_due)} → ${fmtTime(d.new_due)}` : fmtTime(d.new_due));
    if ((e.kind.startsWith('deadline_') || e.kind === 'case_paused') && d.name && !e.task_name) {
      parts.push(window.tjClocks ? window.tjClocks.eventClockName(e) : d.name);
    }
    if (window.tjClocks) parts.push(...window.tjClocks.eventDetail(e)); // clock events (case-clocks.js)
    if (e.kind === 'incident' && d.message) parts.push(d.message);
    if (window.tjDocs) parts.push(...window.tjDocs.eventDetail(e)); // documents and the case file (documents.js)
    if (window.tjTaskActions) parts.push(...window.tjTaskActions.eventDetail(e)); // moving work (task-actions.js)
    return parts.join(' · ');
  }

  function timeline(events) {
    const rows = events.map((e) => el('tr', { dataset: { kind: e.kind } },
      el('td', { class: 'when', text: fmtTime(e.at) }),
      el('td', { text: e.actor || t('system') }),
      el('td', {}, el('strong', { text: label('event', e.kind) }), e.task_name ? SEP + e.task_name : '',
        eventDetail(e) ? el('div', { class: 'detail', text: eventDetail(e) }) : null)));
    return card(t('case_timeline'), 'case-timeline', el('div', { class: 'table-scroll' },
      table(['event_when', 'event_who', 'event_what'].map(t), rows, { class: 'timeline' })));
  }

  function related(list) {
    if (!list.length) return null;
    return card(t('case_related'), 'case-related', el('ul', {}, list.map((r) => el('li', {},
      el('a', { href: `/cases/${r.id}`, text: r.case_number }), ' ',
      el('span', { class: 'muted', text: `${label('status', r.status)} · ${label('dispute_type', r.dispute_type)} · ${fmtTime(r.created_at)}` })))));
  }

  // The diagrams to offer: the case's process and every process it called (active or completed there).
  function diagramList(c, processes) {
    const completedFromTimeline = c.timeline.filter((e) => e.kind === 'task_completed' && e.element).map((e) => e.element);
    const main = processes[c.process_key];
    const list = [{ key: c.process_key, version: c.process_version, label: t('diagram_main') + SEP + (main ? main.name : c.process_key),
      active: c.active_elements || c.open_tasks.map((x) => x.element_id),
      completed: c.completed_elements || completedFromTimeline }];
    for (const sub of c.called_processes || []) {
      const proc = processes[sub.process_key];
      if (!proc || (!sub.active_elements.length && !sub.completed_elements.length)) continue;
      // the version the case runs (case detail), not the latest published one
      list.push({ key: sub.process_key, version: sub.version || proc.version, label: t('diagram_called') + SEP + proc.name,
        active: sub.active_elements, completed: sub.completed_elements });
    }
    return list;
  }

  function failure(err) {
    const status = err instanceof ApiError ? err.status : 0;
    const message = status === 404 ? t('case_not_found') : status === 403 ? t('case_forbidden') : null;
    if (!message) return window.tj.showError(root, err);
    root.replaceChildren(el('div', { class: 'card' }, el('h1', { text: t('case_title') }),
      el('p', { class: 'error', role: 'alert', 'data-testid': 'case-error', text: message }),
      el('p', {}, el('a', { href: '/', text: t('nav_queue') }))));
  }

  async function load() {
    let response;
    try {
      response = await api('GET', `/api/v1/cases/${encodeURIComponent(caseId)}`, null, { raw: true });
    } catch (err) {
      return failure(err);
    }
    const c = await response.json();
    const dated = Date.parse(response.headers.get('Date') || '');
    const first = c.deadlines[0];
    // The server's clock: exact from a deadline's seconds_remaining, else the response's Date header.
    const serverNow = first ? new Date(first.due_at).getTime() - first.seconds_remaining * 1000 : (dated || Date.now());
    const [processes, clocks] = await Promise.all([
      api('GET', '/api/v1/processes').then((list) => Object.fromEntries(list.map((p) => [p.key, p]))).catch(() => ({})),
      c.clocks ? Promise.resolve(c.clocks)
        : api('GET', `/api/v1/deadlines/cases/${encodeURIComponent(caseId)}`).catch(() => []),
    ]);
    document.title = `${c.case_number} · ${t('app_name')}`;
    const diagramBox = el('div');
    const documentsBox = el('div', { class: 'documents-host' }); // 文书 (documents.js)
    root.replaceChildren(
      el('div', { class: 'case-head card' },
        el('h1', { text: `${t('case_title')} ${c.case_number}` }),
        el('span', { class: 'status ' + c.status, 'data-testid': 'case-status', text: label('status', c.status) }),
        c.summary ? el('span', { class: 'muted', text: c.summary.length > 60 ? c.summary.slice(0, 60) + '…' : c.summary }) : null,
        window.tjClocks ? window.tjClocks.flags(c) : null),
      el('div', { class: 'case-grid' }, fields(c, processes),
        el('div', { class: 'side' }, openTasks(c),
          window.tjClocks.card(c, clocks, serverNow, load), related(c.related_cases))),
      card(t('case_diagram'), 'case-diagram-card', diagramBox),
      parties(c.parties),
      attachments(c.attachments),
      documentsBox,
      timeline(c.timeline));
    window.tjCaseDiagram.render(diagramBox, diagramList(c, processes));
    if (window.tjDocs) window.tjDocs.caseSection(documentsBox, c);
    if (window.tjCaseFile) window.tjCaseFile.render(root, c);  // the case file (卷宗): case-file.js
    if (window.tjCaseExceptions) window.tjCaseExceptions.render(root, c, load);  // 流程异常: case-exceptions.js
    if (window.tjClocks) window.tjClocks.stackTables(root);  // phone width (case-clocks.js)
  }

  document.addEventListener('DOMContentLoaded', load);
})();
