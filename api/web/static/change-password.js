// 修改密码: the user's own password change; after an admin's reset the only page they can open until done.
(function () {
  'use strict';
  const { api, el, t, toast } = window.tj;
  const form = document.getElementById('cp-form');
  const errors = document.getElementById('cp-errors');

  function fail(message, fields) {
    const items = Object.entries(fields || {}).map(([k, v]) => el('li', { text: `${t('cp_' + ({ current_password: 'current', new_password: 'new' }[k] || 'new'))}：${v}` }));
    errors.replaceChildren(el('p', { class: 'error', text: message }), items.length ? el('ul', { class: 'error' }, items) : '');
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.replaceChildren();
    if (form.new_password.value !== form.confirm.value) { fail(t('cp_mismatch')); form.confirm.focus(); return; }
    try {
      await api('POST', '/api/v1/auth/change-password',
        { current_password: form.current_password.value, new_password: form.new_password.value });
    } catch (err) {
      fail(err.message, err.body && err.body.fields);
      return;
    }
    toast(t('cp_done'));
    location.assign('/');
  });
})();
