/* nw-safetensors.c: read and write safetensors files.
 *
 * Reading trusts nothing in the file: the header length is checked against the file before
 * anything is allocated, every size is computed with overflow checks, and every tensor's byte
 * range is checked against the data section and against the other ranges before its values
 * are read. Writing builds the whole file in memory and hands it to g_file_set_contents(),
 * which writes a temporary file beside the target and renames it over the target. */
#include "nw-safetensors.h"
#include "nw-i18n.h"
#include "nw-json-depth.h"

#include <inttypes.h>
#include <errno.h>
#include <float.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NW_SAFETENSORS_MAX_RANK 4

static const struct {
  const char *name;
  gsize       itemsize;
} dtype_info[] = {
  [NW_DTYPE_F32] = { "F32", 4 },
  [NW_DTYPE_F64] = { "F64", 8 },
  [NW_DTYPE_I64] = { "I64", 8 },
};

/* ---------------------------------------------------------------- the in-memory file */

static void
tensor_free (gpointer data)
{
  NwTensor *t = data;
  if (t == NULL)
    return;
  g_free (t->name);
  g_free (t->f32);
  g_free (t);
}

NwTensorFile *
nw_tensor_file_new (void)
{
  NwTensorFile *tf = g_new0 (NwTensorFile, 1);
  tf->tensors = g_ptr_array_new_with_free_func (tensor_free);
  tf->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return tf;
}

void
nw_tensor_file_free (NwTensorFile *tf)
{
  if (tf == NULL)
    return;
  g_ptr_array_unref (tf->tensors);
  g_hash_table_unref (tf->metadata);
  g_free (tf);
}

/* Product of the shape, FALSE on a negative extent or on overflow. */
static gboolean
shape_numel (int rank, const gint64 *shape, gsize *numel)
{
  gsize n = 1;
  for (int i = 0; i < rank; i++)
    {
      if (shape[i] < 0 || (guint64) shape[i] > G_MAXSIZE)
        return FALSE;
      if (!g_size_checked_mul (&n, n, (gsize) shape[i]))
        return FALSE;
    }
  *numel = n;
  return TRUE;
}

static NwTensor *
tensor_new (const char *name, NwDtype dtype, int rank, const gint64 *shape, gsize numel)
{
  NwTensor *t = g_new0 (NwTensor, 1);
  t->name = g_strdup (name);
  t->dtype = dtype;
  t->rank = rank;
  for (int i = 0; i < rank; i++)
    t->shape[i] = shape[i];
  t->numel = numel;
  t->f32 = g_new0 (float, numel > 0 ? numel : 1);
  return t;
}

NwTensor *
nw_tensor_file_add (NwTensorFile *tf, const char *name, NwDtype dtype, int rank,
                    const gint64 *shape, const float *data)
{
  NwTensor *t;
  gsize numel;

  g_return_val_if_fail (tf != NULL, NULL);
  g_return_val_if_fail (name != NULL && strcmp (name, "__metadata__") != 0, NULL);
  g_return_val_if_fail ((int) dtype >= 0 && dtype <= NW_DTYPE_I64, NULL);
  g_return_val_if_fail (rank >= 0 && rank <= NW_SAFETENSORS_MAX_RANK, NULL);
  g_return_val_if_fail (rank == 0 || shape != NULL, NULL);
  g_return_val_if_fail (nw_tensor_file_get (tf, name) == NULL, NULL);
  if (!shape_numel (rank, shape, &numel) || numel > G_MAXSIZE / sizeof (double))
    {
      g_critical ("nw_tensor_file_add: tensor '%s' has a negative or overflowing shape", name);
      return NULL;
    }

  t = tensor_new (name, dtype, rank, shape, numel);
  if (data != NULL && numel > 0)
    memcpy (t->f32, data, numel * sizeof (float));
  g_ptr_array_add (tf->tensors, t);
  return t;
}

