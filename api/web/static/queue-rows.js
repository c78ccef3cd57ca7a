// What a queue row shows of its case (issue 16): the applicant (name, masked phone), the risk colour as a
// coloured label with its name, the 群体性纠纷 marker, the one-line summary. Shared by the queue and 我的包案.
(function () {
  'use strict';
  const { el, t } = window.tj;
  const RISKS = ['red', 'orange', 'yellow'];

  function applicant(item) {
    const a = item.applicant;
    if (!a) return null;
    return el('div', { class: 'applicant small', 'data-testid': 'queue-applicant' },
      el('span', { class: 'muted', text: t('queue_applicant_of') }), el('span', { text: a.name }),
      a.phone ? el('span', { class: 'muted', text: ' ' + a.phone }) : null);
  }

  function flags(item) {
    const out = [];
    if (RISKS.includes(item.risk_level)) {
      out.push(el('span', { class: `risk-label risk-${item.risk_level}`, 'data-testid': 'queue-risk',
        title: t('case_risk'), text: t('queue_risk').replace('{level}', t('v_risk_level_' + item.risk_level)) }));
    }
    if (item.group_case) {
      out.push(el('span', { class: 'group-mark', 'data-testid': 'queue-group',
        text: t('queue_group_case').replace('{n}', String(item.people_count)) }));
    }
    return out.length ? el('div', { class: 'flags' }, ...out) : null;
  }

  function summary(item) {
    return item.summary ? el('div', { class: 'summary small', 'data-testid': 'queue-summary', text: item.summary }) : null;
  }

  window.tjQueueRows = { applicant, flags, summary };
})();
