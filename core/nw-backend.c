/* nw-backend.c: what every backend shares: the sticky error and typed transfer helpers. */
#include "nw-backend.h"
#include "nw-i18n.h"

void
nw_backend_free (NwBackend *backend)
{
  if (backend == NULL)
    return;
  g_clear_error (&backend->error);
  g_free (backend->description);
  backend->ops->destroy (backend);
}

gboolean
nw_backend_take_error (NwBackend *backend, GError **error)
{
  if (backend->error == NULL)
    return TRUE;
  g_propagate_error (error, backend->error);
  backend->error = NULL;
  return FALSE;
}

void
nw_backend_set_error (NwBackend *backend, GError *error)
{
  if (backend->error == NULL)
    backend->error = error;
  else
    g_error_free (error);
}

void
nw_backend_upload (NwBackend *b, NwBuffer *dst, gsize off, const nw_real *src, gsize n)
{
  b->ops->write (b, dst, off * sizeof (nw_real), src, n * sizeof (nw_real));
}

void
nw_backend_download (NwBackend *b, NwBuffer *src, gsize off, nw_real *dst, gsize n)
{
  b->ops->read (b, src, off * sizeof (nw_real), dst, n * sizeof (nw_real));
}

NwBuffer *
nw_backend_alloc (NwBackend *b, gsize n_reals)
{
  if (n_reals > G_MAXSIZE / sizeof (nw_real))
    {
      nw_backend_set_error (b, g_error_new (NW_ERROR, NW_ERROR_NO_MEMORY,
                                            _("buffer of %zu values is too large"), n_reals));
      return NULL;
    }
  return b->ops->buffer_new (b, MAX (n_reals, 1) * sizeof (nw_real));
}

void
nw_backend_release (NwBackend *b, NwBuffer **buf)
{
  if (*buf != NULL)
    b->ops->buffer_free (b, *buf);
  *buf = NULL;
}
