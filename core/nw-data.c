/* nw-data.c: datasets: freeing, the kind names, the default MNIST directories, and
 * nw_dataset_new's dispatch to the generators (nw-data-2d.c) and loaders (nw-data-csv.c,
 * nw-data-idx.c). */
#include "nw-data.h"
#include "nw-i18n.h"
#include "nw-data-private.h"

static const char *const kind_names[NW_N_DATA_KINDS] = {
  "xor", "xor_cloud", "circle", "gaussians", "spiral", "moons", "checkerboard", "xor01", "and",
  "or", "csv", "mnist", "fashion_mnist",
};

const char *
nw_data_kind_name (NwDataKind kind)
{
  return (int) kind >= 0 && kind < NW_N_DATA_KINDS ? kind_names[kind] : NULL;
}

int
nw_data_kind_from_name (const char *name)
{
  if (name == NULL)
    return -1;
  for (int i = 0; i < NW_N_DATA_KINDS; i++)
    if (g_ascii_strcasecmp (kind_names[i], name) == 0)
      return i;
  return -1;
}

static void
split_clear (NwSplit *split)
{
  g_clear_pointer (&split->x, g_free);
  g_clear_pointer (&split->y, g_free);
  g_clear_pointer (&split->labels, g_free);
  split->n = 0;
}

void
nw_dataset_free (NwDataset *ds)
{
  if (ds == NULL)
    return;
  split_clear (&ds->train);
  split_clear (&ds->test);
  g_free (ds->name);
  g_free (ds);
}

static void
split_copy (const NwSplit *from, NwSplit *to)
{
  *to = *from;
  to->x = g_memdup2 (from->x, sizeof (float) * (gsize) from->n * from->d);
  to->y = g_memdup2 (from->y, sizeof (float) * (gsize) from->n * from->k);
  to->labels = from->labels != NULL ? g_memdup2 (from->labels, (gsize) from->n) : NULL;
}

NwDataset *
nw_dataset_copy (const NwDataset *ds)
{
  NwDataset *copy;
  g_return_val_if_fail (ds != NULL, NULL);
  copy = g_new0 (NwDataset, 1);
  copy->name = g_strdup (ds->name);
  copy->n_classes = ds->n_classes;
  split_copy (&ds->train, &copy->train);
  split_copy (&ds->test, &copy->test);
  return copy;
}

gboolean
nw_data_kind_is_2d (NwDataKind kind)
{
  return (int) kind >= 0 && kind <= NW_DATA_OR;
}

gboolean
nw_data_kind_is_truth_table (NwDataKind kind)
{
  return kind == NW_DATA_XOR || kind == NW_DATA_XOR01 || kind == NW_DATA_AND || kind == NW_DATA_OR;
}

gboolean
nw_data_kind_is_image (NwDataKind kind)
{
  return kind == NW_DATA_MNIST || kind == NW_DATA_FASHION_MNIST;
}

/* The folder that holds mnist/ and fashion-mnist/: `data_root`, or by default
 * $XDG_DATA_HOME/neurowire (GLib's rule for per-user data; NEUROWIRE_DATA_DIR is the
 * programs' to read and pass down as data_root). */
static char *
data_root_or_default (const char *data_root)
{
  if (data_root != NULL && data_root[0] != '\0')
    return g_strdup (data_root);
  return g_build_filename (g_get_user_data_dir (), "neurowire", NULL);
}

char *
nw_data_default_mnist_dir (const char *data_root)
{
  g_autofree char *root = data_root_or_default (data_root);
  return g_build_filename (root, "mnist", NULL);
}

char *
nw_data_default_fashion_mnist_dir (const char *data_root)
{
  char *dir;
  if (data_root != NULL && data_root[0] != '\0')
    {
      dir = g_build_filename (data_root, "fashion-mnist", NULL);
      if (g_file_test (dir, G_FILE_TEST_IS_DIR))
        return dir;
      g_free (dir);
    }
  dir = g_build_filename (g_get_user_data_dir (), "neurowire", "fashion-mnist", NULL);
  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    return dir;
  g_free (dir);
  return g_strdup (NW_FASHION_MNIST_SYSTEM_DIR);
}

