/* test-safetensors.c: round trips, the exact bytes written, a file laid out as Python's
 * safetensors writes it, and every way a file can be malformed. */
#include "nw-safetensors.h"
#include "nw-test.h"

#include <glib/gstdio.h>
#include <float.h>
#include <math.h>
#include <string.h>

#define FILE_NAME "model.safetensors"

/* ---------------------------------------------------------------- helpers */

/* A safetensors file from a header text and raw data: the length field, the header padded
 * with spaces to a multiple of 8 when `pad`, then the data. */
static GByteArray *
make_file (const char *json, gboolean pad, const void *data, gsize data_len)
{
  GByteArray *out = g_byte_array_new ();
  gsize n = strlen (json);
  gsize padded = pad ? n + (8 - n % 8) % 8 : n;
  guint64 le = GUINT64_TO_LE ((guint64) padded);

  g_byte_array_append (out, (const guint8 *) &le, 8);
  g_byte_array_append (out, (const guint8 *) json, (guint) n);
  for (gsize i = n; i < padded; i++)
    g_byte_array_append (out, (const guint8 *) " ", 1);
  if (data_len > 0)
    g_byte_array_append (out, data, (guint) data_len);
  return out;
}

static void
put_f32 (guint8 *p, float f)
{
  guint32 u;
  memcpy (&u, &f, 4);
  u = GUINT32_TO_LE (u);
  memcpy (p, &u, 4);
}

static void
put_f64 (guint8 *p, double d)
{
  guint64 u;
  memcpy (&u, &d, 8);
  u = GUINT64_TO_LE (u);
  memcpy (p, &u, 8);
}

static void
put_i64 (guint8 *p, gint64 v)
{
  guint64 u = GUINT64_TO_LE ((guint64) v);
  memcpy (p, &u, 8);
}

static NwTensorFile *
parse_array (GByteArray *file, GError **error)
{
  NwTensorFile *tf = nw_safetensors_parse (file->data, file->len, FILE_NAME, error);
  g_byte_array_unref (file);
  return tf;
}

/* Parses header + data that must fail with NW_ERROR_FORMAT and a message holding `needle`. */
static void
expect_format_error (int line, const char *json, const void *data, gsize data_len,
                     const char *needle, const char *needle2)
{
  GError *error = NULL;
  NwTensorFile *tf = parse_array (make_file (json, TRUE, data, data_len), &error);
  CU_ASSERT_PTR_NULL (tf);
  nw_tensor_file_free (tf);
  nw_test_assert_error (&error, NW_ERROR, NW_ERROR_FORMAT, __FILE__, line,
                        FILE_NAME ": ", needle, needle2, NULL);
}
#define EXPECT_FORMAT_ERROR(json, data, len, needle, needle2) \
  expect_format_error (__LINE__, json, data, len, needle, needle2)

static guint
count_dir_entries (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  g_dir_close (d);
  return n;
}

/* ---------------------------------------------------------------- the in-memory file */