NwTensor *
nw_tensor_file_get (const NwTensorFile *tf, const char *name)
{
  g_return_val_if_fail (tf != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  for (guint i = 0; i < tf->tensors->len; i++)
    {
      NwTensor *t = g_ptr_array_index (tf->tensors, i);
      if (strcmp (t->name, name) == 0)
        return t;
    }
  return NULL;
}

/* ---------------------------------------------------------------- reading */

/* A tensor as described by the header, before its data is read. */
typedef struct {
  NwTensor *tensor;
  guint64   begin, end;
  guint     index;     /* position in the JSON object, to break ties between empty ranges */
} Entry;

static void
entry_clear (gpointer data)
{
  Entry *e = data;
  tensor_free (e->tensor);
}

static int
entry_compare (gconstpointer a, gconstpointer b)
{
  const Entry *x = a, *y = b;
  if (x->begin != y->begin)
    return x->begin < y->begin ? -1 : 1;
  if (x->end != y->end)
    return x->end < y->end ? -1 : 1;
  return x->index < y->index ? -1 : (x->index > y->index ? 1 : 0);
}

static gboolean
node_get_int (JsonNode *node, gint64 *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
parse_dtype (const char *file, const char *name, JsonObject *obj, NwDtype *dtype, GError **error)
{
  JsonNode *node = json_object_get_member (obj, "dtype");
  const char *s;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT, _("%s: tensor '%s': \"dtype\" is missing or not a string"),
                   file, name);
      return FALSE;
    }
  s = json_node_get_string (node);
  for (guint d = 0; d < G_N_ELEMENTS (dtype_info); d++)
    if (strcmp (s, dtype_info[d].name) == 0)
      {
        *dtype = (NwDtype) d;
        return TRUE;
      }
  g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
               _("%s: tensor '%s': unsupported dtype '%s' (Neurowire reads F32, F64, I64)"), file, name, s);
  return FALSE;
}

static gboolean
parse_shape (const char *file, const char *name, JsonObject *obj, int *rank, gint64 *shape,
             GError **error)
{
  JsonNode *node = json_object_get_member (obj, "shape");
  JsonArray *arr;
  guint len;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT, _("%s: tensor '%s': \"shape\" is missing or not an array"),
                   file, name);
      return FALSE;
    }
  arr = json_node_get_array (node);
  len = json_array_get_length (arr);
  if (len > NW_SAFETENSORS_MAX_RANK)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s: tensor '%s': rank %u is more than Neurowire handles (%d)"),
                   file, name, len, NW_SAFETENSORS_MAX_RANK);
      return FALSE;
    }
  for (guint i = 0; i < len; i++)
    if (!node_get_int (json_array_get_element (arr, i), &shape[i]) || shape[i] < 0)
      {
        g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                     _("%s: tensor '%s': shape entry %u is not a non-negative integer"), file, name, i);
        return FALSE;
      }
  *rank = (int) len;
  return TRUE;
}

static gboolean
parse_offsets (const char *file, const char *name, JsonObject *obj, guint64 *begin, guint64 *end,
               GError **error)
{
  JsonNode *node = json_object_get_member (obj, "data_offsets");
  JsonArray *arr;
  gint64 b, e;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node)
      || json_array_get_length (arr = json_node_get_array (node)) != 2
      || !node_get_int (json_array_get_element (arr, 0), &b)
      || !node_get_int (json_array_get_element (arr, 1), &e)
      || b < 0 || e < 0)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s: tensor '%s': \"data_offsets\" is not a pair of non-negative integers"), file, name);
      return FALSE;
    }
  *begin = (guint64) b;
  *end = (guint64) e;
  return TRUE;
}

static gboolean
parse_metadata (const char *file, JsonNode *node, GHashTable *metadata, GError **error)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT, _("%s: \"__metadata__\" is not an object"), file);
      return FALSE;
    }
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        {
          g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                       _("%s: \"__metadata__\": value of '%s' is not a string"), file, key);
          return FALSE;
        }
      g_hash_table_replace (metadata, g_strdup (key), g_strdup (json_node_get_string (value)));
    }
  return TRUE;
}

/* Describes one tensor from its header entry and checks its byte range against the data. */
static gboolean
parse_entry (const char *file, const char *name, JsonNode *node, guint64 data_size, Entry *entry,
             GError **error)
{
  JsonObject *obj;
  NwDtype dtype;
  int rank = 0;
  gint64 shape[NW_SAFETENSORS_MAX_RANK] = { 0 };
  guint64 begin, end;
  gsize numel, nbytes;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT, _("%s: tensor '%s': entry is not an object"), file, name);
      return FALSE;
    }
  obj = json_node_get_object (node);
  if (!parse_dtype (file, name, obj, &dtype, error)
      || !parse_shape (file, name, obj, &rank, shape, error)
      || !parse_offsets (file, name, obj, &begin, &end, error))
    return FALSE;

  if (!shape_numel (rank, shape, &numel) || !g_size_checked_mul (&nbytes, numel, dtype_info[dtype].itemsize))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT, _("%s: tensor '%s': shape's size overflows"), file, name);
      return FALSE;
    }
  if (begin > end || end > data_size)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s: tensor '%s': data_offsets [%" PRIu64 ", %" PRIu64
                   "] are out of range (the data section has %" PRIu64 " bytes)"),
                   file, name, begin, end, data_size);
      return FALSE;
    }
  if (end - begin != (guint64) nbytes)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s: tensor '%s': data_offsets [%" PRIu64 ", %" PRIu64
                   "] hold %" PRIu64 " bytes but the shape needs %zu"
                   " (%zu x %s)"),
                   file, name, begin, end, end - begin, nbytes, numel, dtype_info[dtype].name);
      return FALSE;
    }

  entry->tensor = tensor_new (name, dtype, rank, shape, numel);
  entry->begin = begin;
  entry->end = end;
  return TRUE;
}

