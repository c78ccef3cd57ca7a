// 受理登记: pick the intake channel, fill the intake form, register the case in one request
// (POST /api/v1/cases starts the case and completes its intake task in one transaction: an invalid
// form registers nothing). Shows the case number, related cases and the repeat-petitioner flag.
(function () {
  'use strict';
  const { PAGE, api, el, t, toast, fmtTime, showError, ApiError } = window.tj;
  const root = document.getElementById('intake-page');
  const me = PAGE.user;
  const PROCESS = 'dispute_case';
  // fields that only some channels need: field -> channels
  const CHANNEL_FIELDS = { mailbox_location: ['law_mailbox'], referring_body: ['transfer_in', 'court_delegated'] };
  const CHANNEL_SOURCE = { court_delegated: 'court_entrusted', transfer_in: 'government_assigned' };

  async function intakeSchema() {
    try {
      const found = await api('GET', `/api/v1/processes/${PROCESS}/start-form`);
      const schema = found.schema;
      const places = found.communities;
      if (places && places.length > 1 && schema.properties && schema.properties.community) {
        schema.properties.community = { ...schema.properties.community, enum: places };
      }
      return schema;
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404) throw err;
    }
    // before the start-form endpoint: the form of the process's first intake task
    const processes = await api('GET', '/api/v1/processes');
    const p = processes.find((x) => x.key === PROCESS);
    if (!p) throw new ApiError(404, { message: t('intake_no_process') });
    const v = await api('GET', `/api/v1/processes/${PROCESS}/versions/${p.version}`);
    const task = v.user_tasks.find((u) => u.group === 'intake' && u.form) || v.user_tasks.find((u) => u.form);
    return v.forms[task.form];
  }

  function today() {
    return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  }

  async function start() {
    let schema;
    try { schema = await intakeSchema(); } catch (err) {
      root.replaceChildren(el('h1', { text: t('nav_new_case') }));
      showError(root.appendChild(el('div')), err);
      return;
    }
    draw(schema);
  }

  function draw(schema) {
    const channelSchema = (schema.properties || {}).channel || { enum: [] };
    const channels = window.tjForm.choices(channelSchema) || [];
    const asked = new URLSearchParams(location.search).get('channel');
    let channel = channels.some((c) => c.value === asked) ? asked : null;

    const channelError = el('p', { class: 'field-error', id: 'intake-channel-error', hidden: true });
    const picker = el('fieldset', { class: 'field channels', id: 'intake-channel', role: 'radiogroup',
      'aria-labelledby': 'intake-channel-legend', 'aria-required': 'true', 'data-testid': 'channel-picker' },
    el('legend', { id: 'intake-channel-legend', text: t('intake_channel') }),
    el('div', { class: 'channel-tiles' }, channels.map((c, i) => el('span', { class: 'tile' },
      el('input', { type: 'radio', name: 'channel', id: 'intake-channel-' + i, value: c.value, checked: c.value === channel }),
      el('label', { for: 'intake-channel-' + i, text: PAGE.lang === 'en' ? t('ch_' + c.value, c.label) : c.label })))),
    channelError);

    const summary = el('div', { class: 'error-summary', tabindex: '-1', role: 'alert', hidden: true, 'data-testid': 'error-summary' });
    const body = el('div', { class: 'form-host' });
    const submit = el('button', { type: 'submit', class: 'primary', text: t('intake_submit') });
    const formEl = el('form', { novalidate: true, 'aria-labelledby': 'intake-title' },
      picker, body, el('div', { class: 'actions' }, submit));
    const result = el('div', { class: 'intake-result', 'data-testid': 'intake-result', hidden: true, tabindex: '-1' });
    root.replaceChildren(el('h1', { id: 'intake-title', text: t('nav_new_case') }),
      el('p', { class: 'muted', text: window.tjForm.description(schema) }), result, summary, formEl);

    const initial = { received_on: today() };
    if (me.communities && me.communities.length === 1) initial.community = me.communities[0];
    const form = window.tjForm.render(body, schema, initial, { idPrefix: 'intake', omit: ['channel'] });

    function showChannelFields() {
      for (const [key, only] of Object.entries(CHANNEL_FIELDS)) {
        const f = form.field(key);
        if (f) f.wrap.hidden = !only.includes(channel);
      }
    }
    picker.addEventListener('change', (e) => {
      channel = e.target.value;
      channelError.hidden = true;
      picker.removeAttribute('aria-invalid');
      picker.classList.remove('invalid');
      showChannelFields();
      const source = CHANNEL_SOURCE[channel];
      const sourceField = form.field('source');
      if (source && sourceField) {
        const i = (window.tjForm.choices(schema.properties.source) || []).findIndex((c) => c.value === source);
        const radio = document.getElementById(`intake-source-${i}`);
        if (radio && !sourceField.wrap.querySelector('input:checked')) radio.checked = true;
      }
    });
    showChannelFields();

    function values() {
      const data = form.values();
      for (const [key, only] of Object.entries(CHANNEL_FIELDS)) if (!only.includes(channel)) delete data[key];
      if (channel) data.channel = channel;
      return data;
    }

    function showFailure(err) {
      summary.replaceChildren();
      if (err instanceof ApiError && err.status === 422 && err.body && err.body.fields) {
        const list = form.showErrors(err.body);
        for (const e of list) {
          if (e.path.replace(/^data\./, '') === 'channel') {
            channelError.textContent = e.message;
            channelError.hidden = false;
            picker.setAttribute('aria-invalid', 'true');
            picker.setAttribute('aria-describedby', channelError.id);
            picker.classList.add('invalid');
            e.label = t('intake_channel');
            e.id = 'intake-channel-0';
          }
        }
        summary.append(el('h2', { text: t('task_errors_title') }), el('ul', {}, list.map((e) =>
          el('li', {}, e.id ? el('a', { href: '#' + e.id, text: e.label }) : e.label, window.tj.LANG === 'en' ? ': ' : '：', e.message))));
      } else {
        showError(summary, err);
      }
      summary.hidden = false;
      summary.focus();
    }

    tjForm.linkSummary(summary);

    formEl.addEventListener('submit', async (e) => {
      e.preventDefault();
      summary.hidden = true;
      form.clearErrors();
      channelError.hidden = true;
      const local = window.tjCheck && window.tjCheck.form(schema, values()); // every problem at once, before sending
      if (local) { showFailure(new ApiError(422, { fields: local })); return; }
      submit.disabled = true;
      try {
        const made = await api('POST', '/api/v1/cases', { process_key: PROCESS, data: values() });
        showResult(made);
        toast(t(made.repeat_visit ? 'intake_visit_done' : 'intake_done').replace('{case}', made.case_number));
      } catch (err) {
        showFailure(err);
      } finally {
        submit.disabled = false;
      }
    });

    function showResult(made) {
      formEl.hidden = true;
      const related = made.related_cases || [];
      result.replaceChildren(
        el('h2', { text: t(made.repeat_visit ? 'intake_repeat_visit_title' : 'intake_registered') }),
        made.repeat_visit ? el('p', { class: 'badge overdue', 'data-testid': 'repeat-visit',
          text: `${t('intake_repeat_visit')}（${t('intake_visit_count')}：${made.visit_count}）` }) : null,
        el('dl', { class: 'fields' },
          el('dt', { text: t('cw_case_number') }),
          el('dd', {}, el('a', { href: `/cases/${made.id}`, 'data-testid': 'new-case-number', text: made.case_number })),
          el('dt', { text: t('intake_next') }),
          el('dd', { text: (made.open_tasks || []).map((x) => x.name).join('、') || '—' }),
          el('dt', { text: t('intake_repeat') }),
          el('dd', { 'data-testid': 'repeat-petitioner' }, made.repeat_petitioner
            ? el('span', { class: 'badge overdue', text: t('intake_repeat_yes') }) : t('form_no'))),
        el('h3', { text: t('intake_related') }),
        related.length
          ? el('ul', { 'data-testid': 'related-cases' }, related.map((r) => el('li', {},
            el('a', { href: `/cases/${r.id}`, text: r.case_number }), ' ',
            el('span', { class: 'muted', text: `${t('dt_' + r.dispute_type, r.dispute_type || '')} · ${r.status} · ${fmtTime(r.created_at)}` }))))
          : el('p', { class: 'muted', text: t('intake_no_related') }),
        el('div', { class: 'actions' },
          el('a', { href: `/cases/${made.id}`, class: 'button-like primary', text: t('intake_open_case') }),
          el('a', { href: '/cases/new', class: 'button-like', text: t('intake_another') })));
      result.hidden = false;
      result.focus();
    }
  }

  document.addEventListener('DOMContentLoaded', start);
})();