static void
test_tensor_file_api (void)
{
  g_autoptr (NwTensorFile) tf = nw_tensor_file_new ();
  const gint64 shape[] = { 2, 3 };
  const float values[] = { 1, 2, 3, 4, 5, 6 };
  NwTensor *t, *s;

  CU_ASSERT_EQUAL (tf->tensors->len, 0);
  CU_ASSERT_EQUAL (g_hash_table_size (tf->metadata), 0);
  CU_ASSERT_PTR_NULL (nw_tensor_file_get (tf, "w"));

  t = nw_tensor_file_add (tf, "w", NW_DTYPE_F32, 2, shape, values);
  CU_ASSERT_PTR_NOT_NULL_FATAL (t);
  CU_ASSERT_STRING_EQUAL (t->name, "w");
  CU_ASSERT_EQUAL (t->rank, 2);
  CU_ASSERT_EQUAL (t->shape[0], 2);
  CU_ASSERT_EQUAL (t->shape[1], 3);
  CU_ASSERT_EQUAL (t->numel, 6);
  CU_ASSERT (t->f32 != values);
  CU_ASSERT (memcmp (t->f32, values, sizeof values) == 0);

  /* Rank 0 is a scalar: one element. No data means zeros. */
  s = nw_tensor_file_add (tf, "n", NW_DTYPE_I64, 0, NULL, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (s);
  CU_ASSERT_EQUAL (s->numel, 1);
  CU_ASSERT_EQUAL (s->f32[0], 0.0f);

  CU_ASSERT_PTR_EQUAL (nw_tensor_file_get (tf, "w"), t);
  CU_ASSERT_PTR_EQUAL (nw_tensor_file_get (tf, "n"), s);
  CU_ASSERT_PTR_NULL (nw_tensor_file_get (tf, "x"));
  CU_ASSERT_EQUAL (tf->tensors->len, 2);
}

/* ---------------------------------------------------------------- round trips */

static void
test_roundtrip (void)
{
  g_autoptr (NwTensorFile) tf = nw_tensor_file_new ();
  g_autoptr (NwTensorFile) back = NULL;
  g_autofree char *path = nw_test_path ("roundtrip.safetensors");
  GError *error = NULL;
  const gint64 s_vec[] = { 3 }, s_mat[] = { 2, 3 }, s_cube[] = { 2, 1, 2 }, s_r4[] = { 1, 2, 1, 2 };
  const gint64 s_empty[] = { 2, 0 };
  const float scalar = 3.5f;
  const float vec[] = { -1.25f, 0.0f, 1e-30f };
  const float mat[] = { 1.0f / 3.0f, -2.0f, FLT_MAX, -FLT_MAX, 1e-45f /* denormal */, -0.0f };
  const float cube[] = { 0.1f, 0.2f, 0.3f, 0.4f };
  const float r4[] = { 5, 6, 7, 8 };
  const float steps = 42.0f;
  /* Deliberately not in alphabetical order: the file keeps this order. */
  const char *names[] = { "z.weight", "scalar", "vec", "mat", "empty", "cube", "r4", "bn.num_batches_tracked" };

  nw_tensor_file_add (tf, "z.weight", NW_DTYPE_F32, 1, s_vec, vec);
  nw_tensor_file_add (tf, "scalar", NW_DTYPE_F32, 0, NULL, &scalar);
  nw_tensor_file_add (tf, "vec", NW_DTYPE_F32, 1, s_vec, vec);
  nw_tensor_file_add (tf, "mat", NW_DTYPE_F32, 2, s_mat, mat);
  nw_tensor_file_add (tf, "empty", NW_DTYPE_F32, 2, s_empty, NULL);
  nw_tensor_file_add (tf, "cube", NW_DTYPE_F64, 3, s_cube, cube);
  nw_tensor_file_add (tf, "r4", NW_DTYPE_F32, 4, s_r4, r4);
  nw_tensor_file_add (tf, "bn.num_batches_tracked", NW_DTYPE_I64, 0, NULL, &steps);
  g_hash_table_insert (tf->metadata, g_strdup ("author"), g_strdup ("neurowire \"test\" \xc3\xa9"));

  CU_ASSERT_FATAL (nw_safetensors_save (tf, path, &error));
  NW_ASSERT_NO_ERROR (error);
  /* Saving does not touch the caller's metadata. */
  CU_ASSERT_FALSE (g_hash_table_contains (tf->metadata, "format"));

  back = nw_safetensors_load (path, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (back);
  CU_ASSERT_EQUAL_FATAL (back->tensors->len, G_N_ELEMENTS (names));
  for (guint i = 0; i < back->tensors->len; i++)
    {
      NwTensor *a = g_ptr_array_index (tf->tensors, i);
      NwTensor *b = g_ptr_array_index (back->tensors, i);
      CU_ASSERT_STRING_EQUAL (b->name, names[i]);
      CU_ASSERT_EQUAL (b->dtype, a->dtype);
      CU_ASSERT_EQUAL (b->rank, a->rank);
      CU_ASSERT_EQUAL (b->numel, a->numel);
      for (int d = 0; d < a->rank; d++)
        CU_ASSERT_EQUAL (b->shape[d], a->shape[d]);
      /* Bit-exact, signed zero and denormals included. */
      CU_ASSERT (a->numel == 0 || memcmp (a->f32, b->f32, a->numel * sizeof (float)) == 0);
    }
  CU_ASSERT_EQUAL (nw_tensor_file_get (back, "scalar")->numel, 1);
  CU_ASSERT_EQUAL (nw_tensor_file_get (back, "scalar")->f32[0], 3.5f);
  CU_ASSERT_EQUAL (nw_tensor_file_get (back, "bn.num_batches_tracked")->f32[0], 42.0f);
  CU_ASSERT_EQUAL (nw_tensor_file_get (back, "empty")->numel, 0);
  CU_ASSERT (signbit (nw_tensor_file_get (back, "mat")->f32[5]));

  CU_ASSERT_EQUAL (g_hash_table_size (back->metadata), 2);
  CU_ASSERT_STRING_EQUAL (g_hash_table_lookup (back->metadata, "author"), "neurowire \"test\" \xc3\xa9");
  CU_ASSERT_STRING_EQUAL (g_hash_table_lookup (back->metadata, "format"), "pt");
}

/* A file that already says its format keeps it. */
static void
test_roundtrip_keeps_format (void)
{
  g_autoptr (NwTensorFile) tf = nw_tensor_file_new ();
  g_autoptr (NwTensorFile) back = NULL;
  g_autofree char *path = nw_test_path ("format.safetensors");
  GError *error = NULL;

  g_hash_table_insert (tf->metadata, g_strdup ("format"), g_strdup ("np"));
  CU_ASSERT (nw_safetensors_save (tf, path, &error));
  NW_ASSERT_NO_ERROR (error);
  back = nw_safetensors_load (path, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (back);
  CU_ASSERT_EQUAL (back->tensors->len, 0);
  CU_ASSERT_EQUAL (g_hash_table_size (back->metadata), 1);
  CU_ASSERT_STRING_EQUAL (g_hash_table_lookup (back->metadata, "format"), "np");
}

/* The exact bytes of a one-tensor file, computed by hand. */
static void
test_byte_layout (void)
{
  g_autoptr (NwTensorFile) tf = nw_tensor_file_new ();
  g_autofree char *path = nw_test_path ("tiny.safetensors");
  g_autofree char *contents = NULL;
  const gint64 shape[] = { 2 };
  const float values[] = { 1.0f, -2.0f };
  const char header[] = "{\"__metadata__\":{\"format\":\"pt\"},"
                        "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
  guint8 expected[8 + 88 + 8];
  gsize length = 0;
  GError *error = NULL;

  /* The header text is 85 bytes; padded with 3 spaces to 88 = 0x58. */
  CU_ASSERT_EQUAL_FATAL (strlen (header), 85);
  memcpy (expected, "\x58\0\0\0\0\0\0\0", 8);
  memcpy (expected + 8, header, 85);
  memcpy (expected + 8 + 85, "   ", 3);
  /* 1.0f = 0x3f800000, -2.0f = 0xc0000000, little-endian. */
  memcpy (expected + 96, "\x00\x00\x80\x3f\x00\x00\x00\xc0", 8);

  nw_tensor_file_add (tf, "a", NW_DTYPE_F32, 1, shape, values);
  CU_ASSERT_FATAL (nw_safetensors_save (tf, path, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_FATAL (g_file_get_contents (path, &contents, &length, NULL));
  CU_ASSERT_EQUAL_FATAL (length, sizeof expected);
  CU_ASSERT (memcmp (contents, expected, sizeof expected) == 0);
}

/* I64 values are written rounded (half away from zero), F64 widened exactly. */
static void
test_write_i64_f64 (void)
{
  g_autoptr (NwTensorFile) tf = nw_tensor_file_new ();
  g_autoptr (NwTensorFile) back = NULL;
  g_autofree char *path = nw_test_path ("ints.safetensors");
  g_autofree char *contents = NULL;
  const gint64 shape[] = { 4 };
  const float ints[] = { 2.6f, -2.5f, 0.4f, 1e10f };
  const float reals[] = { 0.1f };
  const gint64 one[] = { 1 };
  gsize length = 0;
  guint64 hlen;
  const guint8 *data;
  guint8 expected[40];
  GError *error = NULL;

  nw_tensor_file_add (tf, "i", NW_DTYPE_I64, 1, shape, ints);
  nw_tensor_file_add (tf, "d", NW_DTYPE_F64, 1, one, reals);
  CU_ASSERT_FATAL (nw_safetensors_save (tf, path, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_FATAL (g_file_get_contents (path, &contents, &length, NULL));
  memcpy (&hlen, contents, 8);
  hlen = GUINT64_FROM_LE (hlen);
  CU_ASSERT_EQUAL (hlen % 8, 0);
  CU_ASSERT_EQUAL_FATAL (length, 8 + hlen + 40);
  data = (const guint8 *) contents + 8 + hlen;
  put_i64 (expected, 3);
  put_i64 (expected + 8, -3);
  put_i64 (expected + 16, 0);
  put_i64 (expected + 24, 10000000000);
  put_f64 (expected + 32, (double) 0.1f);
  CU_ASSERT (memcmp (data, expected, 40) == 0);

  back = nw_safetensors_load (path, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (back);
  CU_ASSERT_EQUAL (nw_tensor_file_get (back, "i")->f32[0], 3.0f);
  CU_ASSERT_EQUAL (nw_tensor_file_get (back, "i")->f32[1], -3.0f);
  CU_ASSERT_EQUAL (nw_tensor_file_get (back, "i")->f32[3], 1e10f);
  CU_ASSERT_EQUAL (nw_tensor_file_get (back, "d")->f32[0], 0.1f);
}

/* ---------------------------------------------------------------- files from elsewhere */

/* Laid out as safetensors' Python writer lays out a BatchNorm + Linear state_dict: metadata
 * first, tensors sorted by alignment (8-byte types first) then name, compact JSON, padded with
 * spaces, data packed in header order. */
static void
test_python_layout (void)
{
  const char *json =
    "{\"__metadata__\":{\"format\":\"pt\"},"
    "\"bn.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
    "\"bn.running_mean\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[8,24]},"
    "\"fc.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]},"
    "\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[32,56]}}";
  const char *names[] = { "bn.num_batches_tracked", "bn.running_mean", "fc.bias", "fc.weight" };
  const float weight[] = { 0.5f, -0.25f, 0.125f, 1, 2, 3 };
  guint8 data[56];
  g_autoptr (NwTensorFile) tf = NULL;
  GByteArray *file;
  g_autofree char *path = NULL;
  GError *error = NULL;
  NwTensor *t;

  put_i64 (data, 1200);
  put_f64 (data + 8, 0.5);
  put_f64 (data + 16, -1.5);
  put_f32 (data + 24, 0.1f);
  put_f32 (data + 28, -0.2f);
  for (int i = 0; i < 6; i++)
    put_f32 (data + 32 + 4 * i, weight[i]);

  file = make_file (json, TRUE, data, sizeof data);
  CU_ASSERT_EQUAL ((file->len - 8 - sizeof data) % 8, 0);
  path = nw_test_write ("python.safetensors", file->data, file->len);
  g_byte_array_unref (file);

  tf = nw_safetensors_load (path, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (tf);
  CU_ASSERT_EQUAL_FATAL (tf->tensors->len, 4);
  for (guint i = 0; i < 4; i++)
    CU_ASSERT_STRING_EQUAL (((NwTensor *) g_ptr_array_index (tf->tensors, i))->name, names[i]);
  CU_ASSERT_STRING_EQUAL (g_hash_table_lookup (tf->metadata, "format"), "pt");

  t = nw_tensor_file_get (tf, "bn.num_batches_tracked");
  CU_ASSERT_EQUAL (t->dtype, NW_DTYPE_I64);
  CU_ASSERT_EQUAL (t->rank, 0);
  CU_ASSERT_EQUAL (t->numel, 1);
  CU_ASSERT_EQUAL (t->f32[0], 1200.0f);
  t = nw_tensor_file_get (tf, "bn.running_mean");
  CU_ASSERT_EQUAL (t->dtype, NW_DTYPE_F64);
  CU_ASSERT_EQUAL (t->f32[0], 0.5f);
  CU_ASSERT_EQUAL (t->f32[1], -1.5f);
  t = nw_tensor_file_get (tf, "fc.bias");
  CU_ASSERT_EQUAL (t->f32[0], 0.1f);
  CU_ASSERT_EQUAL (t->f32[1], -0.2f);
  t = nw_tensor_file_get (tf, "fc.weight");
  CU_ASSERT_EQUAL (t->rank, 2);
  CU_ASSERT_EQUAL (t->shape[0], 2);
  CU_ASSERT_EQUAL (t->shape[1], 3);
  CU_ASSERT (memcmp (t->f32, weight, sizeof weight) == 0);
}

/* Tensors come back in data order whatever the order of the JSON keys; an unpadded header
 * and unknown per-tensor keys are accepted; "{}" is an empty file. */
static void
test_file_order_and_leniency (void)
{
  const char *json =
    "{\"b\":{\"data_offsets\":[4,8],\"shape\":[1],\"dtype\":\"F32\",\"extra\":1},"
    "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
  guint8 data[8];
  g_autoptr (NwTensorFile) tf = NULL;
  g_autoptr (NwTensorFile) empty = NULL;
  GError *error = NULL;

  put_f32 (data, 1.0f);
  put_f32 (data + 4, 2.0f);
  tf = parse_array (make_file (json, FALSE, data, sizeof data), &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (tf);
  CU_ASSERT_EQUAL_FATAL (tf->tensors->len, 2);
  CU_ASSERT_STRING_EQUAL (((NwTensor *) g_ptr_array_index (tf->tensors, 0))->name, "a");
  CU_ASSERT_STRING_EQUAL (((NwTensor *) g_ptr_array_index (tf->tensors, 1))->name, "b");
  CU_ASSERT_EQUAL (nw_tensor_file_get (tf, "a")->f32[0], 1.0f);
  CU_ASSERT_EQUAL (nw_tensor_file_get (tf, "b")->f32[0], 2.0f);

  empty = parse_array (make_file ("{}", FALSE, NULL, 0), &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (empty);
  CU_ASSERT_EQUAL (empty->tensors->len, 0);
  CU_ASSERT_EQUAL (g_hash_table_size (empty->metadata), 0);
}

/* ---------------------------------------------------------------- malformed files */

static void
test_bad_header_length (void)
{
  guint8 bytes[123];
  guint64 le;
  GError *error = NULL;
  NwTensorFile *tf;

  memset (bytes, ' ', sizeof bytes);

  /* Larger than the file. */
  le = GUINT64_TO_LE (G_GUINT64_CONSTANT (1) << 40);
  memcpy (bytes, &le, 8);
  tf = nw_safetensors_parse (bytes, sizeof bytes, FILE_NAME, &error);
  CU_ASSERT_PTR_NULL (tf);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT,
                   FILE_NAME ": header length 1099511627776 exceeds the file (123 bytes)");

  /* 2^60 and 2^64 - 1: refused before any allocation or pointer arithmetic. */
  le = GUINT64_TO_LE (G_GUINT64_CONSTANT (1) << 60);
  memcpy (bytes, &le, 8);
  tf = nw_safetensors_parse (bytes, sizeof bytes, FILE_NAME, &error);
  CU_ASSERT_PTR_NULL (tf);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "header length 1152921504606846976 exceeds");
  le = G_MAXUINT64;
  memcpy (bytes, &le, 8);
  tf = nw_safetensors_parse (bytes, sizeof bytes, FILE_NAME, &error);
  CU_ASSERT_PTR_NULL (tf);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "exceeds the file");

  /* One byte more than the file holds. */
  le = GUINT64_TO_LE (sizeof bytes - 7);
  memcpy (bytes, &le, 8);
  tf = nw_safetensors_parse (bytes, sizeof bytes, FILE_NAME, &error);
  CU_ASSERT_PTR_NULL (tf);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "header length 116 exceeds the file (123 bytes)");

  /* Too small. */
  for (guint64 n = 0; n < 2; n++)
    {
      le = GUINT64_TO_LE (n);
      memcpy (bytes, &le, 8);
      tf = nw_safetensors_parse (bytes, sizeof bytes, FILE_NAME, &error);
      CU_ASSERT_PTR_NULL (tf);
      NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, FILE_NAME ": header length ", "too small");
    }

  /* Shorter than the length field itself. */
  tf = nw_safetensors_parse (bytes, 5, FILE_NAME, &error);
  CU_ASSERT_PTR_NULL (tf);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, FILE_NAME ": ", "too short (5 bytes)");
  tf = nw_safetensors_parse (NULL, 0, FILE_NAME, &error);
  CU_ASSERT_PTR_NULL (tf);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "too short (0 bytes)");
}

static void
test_bad_json (void)
{
  GError *error = NULL;
  NwTensorFile *tf;
  GByteArray *file;

  EXPECT_FORMAT_ERROR ("{\"a\":", NULL, 0, "not valid JSON", NULL);
  EXPECT_FORMAT_ERROR ("{\"a\":{\"dtype\":\"F32\",}", NULL, 0, "not valid JSON", NULL);
  /* the position is the file's byte (from 0; the header starts at byte 8), not json-glib's
   * "<data>:1:20" counted in the header alone */
  EXPECT_FORMAT_ERROR ("{\"a\":{\"dtype\":\"F32\",}", NULL, 0,
                       "header is not valid JSON at byte 27 of the file (line 1, column 20 of the header): ",
                       "unexpected character");
  EXPECT_FORMAT_ERROR ("{\n \"a\":x}", NULL, 0,
                       "at byte 15 of the file (line 2, column 6 of the header)", "identifier");
  EXPECT_FORMAT_ERROR ("[1,2]", NULL, 0, "not a JSON object", NULL);
  EXPECT_FORMAT_ERROR ("\"text\"", NULL, 0, "not a JSON object", NULL);
  EXPECT_FORMAT_ERROR ("  ", NULL, 0, "header is not", NULL);

  /* Not UTF-8, and a NUL inside the header. */
  EXPECT_FORMAT_ERROR ("{\"\xff\":{}}", NULL, 0, "not valid UTF-8", NULL);
  file = make_file ("{}      ", FALSE, NULL, 0);
  file->data[9] = 0;
  tf = parse_array (file, &error);
  CU_ASSERT_PTR_NULL (tf);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "not valid UTF-8");

  EXPECT_FORMAT_ERROR ("{\"__metadata__\":[1]}", NULL, 0, "\"__metadata__\" is not an object", NULL);
  EXPECT_FORMAT_ERROR ("{\"__metadata__\":{\"epoch\":3}}", NULL, 0, "value of 'epoch' is not a string", NULL);
  EXPECT_FORMAT_ERROR ("{\"w\":[0,4]}", NULL, 0, "tensor 'w': entry is not an object", NULL);
}

/* A header of `n` nested objects ({"a":{"a":...}}) or arrays ([[[...]]]). New string. */
static char *
deep_header (guint n, gboolean objects)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    g_string_append (s, objects ? "{\"a\":" : "[");
  g_string_append (s, objects ? "1" : "");
  for (guint i = 0; i < n; i++)
    g_string_append_c (s, objects ? '}' : ']');
  return g_string_free (s, FALSE);
}

/* json-glib's parser recurses per level: these headers overflowed the stack (SIGSEGV) before
 * the depth check; now they are refused naming the file and the limit, from memory and from
 * disk. A tensor name full of brackets is text and does not count. */
static void
test_deep_header (void)
{
  GError *error = NULL;
  g_autofree char *objects = deep_header (60000, TRUE);
  g_autofree char *arrays = deep_header (200000, FALSE);
  g_autofree char *at_limit = deep_header (256, TRUE);
  g_autofree char *over_limit = deep_header (257, TRUE);
  GString *name = g_string_new ("{\"");
  g_autofree char *bracket_json = NULL;
  GByteArray *file;
  g_autofree char *path = NULL;
  NwTensorFile *tf;
  guint8 data[4] = { 0 };

  EXPECT_FORMAT_ERROR (objects, NULL, 0, "nesting deeper than 256 levels", NULL);
  EXPECT_FORMAT_ERROR (arrays, NULL, 0, "nesting deeper than 256 levels", NULL);
  /* 256 levels reach the parser (and fail later, as not a tensor entry); 257 do not */
  EXPECT_FORMAT_ERROR (at_limit, NULL, 0, "tensor 'a'", NULL);
  EXPECT_FORMAT_ERROR (over_limit, NULL, 0, "nesting deeper than 256 levels", NULL);

  file = make_file (arrays, TRUE, NULL, 0);
  path = nw_test_write ("deep.safetensors", file->data, file->len);
  g_byte_array_unref (file);
  tf = nw_safetensors_load (path, &error);
  CU_ASSERT_PTR_NULL (tf);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, "deep.safetensors: header: ",
                   "nesting deeper than 256 levels at byte 256 of the JSON text");

  for (guint i = 0; i < 100000; i++)
    g_string_append (name, i % 3 == 0 ? "[" : i % 3 == 1 ? "{" : "\\\"");
  g_string_append (name, "\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}");
  bracket_json = g_string_free (name, FALSE);
  tf = parse_array (make_file (bracket_json, TRUE, data, sizeof data), &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL (tf);
  nw_tensor_file_free (tf);
}

/* json-glib reads integers beyond gint64 as other numbers (18446744073709551620 as -1,
 * 2^63 as a negative one), and the message called them negative. Refused as written. */
static void
test_huge_offsets (void)
{
  GError *error = NULL;
  guint8 data[4] = { 0 };
  NwTensorFile *tf;

  tf = parse_array (make_file ("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],"
                               "\"data_offsets\":[0,18446744073709551620]}}", TRUE, data, sizeof data),
                    &error);
  CU_ASSERT_PTR_NULL (tf);
  nw_tensor_file_free (tf);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, FILE_NAME ": header: line 1: ",
                   "'data_offsets' is 18446744073709551620, out of range");

  tf = parse_array (make_file ("{\"w\":{\"dtype\":\"F32\",\"shape\":[9223372036854775808],"
                               "\"data_offsets\":[0,4]}}", TRUE, data, sizeof data), &error);
  CU_ASSERT_PTR_NULL (tf);
  nw_tensor_file_free (tf);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "'shape' is 9223372036854775808");
}