/* Converts the little-endian data of one tensor to float, checking F32/F64 values. */
static gboolean
read_values (const char *file, NwTensor *t, const guint8 *p, GError **error)
{
  for (gsize i = 0; i < t->numel; i++)
    {
      double v;
      switch (t->dtype)
        {
        case NW_DTYPE_F32:
          {
            guint32 u;
            float f;
            memcpy (&u, p + 4 * i, 4);
            u = GUINT32_FROM_LE (u);
            memcpy (&f, &u, 4);
            v = f;
          }
          break;
        case NW_DTYPE_F64:
          {
            guint64 u;
            memcpy (&u, p + 8 * i, 8);
            u = GUINT64_FROM_LE (u);
            memcpy (&v, &u, 8);
          }
          break;
        case NW_DTYPE_I64:
        default:
          {
            guint64 u;
            memcpy (&u, p + 8 * i, 8);
            t->f32[i] = (float) (gint64) GUINT64_FROM_LE (u);
          }
          continue;
        }
      if (!isfinite (v))
        {
          g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                       _("%s: tensor '%s': value at index %zu is %s"), file, t->name, i,
                       isnan (v) ? "NaN" : (v > 0 ? "+Inf" : "-Inf"));
          return FALSE;
        }
      if (fabs (v) > FLT_MAX)
        {
          g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                       _("%s: tensor '%s': value at index %zu (%g) is outside float's range"),
                       file, t->name, i, v);
          return FALSE;
        }
      t->f32[i] = (float) v;
    }
  return TRUE;
}

/* json-glib says "<data>:L:C: Parse error: ...", its line and byte column counted in the text
 * it was given, the header, which starts 8 bytes into the file: "<data>:1:20" is the file's
 * byte 27. Says where that is in the file (what a hex dump shows) and in the header. */
static void
header_json_error (const char *file, const char *header, gsize header_len, const GError *json_error,
                   GError **error)
{
  const char *msg = json_error->message;
  const char *p = msg;
  char *end = NULL;
  guint64 line, column;
  gsize offset = 0;

  if (!g_str_has_prefix (p, "<data>:"))
    goto plain;
  p += strlen ("<data>:");
  line = g_ascii_strtoull (p, &end, 10);
  if (end == p || *end != ':' || line == 0)
    goto plain;
  p = end + 1;
  column = g_ascii_strtoull (p, &end, 10);
  if (end == p || *end != ':' || column == 0)
    goto plain;
  p = end + 1;
  while (*p == ' ')
    p++;
  for (guint64 l = 1; l < line && offset < header_len; offset++)
    if (header[offset] == '\n')
      l++;
  if (offset + column - 1 > header_len)
    goto plain;
  g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
               _("%s: header is not valid JSON at byte %zu of the file (line %"
               PRIu64 ", column %" PRIu64 " of the header): %s"),
               file, (gsize) (8 + offset + column - 1), line, column, p);
  return;

plain:
  g_set_error (error, NW_ERROR, NW_ERROR_FORMAT, _("%s: header is not valid JSON: %s"), file, msg);
}

