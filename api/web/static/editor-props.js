// The editor's properties panel: id and name of the selected element, the lane/group and form
// of user tasks, timer expressions, and the SLA rule that applies. Every model edit goes through
// bpmn-js modeling commands, so undo/redo cover them.
(function () {
  'use strict';
  const { api, el, t, toast } = window.tj;
  const FORM_PROPERTY = 'formJsonSchemaFilename';
  const LANE_GROUPS = { 窗口受理: 'intake', 访前工作室律师: 'lawyer', 调解员: 'mediator', 司法所: 'supervisor', 街道领导: 'leader' };
  const CLOCKS = ['natural', 'workdays', 'hours'];
  const ID_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

  function spiffProps(bo) {
    const ext = bo.extensionElements;
    return ext && (ext.values || []).find((v) => v.$type === 'spiffworkflow:Properties');
  }

  function spiffProperty(bo, name) {
    const props = spiffProps(bo);
    const hit = props && (props.properties || []).find((p) => p.name === name);
    return hit ? hit.value : null;
  }

  function timerOf(bo) {
    return (bo.eventDefinitions || []).find((d) => d.$type === 'bpmn:TimerEventDefinition') || null;
  }

  function laneOf(bo) {
    for (let node = bo; node && node.$type !== 'bpmn:Process'; node = node.$parent) {
      const lanes = (node.$instanceOf && node.$instanceOf('bpmn:FlowNode') && node.get('lanes')) || [];
      const leaf = lanes.find((l) => !l.childLaneSet) || lanes[lanes.length - 1];
      if (leaf) return leaf;
    }
    return null;
  }

  // One undo step that creates extensionElements / spiffworkflow:properties as needed and sets a property.
  function spiffPropertyHandler(modeling, moddle) {
    return {
      preExecute({ element, name, value }) {
        const bo = element.businessObject;
        let ext = bo.extensionElements;
        if (!ext) {
          if (!value) return;
          ext = moddle.create('bpmn:ExtensionElements', { values: [] });
          modeling.updateProperties(element, { extensionElements: ext });
        }
        let props = spiffProps(bo);
        if (!props) {
          if (!value) return;
          props = moddle.create('spiffworkflow:Properties', { properties: [] });
          modeling.updateModdleProperties(element, ext, { values: [...(ext.values || []), props] });
        }
        const list = props.properties || [];
        const prop = list.find((p) => p.name === name);
        if (prop && value) modeling.updateModdleProperties(element, prop, { value });
        else if (prop) modeling.updateModdleProperties(element, props, { properties: list.filter((p) => p !== prop) });
        else if (value) {
          const created = moddle.create('spiffworkflow:Property', { name, value });
          modeling.updateModdleProperties(element, props, { properties: [...list, created] });
        }
      },
    };
  }

  function field(id, label, control, hint) {
    control.id = id;
    return el('div', { class: 'field' }, el('label', { for: id, text: label }), control,
      hint ? el('span', { class: 'hint', text: hint }) : null);
  }

  // ctx: {processKey(), forms() {file: schema}, rules() [rule], canEditSla}
  function create(modeler, ctx) {
    const modeling = modeler.get('modeling');
    const moddle = modeler.get('moddle');
    const canvas = modeler.get('canvas');
    const eventBus = modeler.get('eventBus');
    modeler.get('commandStack').register('tj.setSpiffProperty', spiffPropertyHandler(modeling, moddle));
    const box = el('div', { id: 'props', 'data-testid': 'properties', 'aria-live': 'polite' });
    let current = null;

    function rootProcess() {
      const root = canvas.getRootElement();
      const bo = root && root.businessObject;
      if (!bo) return [null, null];
      if (bo.$type === 'bpmn:Collaboration') {
        const p = (bo.participants || []).find((x) => x.processRef);
        return [root, p ? p.processRef : null];
      }
      return [root, bo];
    }

    function idField(element, bo, update) {
      const input = el('input', { type: 'text', value: bo.id, autocomplete: 'off', spellcheck: 'false' });
      const error = el('span', { class: 'field-error', hidden: true, text: t('ed_id_invalid') });
      input.addEventListener('change', () => {
        const id = input.value.trim();
        if (id === bo.id) return;
        const ok = ID_RE.test(id) && !moddle.ids.assigned(id);
        error.hidden = ok;
        input.setAttribute('aria-invalid', String(!ok));
        if (ok) update({ id });
      });
      const f = field('prop-id', t('ed_id'), input);
      f.append(error);
      return f;
    }

    function nameField(update) {
      const bo = current ? current.businessObject : rootProcess()[1];
      const input = el('input', { type: 'text', value: bo.name || '' });
      input.addEventListener('change', () => update(input.value));
      return field('prop-name', t('ed_name'), input);
    }

    function laneSection(bo) {
      const lane = laneOf(bo);
      const laneName = lane ? (lane.name || lane.id) : t('ed_no_lane');
      const group = spiffProperty(bo, 'candidateGroup') || (lane ? LANE_GROUPS[lane.name] || lane.name : '') || '—';
      return el('div', { class: 'field' },
        el('dl', { class: 'fields' },
          el('dt', { text: t('ed_lane') }), el('dd', { 'data-testid': 'prop-lane', text: laneName }),
          el('dt', { text: t('ed_group') }), el('dd', { 'data-testid': 'prop-group', text: group })),
        el('span', { class: 'hint', text: t('ed_lane_hint') }));
    }

    function formSection(element, bo) {
      const forms = ctx.forms();
      const chosen = spiffProperty(bo, FORM_PROPERTY) || '';
      const names = Object.keys(forms).sort();
      if (chosen && !names.includes(chosen)) names.unshift(chosen);
      const select = el('select', {},
        el('option', { value: '', text: t('ed_no_form') }),
        names.map((n) => el('option', { value: n, selected: n === chosen,
          text: n + (forms[n] && forms[n].title ? ' — ' + forms[n].title : '') })));
      select.addEventListener('change', () => {
        modeler.get('commandStack').execute('tj.setSpiffProperty', { element, name: FORM_PROPERTY, value: select.value });
      });
      const title = chosen && forms[chosen] ? forms[chosen].title || '' : '';
      const edit = ctx.editForm ? el('button', { type: 'button', class: 'small', 'data-testid': 'edit-form',
        text: t(chosen ? 'fed_edit' : 'fed_new'), onclick: () => ctx.editForm(element) }) : null;  // form-editor.js
      return [field('prop-form', t('ed_form'), select), edit,
        title ? el('p', { class: 'hint', 'data-testid': 'prop-form-title' }, t('ed_form_title') + '：', title) : null];
    }

    // The timer panel in the office's words (editor-timers.js): no free Python box.
    function timerSection(element, def) {
      return window.tjEditorTimers.section(element, def, { modeling, moddle, field });
    }

    function ruleForm(rule) {
      const base = 'sla-' + rule.key;
      const duration = el('input', { type: 'number', min: 1, max: 366, value: rule.duration, disabled: !ctx.canEditSla });
      const clock = el('select', { disabled: !ctx.canEditSla },
        CLOCKS.map((c) => el('option', { value: c, selected: c === rule.clock, text: t('ed_clock_' + c) })));
      const save = el('button', { type: 'button', class: 'small', text: t('ed_sla_save'), hidden: !ctx.canEditSla });
      save.addEventListener('click', async () => {
        try {
          const updated = await api('PUT', '/api/v1/deadlines/sla-rules/' + encodeURIComponent(rule.key),
            { duration: Number(duration.value), clock: clock.value });
          Object.assign(rule, updated);
          toast(t('ed_sla_saved'), 'info');
        } catch (err) { toast(err.message, 'error'); }
      });
      return el('fieldset', { 'data-testid': base },
        el('legend', { text: rule.name }),
        el('div', { class: 'row2' }, field(base + '-duration', t('ed_sla_duration'), duration),
          field(base + '-clock', t('ed_sla_clock'), clock)),
        save);
    }

    function slaSection(bo) {
      const rules = ctx.rules().filter((r) => r.process_key === ctx.processKey() && r.element_id === bo.id);
      return [el('h3', { text: t('ed_sla') }),
        ...(rules.length ? rules.map(ruleForm) : [el('p', { class: 'muted', text: t('ed_no_sla') })])];
    }

    function elementPanel(element) {
      const bo = element.businessObject;
      const parts = [el('h2', { text: t('ed_props') }),
        el('p', { class: 'muted', 'data-testid': 'prop-type' }, t('ed_type') + '：', el('code', { text: bo.$type.replace('bpmn:', '') })),
        idField(element, bo, (attrs) => modeling.updateProperties(element, attrs)),
        nameField((name) => modeling.updateLabel(element, name))];
      if (bo.$type === 'bpmn:UserTask') parts.push(laneSection(bo), ...formSection(element, bo), ...slaSection(bo));
      const timer = timerOf(bo);
      if (timer) parts.push(...timerSection(element, timer), ...slaSection(bo));
      return parts;
    }

    function processPanel() {
      const [root, bo] = rootProcess();
      if (!bo) return [el('p', { class: 'muted', text: t('ed_select_hint') })];
      const update = (attrs) => modeling.updateModdleProperties(root, bo, attrs);
      return [el('h2', { text: t('ed_process') }), idField(root, bo, update), nameField((name) => update({ name })),
        el('p', { class: 'hint', text: t('ed_select_hint') })];
    }

    function render() {
      const focused = document.activeElement && box.contains(document.activeElement) ? document.activeElement.id : null;
      if (current && !modeler.get('elementRegistry').get(current.id)) current = null;
      const isRoot = !current || current === canvas.getRootElement() || current.type === 'bpmn:Participant';
      box.replaceChildren(...(isRoot ? processPanel() : elementPanel(current)).filter(Boolean));
      if (focused) {
        const again = document.getElementById(focused);
        if (again) again.focus();
      }
    }

    eventBus.on('selection.changed', (e) => { current = e.newSelection.length === 1 ? e.newSelection[0] : null; render(); });
    eventBus.on('elements.changed', (e) => {
      if (!current || e.elements.some((x) => x === current || x.id === current.id)) render();
    });
    eventBus.on('import.done', () => { current = null; render(); });
    return { element: box, render };
  }

  window.tjEditorProps = { create, spiffProperty, timerOf };
})();