static void
test_bad_dtype (void)
{
  guint8 data[8] = { 0 };

  EXPECT_FORMAT_ERROR ("{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", data, 4,
                       "tensor 'w': unsupported dtype 'F16' (Neurowire reads F32, F64, I64)", NULL);
  EXPECT_FORMAT_ERROR ("{\"w\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", data, 4,
                       "tensor 'w': unsupported dtype 'BF16'", NULL);
  EXPECT_FORMAT_ERROR ("{\"w\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]}}", data, 8,
                       "tensor 'w': unsupported dtype 'I32'", NULL);
  EXPECT_FORMAT_ERROR ("{\"w\":{\"dtype\":\"f32\",\"shape\":[2],\"data_offsets\":[0,8]}}", data, 8,
                       "tensor 'w': unsupported dtype 'f32'", NULL);
  EXPECT_FORMAT_ERROR ("{\"w\":{\"dtype\":\"QUUX\",\"shape\":[2],\"data_offsets\":[0,8]}}", data, 8,
                       "unsupported dtype 'QUUX'", NULL);
  EXPECT_FORMAT_ERROR ("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", data, 8,
                       "tensor 'w': \"dtype\" is missing", NULL);
  EXPECT_FORMAT_ERROR ("{\"w\":{\"dtype\":32,\"shape\":[2],\"data_offsets\":[0,8]}}", data, 8,
                       "tensor 'w': \"dtype\" is missing or not a string", NULL);
}

