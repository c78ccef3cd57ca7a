// Case page, the 流程异常 card (issue 17): the case's own failed steps and failing emails with the same buttons
// as the 异常 page (exceptions.js), suspend / resume / end, and what was done. Supervisors and admins only.
// Called by case.js after the page is drawn: window.tjCaseExceptions.render(root, caseDetail, reload).
(function () {
  'use strict';
  const { PAGE, api, el, t, fmtTime } = window.tj;
  const OFFICE = ['supervisor', 'admin'];

  async function render(root, c, reload) {
    if (!PAGE.user || !OFFICE.includes(PAGE.user.role) || !window.tjExceptions) return;
    let data;
    try { data = await api('GET', `/api/v1/cases/${c.id}/exceptions`); } catch (err) { return; }
    const live = data.status === 'active' || data.status === 'suspended';
    if (!live && !data.incidents.length && !data.emails.length && !data.actions.length) return;
    const X = window.tjExceptions;
    const history = data.actions.length ? el('ul', { class: 'exc-history', 'data-testid': 'exc-history' },
      data.actions.map((a) => el('li', {}, `${fmtTime(a.at)} · ${a.actor} · ${t('exc_act_' + a.action, t('exc_case_history'))}`,
        a.reason ? ` · ${a.reason}` : ''))) : null;
    const card = el('section', { class: 'card exc-card', 'data-testid': 'case-exceptions', 'aria-labelledby': 'exc-card-h' },
      el('h2', { id: 'exc-card-h', text: t('exc_case_card') }),
      data.status === 'suspended' ? el('p', { class: 'exc-suspended', 'data-testid': 'exc-suspended', text: t('exc_case_suspended') }) : null,
      data.incidents.length || live ? X.incidents(data.incidents, reload, false) : null,
      data.emails.length ? X.emails(data.emails, reload, false) : null,
      live ? el('div', { class: 'actions exc-case-actions' }, X.caseActions(c.id, data.status, reload)) : null,
      history ? [el('h3', { text: t('exc_case_history') }), history] : null);
    const old = root.querySelector('[data-testid="case-exceptions"]');
    if (old) old.replaceWith(card); else root.append(card);
  }

  window.tjCaseExceptions = { render };
})();
