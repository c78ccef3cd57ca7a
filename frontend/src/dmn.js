// The 决策表 editor: the dmn-js modeler (decision table view) with Chinese labels unless the page is in English.
import DmnModeler from 'dmn-js/lib/Modeler';
import dmnZh from './dmn-zh.js';

function translateModule(lang) {
  const table = lang && lang.startsWith('zh') ? dmnZh : {};
  function translate(template, replacements) {
    replacements = replacements || {};
    const text = table[template] || template;
    return text.replace(/{([^}]+)}/g, (_, key) => (key in replacements ? replacements[key] : '{' + key + '}'));
  }
  return { translate: ['value', translate] };
}

window.TiaojieDmn = {
  create(container, lang) {
    const zh = translateModule(lang);
    return new DmnModeler({
      container,
      common: { additionalModules: [zh] },
      decisionTable: { additionalModules: [zh] },
      drd: { additionalModules: [zh] },
      literalExpression: { additionalModules: [zh] },
      boxedExpression: { additionalModules: [zh] },
    });
  },
};