static void
test_bad_shape (void)
{
  guint8 data[24] = { 0 };

  /* The shape needs 24 bytes, the offsets give 20. */
  EXPECT_FORMAT_ERROR ("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", data, 24,
                       "tensor 'w': data_offsets [0, 20] hold 20 bytes but the shape needs 24", NULL);
  EXPECT_FORMAT_ERROR ("{\"w\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}}", data, 24,
                       "tensor 'w':", "needs 16 (2 x F64)");
  EXPECT_FORMAT_ERROR ("{\"w\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1],\"data_offsets\":[0,4]}}", data, 4,
                       "tensor 'w': rank 5 is more than Neurowire handles (4)", NULL);
  EXPECT_FORMAT_ERROR ("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,-1],\"data_offsets\":[0,4]}}", data, 4,
                       "tensor 'w': shape entry 1 is not a non-negative integer", NULL);
  EXPECT_FORMAT_ERROR ("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,4]}}", data, 4,
                       "tensor 'w': shape entry 0 is not", NULL);
  EXPECT_FORMAT_ERROR ("{\"w\":{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,4]}}", data, 4,
                       "tensor 'w': \"shape\" is missing or not an array", NULL);
  /* A product that overflows 64 bits. */
  EXPECT_FORMAT_ERROR ("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,16],"
                       "\"data_offsets\":[0,0]}}", NULL, 0, "tensor 'w': shape's size overflows", NULL);
  /* A product that fits but whose size in bytes overflows. */
  EXPECT_FORMAT_ERROR ("{\"w\":{\"dtype\":\"F64\",\"shape\":[4611686018427387904],"
                       "\"data_offsets\":[0,0]}}", NULL, 0, "tensor 'w': shape's size overflows", NULL);
}

