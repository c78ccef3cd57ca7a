// Saved filters of the queue (issue 16): the queue's filters live in its URL, so a saved filter is a saved
// query string. The API is the saved-filters one (GET/POST/DELETE /api/v1/saved-filters, page=queue, item
// {id, page, name, query, created_at}); ``client`` below is the only place that calls it.
(function () {
  'use strict';
  const { api, el, t, toast, ApiError } = window.tj;
  const PAGE_NAME = 'queue';

  const client = {
    list: () => api('GET', `/api/v1/saved-filters?page=${PAGE_NAME}`).then((a) => a.items),
    save: (name, query) => api('POST', '/api/v1/saved-filters', { page: PAGE_NAME, name, query }),
    remove: (id) => api('DELETE', `/api/v1/saved-filters/${encodeURIComponent(id)}`),
  };

  function currentQuery() {
    const q = new URLSearchParams(location.search);
    q.delete('lang');
    return q.toString();
  }

  function control() {
    const select = el('select', { id: 'qs-saved', 'data-testid': 'saved-filters' });
    const remove = el('button', { type: 'button', class: 'link-like', text: t('saved_delete'), disabled: true });
    const name = el('input', { id: 'qs-name', type: 'text', maxlength: 100, required: true, autocomplete: 'off' });
    const save = el('form', { class: 'saved-save', 'aria-label': t('saved_save') },
      el('label', { for: 'qs-name', text: t('saved_name') }), name,
      el('button', { type: 'submit', text: t('saved_save') }));
    const node = el('div', { class: 'saved-filters', 'data-testid': 'saved-filters-box', hidden: true },
      el('div', { class: 'field' }, el('label', { for: 'qs-saved', text: t('saved_filters') }), select, remove), save);
    let items = [];

    function draw() {
      const now = currentQuery();
      select.replaceChildren(el('option', { value: '', text: items.length ? t('saved_choose') : t('saved_none') }),
        ...items.map((f) => el('option', { value: String(f.id), text: f.name, selected: f.query === now && now !== '' })));
      remove.disabled = !select.value;
    }

    async function load() {
      items = await client.list();
      node.hidden = false;
      draw();
    }

    select.addEventListener('change', () => {
      const f = items.find((x) => String(x.id) === select.value);
      remove.disabled = !f;
      if (f) location.search = f.query ? '?' + f.query : '';
    });
    remove.addEventListener('click', async () => {
      const f = items.find((x) => String(x.id) === select.value);
      if (!f) return;
      try { await client.remove(f.id); toast(t('saved_deleted').replace('{name}', f.name)); } catch (err) { toast(err.message || t('error'), 'error'); }
      await load();
    });
    save.addEventListener('submit', async (e) => {
      e.preventDefault();
      const label = name.value.trim();
      if (!label) return;
      try {
        await client.save(label, currentQuery());
        toast(t('saved_saved').replace('{name}', label));
        name.value = '';
      } catch (err) {
        toast(err instanceof ApiError && err.status === 409 ? t('saved_exists') : (err.message || t('error')), 'error');
      }
      await load();
    });
    // queue.html marks the page as offering saved filters (GET/POST/DELETE /api/v1/saved-filters)
    if (document.getElementById('queue-page').dataset.savedFilters === '1') load().catch(() => {});
    return node;
  }

  window.tjQueueSaved = { control, client };
})();
