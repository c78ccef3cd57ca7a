// 我的包案 (issue 16): a leader's cases (cases.leader), each with its stage (open tasks), its clocks and their
// alerts (预警, 逾期, 督办至领导), from GET /api/v1/leader/cases. Shown on the queue page, above the tasks.
(function () {
  'use strict';
  const { api, el, t, fmtTime, ApiError } = window.tj;
  const rows = window.tjQueueRows;
  const ALERT_CLASS = { escalated: 'bad', overdue: 'bad', warned: 'warn', paused: 'muted' };

  function clockLine(c) {
    return el('li', { class: 'clock', 'data-testid': 'led-clock' },
      el('span', { text: c.name }), ' ', el('span', { class: 'muted small', text: t('queue_due_at').replace('{time}', fmtTime(c.due_at)) }),
      c.alert ? el('span', { class: `alert-label ${ALERT_CLASS[c.alert] || ''}`, 'data-testid': 'led-alert',
        text: t('led_alert_' + c.alert) + (c.overdue_by ? ' ' + t('led_overdue_days').replace('{n}', String(c.overdue_by.days)) : '') }) : null);
  }

  function card(c) {
    const stage = c.tasks.length
      ? c.tasks.map((x) => t('led_task_of').replace('{task}', x.name).replace('{group}', t('v_group_' + x.group, t('queue_group_other')))
        + (x.assignee ? ' · ' + x.assignee : '')).join(t('led_list_sep'))
      : t('led_no_open_task');
    return el('li', { class: 'led-case' + (c.alert ? ' alert-' + c.alert : ''), 'data-testid': 'led-case', dataset: { caseId: String(c.id) } },
      el('div', { class: 'led-head' }, el('a', { href: `/cases/${c.id}`, text: c.case_number }),
        c.alert ? el('span', { class: `alert-label ${ALERT_CLASS[c.alert] || ''}`, text: t('led_alert_' + c.alert) }) : null,
        c.paused ? el('span', { class: 'alert-label muted', text: t('led_paused') }) : null),
      rows.applicant(c), rows.flags(c), rows.summary(c),
      el('div', { class: 'small' }, el('span', { class: 'muted', text: t('led_stage_of') }), el('span', { text: stage })),
      c.clocks.length ? el('ul', { class: 'clocks' }, c.clocks.map(clockLine)) : null);
  }

  function section() {
    const list = el('ul', { class: 'led-cases' });
    const status = el('p', { class: 'muted', text: t('loading') });
    const node = el('section', { class: 'queue-section led', id: 'my-cases', 'data-testid': 'my-led-cases', 'aria-labelledby': 'my-cases-title' },
      el('h2', { id: 'my-cases-title', text: t('led_title') }), status, list);
    api('GET', '/api/v1/leader/cases').then((answer) => {
      status.textContent = answer.items.length ? '' : t('led_none');
      status.hidden = !!answer.items.length;
      list.replaceChildren(...answer.items.map(card));
    }).catch((err) => {
      status.textContent = err instanceof ApiError ? err.message : t('error');
      status.className = 'error';
    });
    return node;
  }

  window.tjQueueLeader = { section };
})();
