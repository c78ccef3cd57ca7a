// Login: the OAuth2 password form; the API sets the session and CSRF cookies.
document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('login-form');
  const error = document.getElementById('login-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const body = new URLSearchParams({ username: form.username.value.trim(), password: form.password.value });
    try {
      await tj.api('POST', '/api/v1/auth/token', body, { noRedirect: true });
    } catch (e) {
      error.textContent = e.status === 401 || e.status === 422 ? tj.t('login_failed') : e.message;
      error.hidden = false;
      form.password.focus();
      return;
    }
    const next = new URLSearchParams(location.search).get('next') || '/';
    location.assign(next.startsWith('/') && !next.startsWith('//') ? next : '/');
  });
});