static void
test_bad_offsets (void)
{
  guint8 data[24] = { 0 };

  /* Truncated data: the header describes 24 bytes, the file has 16. */
  EXPECT_FORMAT_ERROR ("{\"w\":{\"dtype\":\"F32\",\"shape\":[6],\"data_offsets\":[0,24]}}", data, 16,
                       "tensor 'w': data_offsets [0, 24] are out of range (the data section has 16 bytes)",
                       NULL);
  EXPECT_FORMAT_ERROR ("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[1000,1004]}}", data, 24,
                       "tensor 'w': data_offsets [1000, 1004] are out of range", NULL);
  EXPECT_FORMAT_ERROR ("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", data, 24,
                       "tensor 'w': data_offsets [8, 0] are out of range", NULL);
  EXPECT_FORMAT_ERROR ("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", data, 24,
                       "tensor 'w': \"data_offsets\" is not a pair", NULL);
  EXPECT_FORMAT_ERROR ("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", data, 24,
                       "tensor 'w': \"data_offsets\" is not a pair", NULL);
  EXPECT_FORMAT_ERROR ("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", data, 24,
                       "tensor 'w': \"data_offsets\" is not a pair", NULL);

  /* Overlapping ranges, in either key order. */
  EXPECT_FORMAT_ERROR ("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                       "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", data, 24,
                       "tensor 'b': data_offsets [8, 24] overlap those of tensor 'a'", NULL);
  EXPECT_FORMAT_ERROR ("{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
                       "\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", data, 24,
                       "tensor 'b': data_offsets [4, 8] overlap those of tensor 'a'", NULL);
  EXPECT_FORMAT_ERROR ("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                       "\"b\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]}}", data, 24,
                       "overlap those of tensor", NULL);
}