NwTensorFile *
nw_safetensors_parse (const guint8 *bytes, gsize length, const char *name_for_errors, GError **error)
{
  const char *file = name_for_errors != NULL ? name_for_errors : "safetensors";
  g_autoptr (NwTensorFile) tf = NULL;
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GArray) entries = NULL;
  g_autoptr (GError) json_error = NULL;
  const guint8 *data;
  guint64 header_len, data_size;
  JsonNode *root;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  guint index = 0;
  guint64 max_end = 0;
  const char *max_end_name = NULL;

  g_return_val_if_fail (bytes != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 8)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s: file is too short (%zu bytes) to hold the 8-byte header length"),
                   file, length);
      return NULL;
    }
  memcpy (&header_len, bytes, 8);
  header_len = GUINT64_FROM_LE (header_len);
  if (header_len < 2)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s: header length %" PRIu64 " is too small (at least 2, for \"{}\")"),
                   file, header_len);
      return NULL;
    }
  if (header_len > (guint64) length - 8)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                   _("%s: header length %" PRIu64 " exceeds the file (%zu bytes)"),
                   file, header_len, length);
      return NULL;
    }
  data = bytes + 8 + header_len;
  data_size = (guint64) length - 8 - header_len;

  /* g_utf8_validate_len() also refuses NUL bytes, which JSON text cannot hold. */
  if (!g_utf8_validate_len ((const char *) bytes + 8, (gsize) header_len, NULL))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT, _("%s: header is not valid UTF-8 text"), file);
      return NULL;
    }
  /* Before json-glib: its parser recurses per level and overflows the stack on deep input. */
  if (!nw_json_check_depth ((const char *) bytes + 8, (gsize) header_len, NW_JSON_MAX_DEPTH, error))
    {
      /* "header:" says that the byte counts from the header's start (the file's byte 8). */
      g_prefix_error (error, _("%s: header: "), file);
      return NULL;
    }
  /* json-glib reads an integer beyond gint64 as another one (2^63 as a negative number, one
   * beyond 2^64 as -1): the later checks would describe a number the file does not hold. */
  if (!nw_json_check_integers ((const char *) bytes + 8, (gsize) header_len, error))
    {
      g_prefix_error (error, _("%s: header: "), file);
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, (const char *) bytes + 8, (gssize) header_len, &json_error))
    {
      header_json_error (file, (const char *) bytes + 8, (gsize) header_len, json_error, error);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_FORMAT, _("%s: header is not a JSON object"), file);
      return NULL;
    }

  tf = nw_tensor_file_new ();
  entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (entries, entry_clear);

  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &key, &value))
    {
      Entry entry = { NULL, 0, 0, index++ };
      if (strcmp (key, "__metadata__") == 0)
        {
          if (!parse_metadata (file, value, tf->metadata, error))
            return NULL;
          continue;
        }
      if (!parse_entry (file, key, value, data_size, &entry, error))
        return NULL;
      g_array_append_val (entries, entry);
    }

  /* File order is data order; check that no two non-empty ranges share a byte. */
  g_array_sort (entries, entry_compare);
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *e = &g_array_index (entries, Entry, i);
      if (e->begin == e->end)
        continue;
      if (max_end_name != NULL && e->begin < max_end)
        {
          g_set_error (error, NW_ERROR, NW_ERROR_FORMAT,
                       _("%s: tensor '%s': data_offsets [%" PRIu64 ", %" PRIu64
                       "] overlap those of tensor '%s' (which end at %" PRIu64 ")"),
                       file, e->tensor->name, e->begin, e->end, max_end_name, max_end);
          return NULL;
        }
      max_end = e->end;
      max_end_name = e->tensor->name;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      Entry *e = &g_array_index (entries, Entry, i);
      if (!read_values (file, e->tensor, data + e->begin, error))
        return NULL;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *e = &g_array_index (entries, Entry, i);
      g_ptr_array_add (tf->tensors, g_steal_pointer (&e->tensor));
    }
  return g_steal_pointer (&tf);
}

NwTensorFile *
nw_safetensors_load (const char *path, GError **error)
{
  g_autoptr (GMappedFile) mapped = NULL;
  g_autoptr (GError) local = NULL;
  struct stat st;
  int fd;
  const guint8 *bytes;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("%s: cannot open: %s"), path, g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("%s: cannot read: not a regular file"), path);
      close (fd);
      return NULL;
    }
  mapped = g_mapped_file_new_from_fd (fd, FALSE, &local);
  close (fd);
  if (mapped == NULL)
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("%s: cannot read: %s"), path, local->message);
      return NULL;
    }
  bytes = (const guint8 *) g_mapped_file_get_contents (mapped);
  length = g_mapped_file_get_length (mapped);
  return nw_safetensors_parse (bytes, length, path, error);
}

