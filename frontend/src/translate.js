// bpmn-js translation: Simplified Chinese (bpmn-js-i18n-zh, and our bpmnlint messages) unless the page is in English.
import bpmnZh from 'bpmn-js-i18n-zh/lib/bpmn-js';
import lintZh from './lint-zh.js';

// bpmn-js-i18n-zh leaves a few words in English or misses them
const fixes = { 'Activate lasso tool': '启动套索工具', 'Open {element}': '打开 {element}' };
const zh = { ...bpmnZh, ...lintZh, ...fixes };

export function translateModule(lang) {
  const table = lang && lang.startsWith('zh') ? zh : {};
  function translate(template, replacements) {
    replacements = replacements || {};
    const text = table[template] || template;
    return text.replace(/{([^}]+)}/g, (_, key) => (key in replacements ? replacements[key] : '{' + key + '}'));
  }
  return { translate: ['value', translate] };
}