static void
test_truncated_file_on_disk (void)
{
  g_autoptr (NwTensorFile) tf = nw_tensor_file_new ();
  g_autofree char *path = nw_test_path ("truncated.safetensors");
  g_autofree char *contents = NULL;
  const gint64 shape[] = { 4 };
  const float values[] = { 1, 2, 3, 4 };
  gsize length = 0;
  GError *error = NULL;
  NwTensorFile *back;

  nw_tensor_file_add (tf, "w", NW_DTYPE_F32, 1, shape, values);
  CU_ASSERT_FATAL (nw_safetensors_save (tf, path, &error));
  CU_ASSERT_FATAL (g_file_get_contents (path, &contents, &length, NULL));
  CU_ASSERT_FATAL (g_file_set_contents (path, contents, (gssize) length - 3, NULL));
  back = nw_safetensors_load (path, &error);
  CU_ASSERT_PTR_NULL (back);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, path, "tensor 'w'", "out of range");

  /* Cut inside the header. */
  CU_ASSERT_FATAL (g_file_set_contents (path, contents, 20, NULL));
  back = nw_safetensors_load (path, &error);
  CU_ASSERT_PTR_NULL (back);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, path, "exceeds the file (20 bytes)");

  /* Empty. */
  CU_ASSERT_FATAL (g_file_set_contents (path, "", 0, NULL));
  back = nw_safetensors_load (path, &error);
  CU_ASSERT_PTR_NULL (back);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_FORMAT, path, "too short (0 bytes)");
}

