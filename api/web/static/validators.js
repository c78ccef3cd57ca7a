// Client-side form checks that mirror the server's (engine/processes/forms.py, engine/core/identifiers.py):
// required fields, numbers and their bounds, lengths, choices, list sizes and the identifier formats
// ("cn-id-number" by the sibling id_type, "cn-resident-id", "cn-mobile", "cn-landline", "cn-phone", "cn-uscc").
// window.tjCheck.form(schema, data, {omit}) -> {path: message in the page's language} or null when all is well.
// The server checks again; these only spare a round trip and list every problem at once.
(function () {
  'use strict';
  const { t } = window.tj;

  const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const ID_CHECK = '10X98765432';
  const PROVINCES = new Set([11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
    50, 51, 52, 53, 54, 61, 62, 63, 64, 65]);
  const PERMIT_AREAS = ['810000', '820000', '830000'];
  const USCC = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const compact = (v) => String(v).replace(/\s+/g, '').toUpperCase();

  function idCheckChar(first17) {
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
    return ID_CHECK[sum % 11];
  }

  function birthOk(d) {
    const y = Number(d.slice(0, 4)); const m = Number(d.slice(4, 6)); const day = Number(d.slice(6, 8));
    const born = new Date(Date.UTC(y, m - 1, day));
    if (born.getUTCFullYear() !== y || born.getUTCMonth() !== m - 1 || born.getUTCDate() !== day) return false;
    return y >= 1900 && born.getTime() <= Date.now() + 8 * 3600 * 1000;
  }

  function eighteen(v) {
    if (/^\d{15}$/.test(v)) return 'id_old_15';
    if (!/^\d{17}[\dX]$/.test(v)) return 'id_format';
    if (!birthOk(v.slice(6, 14))) return 'id_birth_date';
    if (idCheckChar(v) !== v[17]) return 'id_check_digit';
    return null;
  }

  function residentId(value) {
    const v = compact(value);
    if (/^\d{17}[\dX]$/.test(v) && !PROVINCES.has(Number(v.slice(0, 2)))) return 'id_area';
    return eighteen(v);
  }

  function residencePermit(value) {
    const v = compact(value);
    if (/^\d{17}[\dX]$/.test(v) && !PERMIT_AREAS.includes(v.slice(0, 6))) return 'id_area';
    return eighteen(v);
  }

  function foreignId(value) {
    const v = compact(value);
    if (/^[A-Z]{3}\d{12}$/.test(v)) return null;
    if (/^9\d{16}[\dX]$/.test(v)) return eighteen(v);
    return 'foreign_id_format';
  }

  function uscc(value) {
    const v = compact(value);
    if (v.length !== 18 || [...v].some((c) => !USCC.includes(c)) || !'123456789ABCDEFGY'.includes(v[0])
        || !/^\d{6}$/.test(v.slice(2, 8))) return 'uscc_format';
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += USCC.indexOf(v[i]) * USCC_WEIGHTS[i];
    return USCC[(31 - (sum % 31)) % 31] === v[17] ? null : 'uscc_check';
  }

  const SIMPLE = {
    passport: (v) => (/^[A-Z0-9]{5,17}$/.test(compact(v)) && /\d/.test(v) ? null : 'passport_format'),
    hk_macao_permit: (v) => (/^[HM]\d{8}(\d{2})?$/.test(compact(v)) ? null : 'hk_macao_permit_format'),
    taiwan_permit: (v) => (/^\d{8}(\d{2})?$/.test(compact(v)) ? null : 'taiwan_permit_format'),
    resident_id: residentId, residence_permit: residencePermit, foreign_permanent_id: foreignId, uscc,
  };

  function idNumber(type, value) {
    if (SIMPLE[type]) return SIMPLE[type](value);
    const v = String(value).trim();
    return v.length >= 2 && v.length <= 64 ? null : 'id_format';
  }

  const SEPARATORS = /[\s\-–—.()（）]/g;
  function stripCountry(d) {
    for (const p of ['+86', '0086']) if (d.startsWith(p)) return d.slice(p.length);
    return d;
  }

  function mobile(value) {
    let v = stripCountry(String(value).replace(SEPARATORS, ''));
    if (v.length === 13 && v.startsWith('86')) v = v.slice(2);
    return /^1[3-9]\d{9}$/.test(v) ? null : 'mobile_format';
  }

  function landlineMain(main) {
    let d = stripCountry(main.replace(SEPARATORS, ''));
    if (d.startsWith('+')) return false;
    if (main.trim().startsWith('+86') && d[0] !== '0') d = '0' + d;
    return /^[48]00\d{7}$/.test(d) || /^(010|02\d)[2-9]\d{7}$/.test(d) || /^0[3-9]\d\d[2-9]\d{6,7}$/.test(d);
  }

  function landline(value) {
    const text = String(value).trim();
    if (landlineMain(text)) return null;
    const m = /^(.*?)\s*(?:转|ext\.?|x|#|-)\s*(\d{1,6})$/i.exec(text);
    return m && landlineMain(m[1]) ? null : 'landline_format';
  }

  const phone = (v) => (mobile(v) === null || landline(v) === null ? null : 'phone_format');
  const FORMATS = { 'cn-resident-id': residentId, 'cn-mobile': mobile, 'cn-landline': landline, 'cn-phone': phone,
    'cn-uscc': uscc };

  const typeOf = (s) => (Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type);

  function walk(s, value, path, parent, out, omit) {
    if (!s || typeof s !== 'object') return;
    const key = path.join('.');
    const add = (kind) => { if (!(key in out)) out[key] = kind; };
    const type = typeOf(s);
    if (value === undefined || value === null || value === '') return;
    if (type === 'object' || (s.properties && !type)) {
      if (typeof value !== 'object' || Array.isArray(value)) { add('type'); return; }
      const props = s.properties || {};
      for (const name of s.required || []) {
        if (path.length === 0 && omit.includes(name)) continue;
        const v = value[name];
        if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length && !(props[name] || {}).minItems)) {
          out[path.concat(name).join('.')] = 'required';
        }
      }
      for (const [name, sub] of Object.entries(props)) {
        if (name in value) walk(sub, value[name], path.concat(name), value, out, omit);
      }
      return;
    }
    if (type === 'array') {
      if (!Array.isArray(value)) { add('type'); return; }
      if (s.minItems && value.length < s.minItems) add('minItems');
      if (s.maxItems && value.length > s.maxItems) add('maxItems');
      if (s.format !== 'attachments') value.forEach((v, i) => walk(s.items, v, path.concat(i), value, out, omit));
      return;
    }
    if (type === 'number' || type === 'integer') {
      const n = typeof value === 'number' ? value : NaN;
      if (!Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n))) { add('type'); return; }
      if (s.minimum !== undefined && n < s.minimum) add('minimum');
      if (s.exclusiveMinimum !== undefined && n <= s.exclusiveMinimum) add('minimum');
      if (s.maximum !== undefined && n > s.maximum) add('maximum');
      if (s.exclusiveMaximum !== undefined && n >= s.exclusiveMaximum) add('maximum');
      if (Math.abs(n) > 1e13) add('too_large');
    }
    if (Array.isArray(s.enum) && !s.enum.includes(value)) { add('enum'); return; }
    if (typeof value === 'string') {
      if (s.maxLength !== undefined && [...value].length > s.maxLength) add('maxLength');
      if (s.minLength !== undefined && [...value].length < s.minLength) add('minLength');
      if (value.includes('\u0000')) add('nul');
      if (value.trim() && !value.includes('*')) {
        if (s.format === 'cn-id-number') {
          const k = idNumber(parent && parent[s['x-id-type-field'] || 'id_type'], value);
          if (k) add(k);
        } else if (FORMATS[s.format]) {
          const k = FORMATS[s.format](value);
          if (k) add(k);
        }
      }
    }
  }

  // {path: message} of every problem, or null
  function form(schema, data, options) {
    const out = {};
    walk(schema || {}, data || {}, [], null, out, (options && options.omit) || []);
    const keys = Object.keys(out);
    if (!keys.length) return null;
    const messages = {};
    for (const k of keys) messages[k] = t('fe_' + out[k], t('fe_value_error'));
    return messages;
  }

  window.tjCheck = { form, idNumber, mobile, landline, phone, uscc, idCheckChar };
})();
