// Login: the OAuth2 password form; the API sets the session and CSRF cookies.

// Where to go after login: only a path of this site. The target is parsed as the browser will parse it
// (a backslash, a tab or '//' can make '/…' another host), then must have this origin and a path that
// starts with a single '/'; anything else goes to the queue.
function safeNext(raw) {
  if (!raw) return '/';
  let url;
  try {
    url = new URL(raw, location.origin);
  } catch (e) {
    return '/';
  }
  if (url.origin !== location.origin || !url.pathname.startsWith('/') || url.pathname.startsWith('//')) return '/';
  return url.pathname + url.search + url.hash;
}

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
      const inactive = e.body && e.body.error === 'account_inactive';  // the right password of a deactivated account
      error.textContent = !inactive && (e.status === 401 || e.status === 422) ? tj.t('login_failed') : e.message;
      error.hidden = false;
      form.password.focus();
      return;
    }
    location.assign(safeNext(new URLSearchParams(location.search).get('next')));
  });
});
