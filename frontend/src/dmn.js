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

// dmn-js writes the column drag handles' titles ("Move Input") without its translate service: translate them
// whenever the table renders.
function translateTitles(container, table) {
  const fix = () => container.querySelectorAll('[title]').forEach((node) => {
    const text = table[node.getAttribute('title')];
    if (text && node.getAttribute('title') !== text) node.setAttribute('title', text);
  });
  new MutationObserver(fix).observe(container, { subtree: true, childList: true, attributes: true,
    attributeFilter: ['title'] });
}

window.TiaojieDmn = {
  create(container, lang) {
    const zh = translateModule(lang);
    if (lang && lang.startsWith('zh')) translateTitles(container, dmnZh);
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