char *
nw_data_spec_dir (const NwDataSpec *spec, const char *data_root)
{
  g_return_val_if_fail (spec != NULL, NULL);
  if (spec->kind != NW_DATA_MNIST && spec->kind != NW_DATA_FASHION_MNIST)
    return NULL;
  if (spec->path != NULL && spec->path[0] != '\0')
    return g_strdup (spec->path);
  return spec->kind == NW_DATA_MNIST ? nw_data_default_mnist_dir (data_root)
                                     : nw_data_default_fashion_mnist_dir (data_root);
}

void
nw_data_spec_resolve (NwDataSpec *spec, const char *data_root)
{
  char *dir;
  g_return_if_fail (spec != NULL);
  dir = nw_data_spec_dir (spec, data_root);
  if (dir == NULL)
    return;
  g_free (spec->path);
  spec->path = dir;
}

const char *const *
nw_data_class_names (NwDataKind kind)
{
  static const char *const digits[10] = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" };
  /* Zalando's labels, in label order (github.com/zalandoresearch/fashion-mnist). */
  /* N_()-marked: the window translates them where it shows them */
  static const char *const fashion[10] = {
    /* Translators: the ten classes of Fashion-MNIST, short (they label bars and a matrix) */
    N_("T-shirt/top"), N_("Trouser"), N_("Pullover"), N_("Dress"), N_("Coat"),
    N_("Sandal"), N_("Shirt"), N_("Sneaker"), N_("Bag"), N_("Ankle boot"),
  };
  if (kind == NW_DATA_MNIST)
    return digits;
  if (kind == NW_DATA_FASHION_MNIST)
    return fashion;
  return NULL;
}

NwDataset *
nw_dataset_new (const NwDataSpec *spec, const char *data_root, GError **error)
{
  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  switch (spec->kind)
    {
    case NW_DATA_XOR:
    case NW_DATA_XOR_CLOUD:
    case NW_DATA_CIRCLE:
    case NW_DATA_GAUSSIANS:
    case NW_DATA_SPIRAL:
    case NW_DATA_MOONS:
    case NW_DATA_CHECKERBOARD:
    case NW_DATA_XOR01:
    case NW_DATA_AND:
    case NW_DATA_OR:
      return nw_dataset_new_2d (spec->kind, spec->n, spec->noise, spec->test_ratio, spec->seed,
                                error);

    case NW_DATA_CSV:
      if (spec->path == NULL || spec->path[0] == '\0')
        {
          g_set_error (error, NW_ERROR, NW_ERROR_SPEC,
                       _("data: kind 'csv' needs a path to the CSV file"));
          return NULL;
        }
      return nw_dataset_load_csv (spec->path, spec->test_ratio, spec->seed, error);

    case NW_DATA_MNIST:
      {
        g_autofree char *dir = nw_data_spec_dir (spec, data_root);
        return nw_dataset_load_idx_dir (dir, spec->train_limit, error);
      }

    case NW_DATA_FASHION_MNIST:
      {
        g_autofree char *dir = nw_data_spec_dir (spec, data_root);
        return nw_dataset_load_fashion_mnist (dir, spec->train_limit, error);
      }

    case NW_N_DATA_KINDS:
    default:
      break;
    }
  g_set_error (error, NW_ERROR, NW_ERROR_RANGE, _("data: kind %d is not a known data kind"),
               (int) spec->kind);
  return NULL;
}

void
nw_split_fill_2d (NwSplit *split, const float *xy, const guint8 *labels, const gint32 *rows, int m)
{
  split->n = m;
  split->d = 2;
  split->k = 1;
  split->x = g_new (float, (gsize) m * 2);
  split->y = g_new (float, (gsize) m);
  split->labels = g_new (guint8, (gsize) m);
  for (int i = 0; i < m; i++)
    {
      gsize r = rows != NULL ? (gsize) rows[i] : (gsize) i;
      split->x[2 * i] = xy[2 * r];
      split->x[2 * i + 1] = xy[2 * r + 1];
      split->labels[i] = labels[r];
      split->y[i] = labels[r] ? 1.0f : 0.0f;
    }
}