static void
test_non_finite (void)
{
  guint8 data[24];
  const char *f32 = "{\"ok\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                    "\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[8,24]}}";
  const char *f64 = "{\"w\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,24]}}";

  memset (data, 0, sizeof data);
  put_f32 (data + 8 + 8, NAN);
  EXPECT_FORMAT_ERROR (f32, data, 24, "tensor 'w': value at index 2 is NaN", NULL);
  put_f32 (data + 8 + 4, INFINITY);
  EXPECT_FORMAT_ERROR (f32, data, 24, "tensor 'w': value at index 1 is +Inf", NULL);
  put_f32 (data + 8, -INFINITY);
  EXPECT_FORMAT_ERROR (f32, data, 24, "tensor 'w': value at index 0 is -Inf", NULL);

  memset (data, 0, sizeof data);
  put_f64 (data + 16, NAN);
  EXPECT_FORMAT_ERROR (f64, data, 24, "tensor 'w': value at index 2 is NaN", NULL);
  put_f64 (data + 8, -INFINITY);
  EXPECT_FORMAT_ERROR (f64, data, 24, "tensor 'w': value at index 1 is -Inf", NULL);
  /* Finite as a double, infinite as a float. */
  memset (data, 0, sizeof data);
  put_f64 (data + 8, 1e300);
  EXPECT_FORMAT_ERROR (f64, data, 24, "tensor 'w': value at index 1 (1e+300) is outside float's range", NULL);
}

/* ---------------------------------------------------------------- files that cannot be read or written */

static void
test_missing_file (void)
{
  g_autofree char *path = nw_test_path ("does-not-exist.safetensors");
  GError *error = NULL;
  NwTensorFile *tf;

  tf = nw_safetensors_load (path, &error);
  CU_ASSERT_PTR_NULL (tf);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, path, "No such file");

  tf = nw_safetensors_load (nw_test_tmpdir (), &error);
  CU_ASSERT_PTR_NULL (tf);
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, nw_test_tmpdir (), "not a regular file");
}

