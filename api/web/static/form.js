// JSON-Schema form renderer shared by the task page and the intake page.
// window.tjForm.render(container, schema, data, {readonly, idPrefix, caseId, taskId, attachments, omit})
//   -> {values(), showErrors(apiErrorBody) -> [{path, label, message, id}], clearErrors(), setError(path, msg),
//       addAttachment(path, attachment), field(path)}
// Supports what bpmn/forms/*.json use: strings (text, textarea, date, date-time), numbers, booleans (是/否),
// enums (x-enumNames / enumNames / oneOf const+title; "x-widget": "select" | "radio" picks the control), arrays of objects or strings, nested objects,
// and attachment lists ("format": "attachments"). Every control has a <label for>; errors sit next to it.
// In English (tj.LANG 'en') the "x-title-en" / "x-description-en" / "x-enumNames-en" texts are used when present.
(function () {
  'use strict';
  const { el, t, api, LANG } = window.tj;
  const EN = LANG === 'en';
  const titleOf = (s) => (s && ((EN && s['x-title-en']) || s.title)) || '';
  const descOf = (s) => (s && ((EN && s['x-description-en']) || s.description)) || '';
  const LONG_TEXT = 200; // maxLength above which a string is a textarea
  const RADIO_MAX = 4; // enums with at most this many choices are radios

  function choices(s) {
    if (Array.isArray(s.oneOf) && s.oneOf.every((o) => o && 'const' in o)) {
      return s.oneOf.map((o) => ({ value: o.const, label: o.title || String(o.const) }));
    }
    if (!Array.isArray(s.enum)) return null;
    const zh = s['x-enumNames'] || s.enumNames || [];
    const names = EN && Array.isArray(s['x-enumNames-en']) ? s['x-enumNames-en'].map((n, i) => n || zh[i]) : zh;
    return s.enum.map((v, i) => ({ value: v, label: names[i] || String(v) }));
  }

  // Property order: "x-order" when the schema gives one, else required fields in their listed order, then the
  // rest. (PostgreSQL's JSONB does not keep object key order; arrays keep theirs, so this is stable everywhere.)
  function ordered(s) {
    const props = s.properties || {};
    const first = (Array.isArray(s['x-order']) ? s['x-order'] : s.required || []).filter((k) => k in props);
    const keys = [...new Set([...first, ...Object.keys(props)])];
    return keys.map((k) => [k, props[k]]);
  }

  const idOf = (prefix, path) => prefix + '-' + (path.join('-') || 'root').replace(/[^\w-]/g, '_');
  const isEmpty = (v) => v === undefined || v === null || v === '';

  function render(container, schema, data, options) {
    const opts = Object.assign({ readonly: false, idPrefix: 'f', attachments: [], omit: [] }, options || {});
    const fields = new Map(); // dotted path -> {wrap, control, error, label}
    const adders = new Map(); // dotted path of an attachments field -> add(attachment)
    const ro = opts.readonly;

    function register(path, wrap, control, label) {
      const error = el('p', { class: 'field-error', id: idOf(opts.idPrefix, path) + '-error', hidden: true });
      wrap.append(error);
      const key = path.join('.');
      fields.set(key, { wrap, control, error, label });
      const clear = () => setError(key, null);
      if (control !== wrap || wrap.classList.contains('radios')) wrap.addEventListener('change', clear);
      if (control !== wrap) wrap.addEventListener('input', clear);
    }

    function labelNode(forId, s, required, name) {
      return el('label', { for: forId }, titleOf(s) || name, required ? el('span', { class: 'req', 'aria-hidden': 'true', text: ' *' }) : null);
    }

    function hint(s, id) {
      return descOf(s) ? el('span', { class: 'hint', id, text: descOf(s) }) : null;
    }

    // One node: returns {node, get}
    function build(s, value, path, name, required) {
      s = s || {};
      if (isEmpty(value) && s.default !== undefined) value = s.default;
      const id = idOf(opts.idPrefix, path);
      const hintId = s.description ? id + '-hint' : null;
      const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
      const opt = choices(s);
      if (type === 'object' || (s.properties && !type)) return buildObject(s, value || {}, path, name, required);
      if (type === 'array' && s.format === 'attachments') return buildAttachments(s, value, path, name, required);
      if (type === 'array') return buildArray(s, Array.isArray(value) ? value : [], path, name, required);
      if (type === 'boolean' || (opt && (s['x-widget'] === 'radio' || (opt.length <= RADIO_MAX && s['x-widget'] !== 'select')))) {
        const list = type === 'boolean' ? [{ value: true, label: t('form_yes') }, { value: false, label: t('form_no') }] : opt;
        return buildRadios(s, list, value, path, name, required, hintId);
      }
      const wrap = el('div', { class: 'field', dataset: { path: path.join('.') } });
      let control;
      if (opt) {
        control = el('select', { id, name: path.join('.') },
          el('option', { value: '', text: t('form_choose') }),
          opt.map((o, i) => el('option', { value: String(i), text: o.label, selected: o.value === value })));
        control._choices = opt;
      } else if (type === 'number' || type === 'integer') {
        control = el('input', { id, type: 'number', inputmode: type === 'integer' ? 'numeric' : 'decimal',
          step: type === 'integer' ? '1' : 'any', min: s.minimum, max: s.maximum, value: isEmpty(value) ? null : value });
      } else if (s.format === 'date') {
        control = el('input', { id, type: 'date', value: value || null });
      } else if (s.format === 'date-time') {
        control = el('input', { id, type: 'datetime-local', value: value ? localDateTime(value) : null });
      } else if (s['x-widget'] === 'textarea' || (s.maxLength || 0) > LONG_TEXT) {
        control = el('textarea', { id, maxlength: s.maxLength, rows: (s.maxLength || 0) > 2000 ? 6 : 3 });
        control.value = isEmpty(value) ? '' : String(value);
      } else {
        control = el('input', { id, type: 'text', maxlength: s.maxLength, value: isEmpty(value) ? null : value });
      }
      control.setAttribute('name', path.join('.'));
      if (required) control.setAttribute('aria-required', 'true');
      if (hintId) control.setAttribute('aria-describedby', hintId);
      if (ro || s.readOnly) control.disabled = true; // readOnly: computed by the process, shown only
      const unit = (type === 'number' && /元/.test(s.title || '')) ? el('span', { class: 'unit', text: EN ? 'yuan' : '元' }) : null;
      wrap.append(...[labelNode(id, s, required, name), unit ? el('span', { class: 'with-unit' }, control, unit) : control, hint(s, hintId)].filter(Boolean));
      register(path, wrap, control, titleOf(s) || name);
      const get = () => {
        const raw = control.value;
        if (raw === '' || raw === undefined) return (type === 'number' || type === 'integer') && control.validity && control.validity.badInput ? raw : undefined;
        if (control._choices) return control._choices[Number(raw)].value;
        if (type === 'number' || type === 'integer') return Number(raw);
        if (s.format === 'date-time') return new Date(raw + ':00+08:00').toISOString();
        return raw;
      };
      return { node: wrap, get };
    }

    function buildRadios(s, list, value, path, name, required, hintId) {
      const id = idOf(opts.idPrefix, path);
      const legend = el('legend', { id: id + '-legend' }, titleOf(s) || name,
        required ? el('span', { class: 'req', 'aria-hidden': 'true', text: ' *' }) : null);
      const box = el('div', { class: 'choices' });
      const inputs = list.map((o, i) => {
        const input = el('input', { type: 'radio', id: id + '-' + i, name: opts.idPrefix + ':' + path.join('.'),
          value: String(i), checked: value !== undefined && o.value === value, disabled: ro });
        box.append(el('span', { class: 'choice' }, input, el('label', { for: id + '-' + i, text: o.label })));
        return input;
      });
      const wrap = el('fieldset', { class: 'field radios', id, role: 'radiogroup', 'aria-labelledby': id + '-legend',
        'aria-required': required ? 'true' : null,
        'aria-describedby': hintId, dataset: { path: path.join('.') } }, legend, box, hint(s, hintId));
      register(path, wrap, wrap, titleOf(s) || name);
      const get = () => { const hit = inputs.find((i) => i.checked); return hit ? list[Number(hit.value)].value : undefined; };
      return { node: wrap, get };
    }

    function buildObject(s, value, path, name, required) {
      const req = new Set(s.required || []);
      const parts = [];
      const children = ordered(s)
        .filter(([key]) => !(path.length === 0 && opts.omit.includes(key)))
        .map(([key, sub]) => { const c = build(sub, value[key], path.concat(key), key, req.has(key)); parts.push(c.node); return [key, c]; });
      let node;
      if (path.length === 0) node = el('div', { class: 'form-body' }, parts);
      else if (typeof path[path.length - 1] === 'number') node = el('div', { class: 'row-body' }, parts);
      else node = el('fieldset', { class: 'field object', dataset: { path: path.join('.') } }, el('legend', { text: titleOf(s) || name }), parts);
      if (path.length && typeof path[path.length - 1] !== 'number') register(path, node, node, titleOf(s) || name);
      const get = () => {
        const out = {};
        for (const [key, c] of children) { const v = c.get(); if (v !== undefined) out[key] = v; }
        return out;
      };
      return { node, get };
    }

    function buildArray(s, value, path, name, required) {
      const id = idOf(opts.idPrefix, path);
      const itemSchema = s.items || { type: 'string' };
      const itemTitle = titleOf(itemSchema) || titleOf(s) || name;
      const rowsBox = el('div', { class: 'rows' });
      const rows = []; // {node, get}
      const addBtn = el('button', { type: 'button', class: 'add-row', text: t('form_add') + ' ' + itemTitle, hidden: ro });
      const wrap = el('fieldset', { class: 'field array', id, dataset: { path: path.join('.') } },
        el('legend', {}, titleOf(s) || name, required ? el('span', { class: 'req', 'aria-hidden': 'true', text: ' *' }) : null),
        hint(s, s.description ? id + '-hint' : null), rowsBox, addBtn);
      if (s.description) wrap.setAttribute('aria-describedby', id + '-hint');
      register(path, wrap, wrap, titleOf(s) || name);

      function relabel() {
        rows.forEach((r, i) => {
          r.legend.textContent = `${itemTitle} ${i + 1}`;
          r.remove.textContent = `${t('form_remove')} ${itemTitle} ${i + 1}`;
        });
      }
      function addRow(v) {
        const index = rows.length;
        const p = path.concat(index);
        const inner = build(itemSchema, v, p, `${itemTitle} ${index + 1}`, false);
        const legend = el('legend', {});
        const remove = el('button', { type: 'button', class: 'remove-row', hidden: ro });
        const node = el('fieldset', { class: 'row', dataset: { path: p.join('.') } }, legend, inner.node, remove);
        const row = { node, legend, remove, get: inner.get };
        if (!fields.has(p.join('.'))) register(p, node, node, `${itemTitle} ${index + 1}`);
        remove.addEventListener('click', () => {
          // rebuild from current values so ids and error paths stay index-aligned
          const current = rows.map((r) => r.get());
          current.splice(rows.indexOf(row), 1);
          reset(current);
          addBtn.focus();
        });
        rows.push(row);
        rowsBox.append(node);
        relabel();
        return row;
      }
      function reset(values) {
        for (const key of [...fields.keys()]) if (key.startsWith(path.join('.') + '.')) fields.delete(key);
        rows.length = 0;
        rowsBox.replaceChildren();
        values.forEach((v) => addRow(v));
      }
      addBtn.addEventListener('click', () => {
        const row = addRow(undefined);
        const first = row.node.querySelector('input, select, textarea');
        if (first) first.focus();
      });
      const start = value.length ? value : Array.from({ length: Math.max(s.minItems || 0, 0) }, () => undefined);
      start.forEach((v) => addRow(v));
      const get = () => {
        const items = rows.map((r) => r.get()).filter((v) => v !== undefined); // an empty row stays: its required fields are reported
        return items.length || required ? items : undefined;
      };
      return { node: wrap, get };
    }

    function buildAttachments(s, value, path, name, required) {
      const id = idOf(opts.idPrefix, path);
      const ids = Array.isArray(value) ? value.slice() : [];
      const known = new Map((opts.attachments || []).map((a) => [a.id, a]));
      const list = el('ul', { class: 'attachments', 'aria-live': 'polite' });
      const file = el('input', { type: 'file', id, accept: '.pdf,.jpg,.jpeg,.png,.docx', disabled: ro || !opts.caseId });
      const wrap = el('div', { class: 'field attachments-field', dataset: { path: path.join('.') } },
        labelNode(id, s, required, name), hint(s, s.description ? id + '-hint' : null), list, ro ? null : file);
      if (s.description) file.setAttribute('aria-describedby', id + '-hint');
      register(path, wrap, file, titleOf(s) || name);
      function draw() {
        list.replaceChildren(...ids.map((aid) => {
          const a = known.get(aid);
          const link = el('a', { href: '/api/v1/attachments/' + encodeURIComponent(aid), text: a ? a.filename : aid });
          const remove = ro ? null : el('button', { type: 'button', class: 'link-like', text: t('form_remove') + ' ' + (a ? a.filename : aid) });
          if (remove) remove.addEventListener('click', () => { ids.splice(ids.indexOf(aid), 1); draw(); file.focus(); });
          return el('li', {}, link, ' ', remove);
        }));
        if (!ids.length) list.append(el('li', { class: 'muted', text: t('form_no_files') }));
      }
      file.addEventListener('change', async () => {
        const f = file.files && file.files[0];
        if (!f) return;
        const body = new FormData();
        body.append('file', f);
        body.append('kind', s['x-attachment-kind'] || 'other');
        if (opts.taskId) body.append('task_id', opts.taskId);
        file.disabled = true;
        try {
          const saved = await api('POST', `/api/v1/cases/${opts.caseId}/attachments`, body);
          known.set(saved.id, saved);
          ids.push(saved.id);
          setError(path.join('.'), null);
          draw();
        } catch (err) {
          setError(path.join('.'), (err.body && err.body.fields && (err.body.fields.file || Object.values(err.body.fields)[0])) || err.message);
        } finally {
          file.disabled = false;
          file.value = '';
        }
      });
      // A file uploaded elsewhere on the page (a document's signed scan) offered to this field.
      adders.set(path.join('.'), (a) => {
        known.set(a.id, a);
        if (!ids.includes(a.id)) ids.push(a.id);
        setError(path.join('.'), null);
        draw();
        return true;
      });
      draw();
      return { node: wrap, get: () => (ids.length ? ids.slice() : undefined) };
    }

    function setError(key, message) {
      const f = fields.get(key);
      if (!f) return null;
      const targets = f.control === f.wrap ? [f.wrap] : [f.control];
      if (message) {
        f.error.textContent = message;
        f.error.hidden = false;
        f.wrap.classList.add('invalid');
        for (const c of targets) {
          c.setAttribute('aria-invalid', 'true');
          const described = (c.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && x !== f.error.id);
          c.setAttribute('aria-describedby', [f.error.id, ...described].join(' '));
        }
      } else {
        f.error.textContent = '';
        f.error.hidden = true;
        f.wrap.classList.remove('invalid');
        for (const c of targets) {
          c.removeAttribute('aria-invalid');
          const described = (c.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && x !== f.error.id);
          if (described.length) c.setAttribute('aria-describedby', described.join(' ')); else c.removeAttribute('aria-describedby');
        }
      }
      return f;
    }

    function clearErrors() { for (const key of fields.keys()) setError(key, null); }

    // body: {"error","message","detail","fields": {"parties.0.name": "必填项", ...}}
    function showErrors(body) {
      clearErrors();
      const out = [];
      for (const [raw, message] of Object.entries((body && body.fields) || {})) {
        let parts = raw.replace(/^data\./, '').split('.');
        let f = null;
        while (parts.length && !(f = fields.get(parts.join('.')))) parts = parts.slice(0, -1);
        const key = parts.join('.');
        if (f) {
          const prior = f.error.hidden ? '' : f.error.textContent + (EN ? '; ' : '；');
          setError(key, prior + (key === raw.replace(/^data\./, '') ? message : `${raw}: ${message}`));
        }
        out.push({ path: raw, label: f ? f.label : raw, message, id: f ? (f.control.id || f.wrap.id) : null });
      }
      return out;
    }

    const root = build(schema, data || {}, [], '', false);
    container.replaceChildren(root.node);
    // addAttachment(path, attachment) -> true when the form has that attachments field (and it is editable)
    const addAttachment = (path, a) => (!ro && adders.has(path) ? adders.get(path)(a) : false);
    return { values: root.get, showErrors, clearErrors, setError, addAttachment,
      field: (path) => fields.get(path) || null };
  }

  function localDateTime(iso) {
    const d = new Date(iso);
    if (isNaN(d)) return '';
    const local = new Date(d.getTime() + 8 * 3600 * 1000); // Asia/Shanghai, no DST
    return local.toISOString().slice(0, 16);
  }

  // An error summary's "#field" links move the focus to that field's control (not just scroll).
  function linkSummary(summary) {
    summary.addEventListener('click', (e) => {
      const a = e.target.closest('a[href^="#"]');
      const target = a && document.getElementById(a.getAttribute('href').slice(1));
      if (!target) return;
      e.preventDefault();
      const focusable = target.matches('input, select, textarea') ? target : target.querySelector('input, select, textarea, button');
      (focusable || target).focus();
    });
  }

  window.tjForm = { render, choices, linkSummary, title: titleOf, description: descOf };
})();
