// Form editor (supervisors, admins): a user task's form (JSON Schema) edited as a list of fields — add, remove,
// reorder (buttons, keyboard), type, required, choices (value + Chinese + English label), help text and labels in
// Chinese and English — with a live preview drawn by the task page's own renderer (form.js), the engine's checks
// of the form (POST /processes/forms/validate) and of the preview's data (POST /processes/forms/try).
// window.tjFormEditor.mount(container, {schema}) -> {schema(), result(), check()}; the dialog and the process
// editor's hooks are in form-editor-dialog.js.
// Whatever the field editor does not know (nested lists, attachments, if/then rules, extra keywords) is kept as is.
(function () {
  'use strict';
  const { api, el, t, toast } = window.tj;
  const API = '/api/v1/processes/forms';
  const TYPES = ['text', 'textarea', 'number', 'integer', 'date', 'select', 'radio', 'boolean'];
  const FORMATS = ['', 'cn-mobile', 'cn-phone', 'cn-landline', 'cn-resident-id', 'cn-uscc'];
  const TYPE_KEYS = ['type', 'format', 'enum', 'x-enumNames', 'x-enumNames-en', 'enumNames', 'x-widget', 'maxLength',
    'minLength', 'minimum', 'maximum', 'pattern', 'items', 'oneOf', 'default', 'const', 'x-id-type-field'];
  const KEY_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
  const clone = (v) => JSON.parse(JSON.stringify(v));
  const labelOf = (p) => (window.tj.LANG === 'en' && p['x-title-en']) || p.title || '';  // in the page's language
  let uid = 0;

  function typeOf(p) {
    const type = Array.isArray(p.type) ? p.type.find((x) => x !== 'null') : p.type;
    if (Array.isArray(p.enum) && (!type || type === 'string')) {
      if (p['x-widget'] === 'select' || p['x-widget'] === 'radio') return p['x-widget'];
      return p.enum.length <= 4 ? 'radio' : 'select';
    }
    if (p.oneOf || p.enum) return 'other';
    if (type === 'boolean') return 'boolean';
    if (type === 'number' || type === 'integer') return type;
    if (type !== 'string') return 'other';
    if (p.format === 'date') return 'date';
    if (p.format && !FORMATS.includes(p.format) && p.format !== 'cn-id-number') return 'other';
    if (p['x-widget'] === 'textarea' || (p.maxLength || 0) > 200) return 'textarea';
    return 'text';
  }

  // The field editor's model: [{uid, key, prop, required, fresh}] in the form's order (as form.js orders it).
  function fieldsOf(schema) {
    const props = schema.properties || {};
    const first = (Array.isArray(schema['x-order']) ? schema['x-order'] : schema.required || []).filter((k) => k in props);
    const required = new Set(schema.required || []);
    return [...new Set([...first, ...Object.keys(props)])].map((key) =>
      ({ uid: ++uid, key, prop: clone(props[key]), required: required.has(key), fresh: false }));
  }

  function toSchema(form, fields) {
    const out = clone(form);
    out.type = 'object';
    out.properties = Object.fromEntries(fields.map((f) => [f.key, f.prop]));
    out.required = fields.filter((f) => f.required).map((f) => f.key);
    out['x-order'] = fields.map((f) => f.key);
    for (const key of ['title', 'x-title-en', 'description', 'x-description-en']) if (out[key] === '') delete out[key];
    return clone(out);  // a copy: nothing outside the editor holds its fields
  }

  function setType(prop, type) {
    const before = typeOf(prop);
    const choices = ['select', 'radio'];
    if (choices.includes(before) && choices.includes(type)) { prop['x-widget'] = type; return; }
    for (const key of TYPE_KEYS) delete prop[key];
    if (type === 'text') Object.assign(prop, { type: 'string', maxLength: 200 });
    else if (type === 'textarea') Object.assign(prop, { type: 'string', 'x-widget': 'textarea', maxLength: 2000 });
    else if (type === 'number' || type === 'integer' || type === 'boolean') prop.type = type;
    else if (type === 'date') Object.assign(prop, { type: 'string', format: 'date' });
    else if (choices.includes(type)) {
      Object.assign(prop, { type: 'string', enum: ['option_1'], 'x-enumNames': [''], 'x-enumNames-en': [''], 'x-widget': type });
    }
  }

  // A text control bound to a key of an object: empty text removes the key.
  function textInput(id, obj, key, onChange, attrs) {
    const input = el('input', { type: 'text', id, value: obj[key] || '', autocomplete: 'off', ...(attrs || {}) });
    input.addEventListener('input', () => {
      if (input.value.trim()) obj[key] = input.value; else delete obj[key];
      onChange();
    });
    return input;
  }

  function labelled(id, label, control) {
    return el('div', { class: 'field' }, el('label', { for: id, text: label }), control);
  }

  function mount(container, options) {
    const form = clone(options.schema || { type: 'object', properties: {} });
    const fields = fieldsOf(form);
    delete form.properties; delete form.required; delete form['x-order'];
    const list = el('ol', { class: 'fe-fields', 'data-testid': 'fe-fields' });
    const problemsBox = el('div', { class: 'fe-problems', 'aria-live': 'polite', 'data-testid': 'fe-problems' });
    const previewHost = el('div', { class: 'form-host fe-preview-form' });
    const previewSummary = el('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true,
      'data-testid': 'fe-preview-summary' });
    const previewStatus = el('p', { class: 'ed-ok', role: 'status', hidden: true, 'data-testid': 'fe-preview-ok' });
    let preview = null;
    let lastProblems = [];
    let checkTimer = null;
    let checkSeq = 0;

    const schema = () => toSchema(form, fields);
    // Where a problem is: the form, a field by its label (else its position), or a name only in <code>.
    function problemItem(p) {
      const i = fields.findIndex((x) => x.key === p.field);
      const what = t('fed_problem_' + p.kind, t('fed_problem_other'));
      const colon = window.tj.LANG === 'en' ? ': ' : '：';
      if (p.field === '(form)') return [t('fed_the_form'), colon, what];
      if (i < 0) return [el('code', { text: p.field }), colon, what];
      const name = labelOf(fields[i].prop) || t('fed_field_number').replace('{n}', String(i + 1));
      return [t('fed_field_named').replace('{name}', name), colon, what];
    }

    function showProblems(problems) {
      lastProblems = problems;
      for (const node of list.querySelectorAll('.fe-field')) {
        const mine = problems.filter((p) => p.field === node.dataset.key);
        node.classList.toggle('invalid', mine.length > 0);
      }
      if (!problems.length) {
        problemsBox.replaceChildren(el('p', { class: 'ed-ok', 'data-testid': 'fe-valid', text: t('fed_valid') }));
        return;
      }
      problemsBox.replaceChildren(el('p', { class: 'error', text: t('fed_invalid') }),
        el('ul', {}, problems.map((p) => el('li', { dataset: { field: p.field, kind: p.kind } }, problemItem(p)))));
    }

    async function check() {
      const seq = ++checkSeq;
      try {
        const result = await api('POST', `${API}/validate`, { schema: schema() });
        if (seq === checkSeq) showProblems(result.problems);
        return result.problems;
      } catch (err) {
        if (seq === checkSeq) problemsBox.replaceChildren(el('p', { class: 'error', role: 'alert', text: err.message }));
        return null;
      }
    }

    function drawPreview() {
      const values = preview ? preview.values() : {};
      previewSummary.hidden = true;
      previewStatus.hidden = true;
      try {
        const shown = schema();  // a field not yet labelled shows as such, not by its name in the data
        for (const prop of Object.values(shown.properties)) if (prop && typeof prop === 'object' && !prop.title) prop.title = t('fed_untitled');
        preview = window.tjForm.render(previewHost, shown, values, { idPrefix: 'fe-pv' });
      } catch (err) {
        previewHost.replaceChildren(el('p', { class: 'error', text: t('fed_preview_failed') }));
        preview = null;
      }
    }

    function changed() {
      drawPreview();
      clearTimeout(checkTimer);
      checkTimer = setTimeout(check, 300);
      if (options.onChange) options.onChange();
    }

    async function tryPreview() {
      if (!preview) return;
      previewSummary.hidden = true;
      previewStatus.hidden = true;
      preview.clearErrors();
      try {
        await api('POST', `${API}/try`, { schema: schema(), data: preview.values() });
        previewStatus.textContent = t('fed_try_ok');
        previewStatus.hidden = false;
      } catch (err) {
        if (err.status === 422 && err.body && err.body.fields) {
          const found = preview.showErrors(err.body);
          previewSummary.replaceChildren(el('h3', { text: t('task_errors_title') }),
            el('ul', {}, found.map((e) => el('li', {}, e.id ? el('a', { href: '#' + e.id, text: e.label }) : e.label,
              window.tj.LANG === 'en' ? ': ' : '：', e.message))));
        } else if (err.status === 422 && err.body && err.body.problems) {
          previewSummary.replaceChildren(el('p', { text: t('fed_invalid') }));
        } else {
          previewSummary.replaceChildren(el('p', { text: err.message }));
        }
        previewSummary.hidden = false;
        previewSummary.focus();
      }
    }

    function move(field, by, focusWhich) {
      const i = fields.indexOf(field);
      const j = i + by;
      if (j < 0 || j >= fields.length) return;
      fields.splice(i, 1);
      fields.splice(j, 0, field);
      drawList();
      changed();
      const again = document.getElementById(`fed-${field.uid}-${focusWhich}`);
      const target = again && !again.disabled ? again : document.getElementById(`fed-${field.uid}-${focusWhich === 'up' ? 'down' : 'up'}`);
      if (target) target.focus();
      toast(t('fed_moved').replace('{name}', labelOf(field.prop) || t('fed_field_number').replace('{n}', String(j + 1))).replace('{n}', String(j + 1)), 'info');
    }

    function remove(field) {
      const i = fields.indexOf(field);
      fields.splice(i, 1);
      drawList();
      changed();
      const next = fields[Math.min(i, fields.length - 1)];
      const target = next ? document.getElementById(`fed-${next.uid}-label`) : addButton;
      if (target) target.focus();
    }

    function choicesEditor(field) {
      const p = field.prop;
      const box = el('fieldset', { class: 'fe-choices', 'data-testid': 'fe-choices' }, el('legend', { text: t('fed_choices') }));
      const zh = p['x-enumNames'] = Array.isArray(p['x-enumNames']) ? p['x-enumNames'] : (p.enumNames || []).slice();
      delete p.enumNames;
      const en = p['x-enumNames-en'] = Array.isArray(p['x-enumNames-en']) ? p['x-enumNames-en'] : [];
      while (zh.length < p.enum.length) zh.push('');
      while (en.length < p.enum.length) en.push('');
      const rows = el('div', { class: 'fe-choice-rows' });
      p.enum.forEach((value, i) => {
        const base = `fed-${field.uid}-c${i}`;
        const valueInput = el('input', { type: 'text', id: base + '-value', value: String(value), autocomplete: 'off', spellcheck: 'false' });
        valueInput.addEventListener('input', () => { p.enum[i] = typeof value === 'number' && String(value) === valueInput.value ? value : valueInput.value; changed(); });
        const zhInput = el('input', { type: 'text', id: base + '-zh', value: zh[i] || '' });
        zhInput.addEventListener('input', () => { zh[i] = zhInput.value; changed(); });
        const enInput = el('input', { type: 'text', id: base + '-en', value: en[i] || '' });
        enInput.addEventListener('input', () => { en[i] = enInput.value; changed(); });
        const drop = el('button', { type: 'button', class: 'small', text: t('fed_remove_choice'),
          'aria-label': t('fed_remove_choice') + ' ' + (i + 1) });
        drop.addEventListener('click', () => {
          p.enum.splice(i, 1); zh.splice(i, 1); en.splice(i, 1);
          redrawField(field, `fed-${field.uid}-add-choice`);
          changed();
        });
        rows.append(el('div', { class: 'fe-choice', 'data-testid': 'fe-choice' },
          labelled(base + '-value', t('fed_choice_value') + ' ' + (i + 1), valueInput),
          labelled(base + '-zh', t('fed_choice_zh') + ' ' + (i + 1), zhInput),
          labelled(base + '-en', t('fed_choice_en') + ' ' + (i + 1), enInput), drop));
      });
      const add = el('button', { type: 'button', class: 'small', id: `fed-${field.uid}-add-choice`, text: t('fed_add_choice') });
      add.addEventListener('click', () => {
        let n = p.enum.length + 1;
        while (p.enum.includes('option_' + n)) n += 1;
        p.enum.push('option_' + n); zh.push(''); en.push('');
        redrawField(field, `fed-${field.uid}-c${p.enum.length - 1}-zh`);
        changed();
      });
      box.append(rows, add);
      return box;
    }

    function fieldCard(field, index) {
      const p = field.prop;
      const base = `fed-${field.uid}`;
      const type = typeOf(p);
      const nameOf = () => labelOf(p) || t('fed_field_number').replace('{n}', String(index + 1));
      const up = el('button', { type: 'button', class: 'small', id: base + '-up', disabled: index === 0,
        text: '↑', 'aria-label': t('fed_move_up') + ' ' + nameOf() });
      up.addEventListener('click', () => move(field, -1, 'up'));
      const down = el('button', { type: 'button', class: 'small', id: base + '-down', disabled: index === fields.length - 1,
        text: '↓', 'aria-label': t('fed_move_down') + ' ' + nameOf() });
      down.addEventListener('click', () => move(field, 1, 'down'));
      const drop = el('button', { type: 'button', class: 'small danger', id: base + '-remove', text: t('fed_remove_field'),
        'aria-label': t('fed_remove_field') + ' ' + nameOf() });
      drop.addEventListener('click', () => remove(field));
      const heading = el('span', { class: 'fe-field-title', id: base + '-heading' },
        el('span', { class: 'fe-num', text: String(index + 1) + '.' }), ' ', labelOf(p) || t('fed_untitled'),
        field.required ? el('span', { class: 'req', text: ' *' }) : null);
      const head = el('div', { class: 'fe-field-head' }, heading, el('code', { text: field.key }),
        el('span', { class: 'spacer' }), up, down, drop);

      const refreshHeading = () => {
        heading.replaceChildren(el('span', { class: 'fe-num', text: String(index + 1) + '.' }), ' ',
          labelOf(p) || t('fed_untitled'), field.required ? el('span', { class: 'req', text: ' *' }) : null);
        const name = nameOf();
        up.setAttribute('aria-label', t('fed_move_up') + ' ' + name);
        down.setAttribute('aria-label', t('fed_move_down') + ' ' + name);
        drop.setAttribute('aria-label', t('fed_remove_field') + ' ' + name);
      };
      const grid = el('div', { class: 'fe-grid' });
      if (field.fresh) {
        const key = el('input', { type: 'text', id: base + '-key', value: field.key, autocomplete: 'off', spellcheck: 'false',
          'aria-describedby': base + '-key-hint' });
        const keyError = el('span', { class: 'field-error', id: base + '-key-error', hidden: true });
        key.addEventListener('change', () => {
          const next = key.value.trim();
          const taken = fields.some((f) => f !== field && f.key === next);
          const bad = !KEY_RE.test(next) || taken;
          keyError.textContent = taken ? t('fed_key_taken') : t('fed_problem_key_invalid');
          keyError.hidden = !bad;
          key.setAttribute('aria-invalid', String(bad));
          if (!bad && next !== field.key) { field.key = next; head.querySelector('code').textContent = next; changed(); }
        });
        grid.append(el('div', { class: 'field' }, el('label', { for: base + '-key', text: t('fed_key') }), key,
          el('span', { class: 'hint', id: base + '-key-hint', text: t('fed_key_hint') }), keyError));
      }
      const onLabel = () => { refreshHeading(); changed(); };
      grid.append(labelled(base + '-label', t('fed_label_zh'), textInput(base + '-label', p, 'title', onLabel)),
        labelled(base + '-label-en', t('fed_label_en'), textInput(base + '-label-en', p, 'x-title-en', changed)));
      if (type === 'other') {
        grid.append(el('p', { class: 'hint', 'data-testid': 'fe-kept', text: t('fed_type_other') }));
      } else {
        const select = el('select', { id: base + '-type' },
          TYPES.map((k) => el('option', { value: k, selected: k === type, text: t('fed_type_' + k) })));
        select.addEventListener('change', () => { setType(p, select.value); redrawField(field, base + '-type'); changed(); });
        grid.append(labelled(base + '-type', t('fed_type'), select));
        if (type === 'text') {
          const current = p.format || '';
          const formats = FORMATS.includes(current) ? FORMATS : [...FORMATS, current];
          const fmt = el('select', { id: base + '-format' },
            formats.map((f) => el('option', { value: f, selected: f === current, text: t('fed_format_' + (f || 'none').replace(/-/g, '_')) })));
          fmt.addEventListener('change', () => { if (fmt.value) p.format = fmt.value; else delete p.format; changed(); });
          grid.append(labelled(base + '-format', t('fed_format'), fmt));
        }
      }
      const required = el('input', { type: 'checkbox', id: base + '-required', checked: field.required });
      required.addEventListener('change', () => { field.required = required.checked; refreshHeading(); changed(); });
      grid.append(el('div', { class: 'field fe-check' }, required, el('label', { for: base + '-required', text: t('fed_required') })));
      grid.append(labelled(base + '-help', t('fed_help_zh'), textInput(base + '-help', p, 'description', changed)),
        labelled(base + '-help-en', t('fed_help_en'), textInput(base + '-help-en', p, 'x-description-en', changed)));
      const card = el('li', { class: 'fe-field', dataset: { key: field.key }, 'data-testid': 'fe-field',
        'aria-labelledby': base + '-heading' }, head, grid);
      if (type === 'select' || type === 'radio') card.append(choicesEditor(field));
      return card;
    }

    function redrawField(field, focusId) {
      const old = list.children[fields.indexOf(field)];
      if (old) old.replaceWith(fieldCard(field, fields.indexOf(field)));
      const target = focusId && document.getElementById(focusId);
      if (target) target.focus();
    }

    function drawList() {
      list.replaceChildren(...fields.map(fieldCard));
      if (!fields.length) list.append(el('li', { class: 'muted', text: t('fed_no_fields') }));
      showProblems(lastProblems.filter((p) => p.field === '(form)' || fields.some((f) => f.key === p.field)));
    }

    const addButton = el('button', { type: 'button', 'data-testid': 'fe-add-field', text: t('fed_add_field') });
    addButton.addEventListener('click', () => {
      let n = fields.length + 1;
      while (fields.some((f) => f.key === 'field_' + n)) n += 1;
      const field = { uid: ++uid, key: 'field_' + n, prop: { type: 'string', maxLength: 200 }, required: false, fresh: true };
      fields.push(field);
      drawList();
      changed();
      document.getElementById(`fed-${field.uid}-label`).focus();
    });

    const formId = 'fed-form';
    const formBox = el('fieldset', { class: 'fe-form-props' }, el('legend', { text: t('fed_form_props') }),
      el('div', { class: 'fe-grid' },
        labelled(formId + '-title', t('fed_form_title_zh'), textInput(formId + '-title', form, 'title', changed)),
        labelled(formId + '-title-en', t('fed_form_title_en'), textInput(formId + '-title-en', form, 'x-title-en', changed)),
        labelled(formId + '-desc', t('fed_form_desc_zh'), textInput(formId + '-desc', form, 'description', changed)),
        labelled(formId + '-desc-en', t('fed_form_desc_en'), textInput(formId + '-desc-en', form, 'x-description-en', changed))));
    const tryButton = el('button', { type: 'button', 'data-testid': 'fe-try', text: t('fed_try') });
    tryButton.addEventListener('click', tryPreview);
    window.tjForm.linkSummary(previewSummary);

    container.replaceChildren(el('div', { class: 'fe-layout' },
      el('section', { class: 'fe-edit', 'aria-labelledby': 'fed-fields-h' },
        formBox, el('h3', { id: 'fed-fields-h', text: t('fed_fields') }), list, addButton, problemsBox),
      el('section', { class: 'fe-preview', 'aria-labelledby': 'fed-preview-h', 'data-testid': 'fe-preview' },
        el('h3', { id: 'fed-preview-h', text: t('fed_preview') }),
        el('p', { class: 'hint', text: t('fed_preview_hint') }), previewSummary, previewHost, tryButton, previewStatus)));
    drawList();
    drawPreview();
    check();

    // The edited form once the engine finds no problem in it, else null (the problems shown).
    async function result() {
      clearTimeout(checkTimer);
      const problems = await check();
      if (problems === null) return null;
      if (problems.length) {
        const first = problemsBox.firstChild;
        first.setAttribute('tabindex', '-1');
        first.focus();
        return null;
      }
      return schema();
    }
    return { schema, result, check };
  }

  window.tjFormEditor = { mount, typeOf, toSchema };  // open, editTask, fromUrl: form-editor-dialog.js
})();