/* ---------------------------------------------------------------- writing */

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Appends the tensor's values in its stored dtype, refusing values the reader would refuse. */
static gboolean
append_values (GByteArray *out, const NwTensor *t, const char *path, GError **error)
{
  for (gsize i = 0; i < t->numel; i++)
    {
      float f = t->f32[i];
      if (!isfinite (f))
        {
          g_set_error (error, NW_ERROR, NW_ERROR_RANGE,
                       _("%s: tensor '%s': value at index %zu is %s; not saved"),
                       path, t->name, i, isnan (f) ? "NaN" : (f > 0 ? "+Inf" : "-Inf"));
          return FALSE;
        }
      switch (t->dtype)
        {
        case NW_DTYPE_F32:
          {
            guint32 u;
            memcpy (&u, &f, 4);
            u = GUINT32_TO_LE (u);
            g_byte_array_append (out, (const guint8 *) &u, 4);
          }
          break;
        case NW_DTYPE_F64:
          {
            double d = f;
            guint64 u;
            memcpy (&u, &d, 8);
            u = GUINT64_TO_LE (u);
            g_byte_array_append (out, (const guint8 *) &u, 8);
          }
          break;
        case NW_DTYPE_I64:
        default:
          {
            double r = round ((double) f);
            guint64 u;
            /* 2^63 is exactly representable; the int64 range is [-2^63, 2^63). */
            if (r < -9223372036854775808.0 || r >= 9223372036854775808.0)
              {
                g_set_error (error, NW_ERROR, NW_ERROR_RANGE,
                             _("%s: tensor '%s': value at index %zu (%g) does not fit in I64"),
                             path, t->name, i, r);
                return FALSE;
              }
            u = GUINT64_TO_LE ((guint64) (gint64) r);
            g_byte_array_append (out, (const guint8 *) &u, 8);
          }
          break;
        }
    }
  return TRUE;
}

static void
add_int_array (JsonBuilder *b, const char *member, int n, const guint64 *values)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (int i = 0; i < n; i++)
    json_builder_add_int_value (b, (gint64) values[i]);
  json_builder_end_array (b);
}

gboolean
nw_safetensors_save (const NwTensorFile *tf, const char *path, GError **error)
{
  g_autoptr (JsonBuilder) builder = NULL;
  g_autoptr (JsonGenerator) gen = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GByteArray) data = NULL;
  g_autoptr (GByteArray) file = NULL;
  g_autoptr (GPtrArray) keys = NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *header = NULL;
  GHashTableIter hiter;
  gpointer k, v;
  gsize header_len, padded_len;
  guint64 len_le;
  gboolean has_format;

  g_return_val_if_fail (tf != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);

  /* "__metadata__" first, as the Python writer puts it; keys sorted so that output is stable. */
  keys = g_ptr_array_new ();
  g_hash_table_iter_init (&hiter, tf->metadata);
  while (g_hash_table_iter_next (&hiter, &k, &v))
    g_ptr_array_add (keys, k);
  has_format = g_hash_table_contains (tf->metadata, "format");
  if (!has_format)
    g_ptr_array_add (keys, (gpointer) "format");
  g_ptr_array_sort (keys, compare_strings);
  json_builder_set_member_name (builder, "__metadata__");
  json_builder_begin_object (builder);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      const char *val = g_hash_table_lookup (tf->metadata, key);
      json_builder_set_member_name (builder, key);
      json_builder_add_string_value (builder, val != NULL ? val : "pt");
    }
  json_builder_end_object (builder);

  data = g_byte_array_new ();
  for (guint i = 0; i < tf->tensors->len; i++)
    {
      const NwTensor *t = g_ptr_array_index (tf->tensors, i);
      guint64 offsets[2];
      guint64 shape[NW_SAFETENSORS_MAX_RANK];

      g_return_val_if_fail (t->rank >= 0 && t->rank <= NW_SAFETENSORS_MAX_RANK, FALSE);
      offsets[0] = data->len;
      if (!append_values (data, t, path, error))
        return FALSE;
      offsets[1] = data->len;
      for (int d = 0; d < t->rank; d++)
        shape[d] = (guint64) t->shape[d];

      json_builder_set_member_name (builder, t->name);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "dtype");
      json_builder_add_string_value (builder, dtype_info[t->dtype].name);
      add_int_array (builder, "shape", t->rank, shape);
      add_int_array (builder, "data_offsets", 2, offsets);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  gen = json_generator_new ();
  json_generator_set_root (gen, root);
  header = json_generator_to_data (gen, &header_len);

  /* Pad with spaces so that the data starts at a multiple of 8 bytes. */
  padded_len = header_len + (8 - header_len % 8) % 8;
  file = g_byte_array_sized_new ((guint) MIN (8 + padded_len + data->len, G_MAXUINT));
  len_le = GUINT64_TO_LE ((guint64) padded_len);
  g_byte_array_append (file, (const guint8 *) &len_le, 8);
  g_byte_array_append (file, (const guint8 *) header, (guint) header_len);
  for (gsize i = header_len; i < padded_len; i++)
    g_byte_array_append (file, (const guint8 *) " ", 1);
  g_byte_array_append (file, data->data, data->len);

  if (!g_file_set_contents (path, (const char *) file->data, (gssize) file->len, &local))
    {
      g_set_error (error, NW_ERROR, NW_ERROR_IO, _("%s: cannot write: %s"), path, local->message);
      return FALSE;
    }
  return TRUE;
}
