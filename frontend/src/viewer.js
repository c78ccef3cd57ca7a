// The case page's read-only diagram: bpmn-js NavigatedViewer (pan and zoom).
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { translateModule } from './translate.js';

window.TiaojieViewer = {
  create(container, lang) {
    return new NavigatedViewer({ container, additionalModules: [translateModule(lang)] });
  },
};