static void
test_unwritable_path (void)
{
  g_autoptr (NwTensorFile) tf = nw_tensor_file_new ();
  g_autofree char *plain = nw_test_write ("plain-file", "x", 1);
  g_autofree char *under_file = g_build_filename (plain, "model.safetensors", NULL);
  g_autofree char *missing_dir = nw_test_path ("no-such-dir");
  g_autofree char *under_missing = g_build_filename (missing_dir, "model.safetensors", NULL);
  const gint64 shape[] = { 1 };
  const float one = 1.0f;
  guint before = count_dir_entries (nw_test_tmpdir ());
  GError *error = NULL;

  nw_tensor_file_add (tf, "w", NW_DTYPE_F32, 1, shape, &one);

  CU_ASSERT_FALSE (nw_safetensors_save (tf, under_file, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, under_file, "cannot write");

  CU_ASSERT_FALSE (nw_safetensors_save (tf, under_missing, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, under_missing, "cannot write");
  /* Nothing was created: no directory, no temporary file beside it. */
  CU_ASSERT_FALSE (g_file_test (missing_dir, G_FILE_TEST_EXISTS));
  CU_ASSERT_EQUAL (count_dir_entries (nw_test_tmpdir ()), before);

  /* A directory in the way of the target. */
  CU_ASSERT_FALSE (nw_safetensors_save (tf, nw_test_tmpdir (), &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_IO, nw_test_tmpdir ());
  CU_ASSERT_EQUAL (count_dir_entries (nw_test_tmpdir ()), before);
}

/* Overwriting goes through a temporary file that is renamed over the target; a save that
 * fails leaves the previous file as it was. */
static void
test_atomic_save (void)
{
  g_autoptr (NwTensorFile) first = nw_tensor_file_new ();
  g_autoptr (NwTensorFile) second = nw_tensor_file_new ();
  g_autoptr (NwTensorFile) bad = nw_tensor_file_new ();
  g_autoptr (NwTensorFile) back = NULL;
  g_autofree char *dir = nw_test_path ("atomic");
  g_autofree char *path = g_build_filename (dir, "model.safetensors", NULL);
  g_autofree char *saved = NULL;
  g_autofree char *after = NULL;
  gsize saved_len = 0, after_len = 0;
  const gint64 shape[] = { 3 };
  const float a[] = { 1, 2, 3 }, b[] = { 4, 5, 6 }, nan_values[] = { 7, NAN, 9 };
  const float huge = 1e30f;
  GError *error = NULL;

  CU_ASSERT_FATAL (g_mkdir (dir, 0700) == 0);
  nw_tensor_file_add (first, "w", NW_DTYPE_F32, 1, shape, a);
  nw_tensor_file_add (second, "w", NW_DTYPE_F32, 1, shape, b);

  CU_ASSERT_FATAL (nw_safetensors_save (first, path, &error));
  CU_ASSERT_FATAL (nw_safetensors_save (second, path, &error));
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (count_dir_entries (dir), 1);
  back = nw_safetensors_load (path, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (back);
  CU_ASSERT (memcmp (nw_tensor_file_get (back, "w")->f32, b, sizeof b) == 0);
  CU_ASSERT_FATAL (g_file_get_contents (path, &saved, &saved_len, NULL));

  /* Values the reader would refuse are not written, and the old file stays. */
  nw_tensor_file_add (bad, "w", NW_DTYPE_F32, 1, shape, nan_values);
  CU_ASSERT_FALSE (nw_safetensors_save (bad, path, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, path, "tensor 'w': value at index 1 is NaN");
  CU_ASSERT_EQUAL (count_dir_entries (dir), 1);
  CU_ASSERT_FATAL (g_file_get_contents (path, &after, &after_len, NULL));
  CU_ASSERT_EQUAL (after_len, saved_len);
  CU_ASSERT (memcmp (after, saved, saved_len) == 0);
  g_clear_pointer (&after, g_free);

  /* Likewise a value out of I64's range. */
  g_clear_pointer (&bad, nw_tensor_file_free);
  bad = nw_tensor_file_new ();
  nw_tensor_file_add (bad, "n", NW_DTYPE_I64, 0, NULL, &huge);
  CU_ASSERT_FALSE (nw_safetensors_save (bad, path, &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "tensor 'n'", "does not fit in I64");
  CU_ASSERT_FATAL (g_file_get_contents (path, &after, &after_len, NULL));
  CU_ASSERT_EQUAL (after_len, saved_len);
  CU_ASSERT (memcmp (after, saved, saved_len) == 0);
  CU_ASSERT_EQUAL (count_dir_entries (dir), 1);
}

static const NwTestCase api_cases[] = {
  { "tensor file add/get", test_tensor_file_api },
  { NULL, NULL }
};

static const NwTestCase roundtrip_cases[] = {
  { "roundtrip of ranks 0-4, F32/F64/I64, metadata", test_roundtrip },
  { "format metadata kept", test_roundtrip_keeps_format },
  { "exact bytes of a tiny file", test_byte_layout },
  { "I64 rounding and F64 widening", test_write_i64_f64 },
  { "file laid out as Python writes it", test_python_layout },
  { "data order and lenient parsing", test_file_order_and_leniency },
  { NULL, NULL }
};

static const NwTestCase malformed_cases[] = {
  { "header length", test_bad_header_length },
  { "header JSON", test_bad_json },
  { "deep header", test_deep_header },
  { "huge offsets", test_huge_offsets },
  { "dtype", test_bad_dtype },
  { "shape", test_bad_shape },
  { "data offsets", test_bad_offsets },
  { "truncated file on disk", test_truncated_file_on_disk },
  { "NaN and Inf", test_non_finite },
  { NULL, NULL }
};

static const NwTestCase io_cases[] = {
  { "missing file", test_missing_file },
  { "unwritable path", test_unwritable_path },
  { "atomic save", test_atomic_save },
  { NULL, NULL }
};

static const NwTestSuite suites[] = {
  { "api", api_cases },
  { "roundtrip", roundtrip_cases },
  { "malformed", malformed_cases },
  { "io", io_cases },
  { NULL, NULL }
};

int
main (int argc, char **argv)
{
  return nw_test_main (argc, argv, suites);
}
