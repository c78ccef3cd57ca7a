// Shared by every page: page data, API calls with the CSRF header, safe DOM building, badges.
// User text is only ever put into the page with textContent / attributes, never as HTML.
(function () {
  'use strict';
  const PAGE = JSON.parse(document.getElementById('page-data').textContent);
  const T = PAGE.t || {};
  const LANG = PAGE.lang === 'en' ? 'en' : 'zh';

  class ApiError extends Error {
    constructor(status, body) {
      super((body && (body.message || body.detail)) || ('HTTP ' + status));
      this.status = status;
      this.body = body || {};
    }
  }

  function cookie(name) {
    const hit = document.cookie.split('; ').find((c) => c.startsWith(name + '='));
    return hit ? decodeURIComponent(hit.slice(name.length + 1)) : null;
  }

  // fetch a JSON API path; body: object (JSON), FormData or URLSearchParams.
  async function api(method, path, body, options) {
    options = options || {};
    const headers = { 'Accept-Language': LANG === 'en' ? 'en' : 'zh-CN', Accept: 'application/json' };
    if (!['GET', 'HEAD'].includes(method)) headers['X-CSRF-Token'] = cookie('tiaojie_csrf') || '';
    let payload = body;
    if (body && !(body instanceof FormData) && !(body instanceof URLSearchParams)) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
    if (response.status === 401 && !options.noRedirect) {
      location.assign('/login?next=' + encodeURIComponent(location.pathname + location.search));
      throw new ApiError(401, {});
    }
    if (options.raw) {
      if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => ({})));
      return response;
    }
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = { message: text }; }
    if (response.status === 403 && data && data.error === 'password_change_required' && !options.noRedirect
        && location.pathname !== '/change-password') location.assign('/change-password');
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }

  // el('a', {href: '/x', class: 'y', text: 'label'}, child, ...): children are nodes or strings (as text).
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'text') node.textContent = String(value);
      else if (key === 'class') node.className = value;
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
      else if (value === true) node.setAttribute(key, '');
      else node.setAttribute(key, String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function t(key, fallback) { return T[key] || fallback || key; }

  let toastTimer = null;
  function toast(message, kind) {
    const box = document.getElementById('toast');
    box.textContent = message;
    box.className = 'toast ' + (kind || 'info');
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { box.hidden = true; }, 5000);
  }

  function fmtTime(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    return d.toLocaleString(LANG === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', hour12: false,
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  }

  function fmtDuration(seconds) {
    const s = Math.abs(seconds);
    const days = Math.floor(s / 86400), hours = Math.floor((s % 86400) / 3600), mins = Math.floor((s % 3600) / 60);
    if (LANG === 'en') return days ? `${days}d ${hours}h` : hours ? `${hours}h ${mins}m` : `${mins}m`;
    return days ? `${days}天${hours}小时` : hours ? `${hours}小时${mins}分` : `${mins}分钟`;
  }

  // Time remaining as a coloured badge: ok (> 1 day), warning (< 1 day), overdue.
  const WARN_SECONDS = 86400;
  // overdueBy: the server's {"days": n} or {"hours": n} for a clock past due ("已逾期 3 日").
  function fmtOverdue(overdueBy) {
    if (overdueBy.hours !== undefined) return LANG === 'en' ? `overdue by ${overdueBy.hours} h` : `已逾期 ${overdueBy.hours} 小时`;
    return LANG === 'en' ? `overdue by ${overdueBy.days} day${overdueBy.days === 1 ? '' : 's'}` : `已逾期 ${overdueBy.days} 日`;
  }
  function dueBadge(seconds, overdueBy) {
    if (overdueBy) return el('span', { class: 'badge overdue', text: fmtOverdue(overdueBy) });
    if (seconds === null || seconds === undefined) return el('span', { class: 'badge none', text: '—' });
    if (seconds < 0) {
      return el('span', { class: 'badge overdue', text: (LANG === 'en' ? 'overdue ' : '逾期 ') + fmtDuration(seconds) });
    }
    const kind = seconds < WARN_SECONDS ? 'warning' : 'ok';
    return el('span', { class: 'badge ' + kind, text: (LANG === 'en' ? '' : '剩余 ') + fmtDuration(seconds) + (LANG === 'en' ? ' left' : '') });
  }

  // The 日历未确认 mark next to a due time counted over a year whose holiday calendar is not entered.
  function calMark(item) {
    if (!item || item.calendar_confirmed !== false) return null;
    return el('span', { class: 'badge cal-unconfirmed', 'data-testid': 'calendar-unconfirmed',
      title: t('calendar_unconfirmed_hint'), text: t('calendar_unconfirmed') });
  }

  function showError(target, error) {
    const message = error instanceof ApiError ? error.message : t('error');
    if (target) target.replaceChildren(el('p', { class: 'error', role: 'alert', text: message }));
    else toast(message, 'error');
  }

  async function refreshHeader() {
    const badge = document.querySelector('[data-testid="header-overdue"]');
    if (!badge || !PAGE.user) return;
    try {
      const s = await api('GET', '/api/v1/tasks/summary', null, { noRedirect: true });
      const n = (s && s.claimed_overdue) || 0;
      const more = !!(s && s.capped && s.capped.includes('claimed_overdue'));  // the count stops at 99: "99+"
      document.getElementById('overdue-count').textContent = more ? `${n}+` : String(n);
      badge.hidden = n === 0;
    } catch (e) { /* the header count is a courtesy; the page itself reports errors */ }
  }

  document.addEventListener('DOMContentLoaded', () => {
    const logout = document.getElementById('logout');
    if (logout) {
      logout.addEventListener('click', async () => {
        try { await api('POST', '/api/v1/auth/logout', null, { noRedirect: true }); } catch (e) { /* gone already */ }
        location.assign('/login');
      });
    }
    refreshHeader();
    setInterval(refreshHeader, 60000);
  });

  window.tj = { PAGE, T, LANG, api, ApiError, el, t, toast, fmtTime, fmtDuration, dueBadge, calMark, showError, refreshHeader };
})();
